import Logging
import LogintooCore
import LogintooTraces
import ServiceLifecycle

/// Delivers queued emails: retries with exponential backoff and jitter, and gives up once the code has expired.
public struct OutboxWorker: Service {
    let store: any OutboxStore
    let mailer: any Mailer
    let secret: ServerSecret
    let clock: any WallClock
    let random: any RandomSource
    let logger: Logger
    let pollInterval: Duration
    /// Rung when an email is queued on this instance; the poll still finds those queued by other instances.
    let doorbell: Doorbell
    /// Told "sent", "retried" or "abandoned" after each attempt (for metrics).
    let onAttempt: @Sendable (String) -> Void
    /// Each delivery is a span continuing the trace of the request that queued the email (`OutboxMessage.traceContext`).
    let traces: Traces

    public init(store: any OutboxStore, mailer: any Mailer, secret: ServerSecret, clock: any WallClock, random: any RandomSource,
                logger: Logger, pollInterval: Duration = .milliseconds(250), doorbell: Doorbell = Doorbell(), onAttempt: @escaping @Sendable (String) -> Void = { _ in },
                traces: Traces = .off) {
        self.onAttempt = onAttempt
        self.traces = traces
        self.store = store
        self.mailer = mailer
        self.secret = secret
        self.clock = clock
        self.random = random
        self.logger = logger
        self.pollInterval = pollInterval
        self.doorbell = doorbell
    }

    public func run() async throws {
        await QueueWorkerLoop.run("outbox", doorbell: doorbell, pollInterval: pollInterval, logger: logger) { try await deliverDue() }
    }

    /// Sends what is due now, the messages at once; returns how many were tried.
    @discardableResult
    public func deliverDue(limit: Int = 20) async throws -> Int {
        let now = clock.now()
        let due = try await store.claimDueMessages(now: now, limit: limit, lease: 120)
        await withTaskGroup(of: Void.self) { group in
            for message in due { group.addTask { await traced(message) } }
        }
        return due.count
    }

    /// A delivery's span: a child of the span that queued the message, on whichever instance claimed it; attributes are
    /// the message id and attempt, never the recipient (docs/security.md K94).
    func traced(_ message: OutboxMessage) async {
        await traces.continuing(message.traceContext, in: "outbox.deliver",
                                attributes: ["logintoo.outbox.message_id": message.id,
                                             "logintoo.outbox.attempt": String(message.attempts)]) {
            await deliver(message)
        }
    }

    func deliver(_ message: OutboxMessage) async {
        do {
            let content = try JSONText.decode(
                EmailMessage.self, from: try Sealing.open(message.sealedContent, key: secret.key(for: .outboxEncryption)))
            let provider = try await mailer.deliver(content, id: message.id)
            try await store.markSent(id: message.id, provider: provider, now: clock.now())
            logger.info("outbox: delivered", metadata: ["message": "\(message.id)", "attempts": "\(message.attempts)"])
            onAttempt("sent")
        } catch {
            let now = clock.now()
            let retryAt = now + backoff(attempt: message.attempts)
            let giveUp = retryAt >= message.expiresAt
            logger.warning("outbox: delivery failed\(giveUp ? ", abandoned" : ", will retry")",
                           metadata: ["message": "\(message.id)", "error": "\(error)"])
            onAttempt(giveUp ? "abandoned" : "retried")
            try? await store.markFailed(id: message.id, error: String(describing: error).prefix(500).description,
                                        retryAt: giveUp ? nil : retryAt, now: now)
        }
    }

    /// 2, 4, 8 … seconds (at most 5 minutes), plus up to a second of jitter.
    func backoff(attempt: Int) -> Int64 {
        let base = Int64(1) << Int64(min(max(attempt, 1), 8))
        return min(base, 300) + Int64(random.uniform(below: 2))
    }
}
