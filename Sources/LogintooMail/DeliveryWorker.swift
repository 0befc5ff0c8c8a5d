import AsyncHTTPClient
import Logging
import LogintooCore
import LogintooTraces
import NIOCore
import ServiceLifecycle

/// Delivers the queued deliveries (`DeliveryStore`): POSTs each one, made fresh by the `DeliveryComposer`, and retries a
/// failure (an answer other than 2xx, no answer within the timeout, no connection) with backoff (`DeliveryRetry`)
/// until it expires. It runs beside the requests, never inside one: ending a session only queues the notice.
public struct DeliveryWorker: Service {
    let store: any DeliveryStore
    let composer: DeliveryComposer
    let post: @Sendable (_ url: String, _ request: DeliveryComposer.Request) async throws -> Void
    let clock: any WallClock
    let random: any RandomSource
    let logger: Logger
    let pollInterval: Duration
    let doorbell: Doorbell
    /// Told "delivered", "retried" or "abandoned" after each attempt (for metrics).
    let onAttempt: @Sendable (String) -> Void
    /// Each attempt is a span continuing the trace of the operation that queued the delivery (`Delivery.traceContext`).
    let traces: Traces

    public init(store: any DeliveryStore, composer: DeliveryComposer, clock: any WallClock, random: any RandomSource,
                logger: Logger, pollInterval: Duration = .seconds(1), doorbell: Doorbell = Doorbell(),
                post: @escaping @Sendable (String, DeliveryComposer.Request) async throws -> Void = DeliveryWorker.post,
                onAttempt: @escaping @Sendable (String) -> Void = { _ in }, traces: Traces = .off) {
        (self.store, self.composer, self.post, self.clock, self.random) = (store, composer, post, clock, random)
        (self.logger, self.pollInterval, self.doorbell, self.onAttempt, self.traces) = (logger, pollInterval, doorbell, onAttempt, traces)
    }

    /// How many attempts are under way at once.
    public static let concurrentAttempts = 20
    /// Places that must be free before an ended attempt alone leads to a claim: under a backlog, one claim per attempt
    /// would cost more than the attempts.
    static let claimBatch = 5

    /// Keeps up to `concurrentAttempts` attempts under way, claiming more as they end, at most
    /// `DeliveryClaim.perTarget` to one receiver at a time: a receiver that takes its whole deadline holds its own
    /// places, never the others' deliveries. Claims when rung or polled, or when `claimBatch` places are free. On
    /// graceful shutdown, stops claiming and lets the attempts under way finish (each within its deadline).
    public func run() async throws {
        enum Wake { case attemptEnded(target: String), doorbellOrPoll }
        await withTaskGroup(of: Wake.self) { group in
            var underway: [String: Int] = [:]
            var (listening, woken) = (false, true)
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let room = Self.concurrentAttempts - underway.values.reduce(0, +)
                if room > 0 && (woken || room >= Self.claimBatch) {
                    woken = false
                    do {
                        let due = try await store.claimDueDeliveries(now: clock.now(), limit: room, lease: 60, underway: underway)
                        for delivery in due {
                            underway[delivery.target, default: 0] += 1
                            group.addTask { await traced(delivery); return .attemptEnded(target: delivery.target) }
                        }
                    } catch {
                        logger.error("deliveries: \(String(describing: error))")
                        try? await Task.sleep(for: .seconds(1))
                        woken = true
                        continue
                    }
                }
                if !listening {
                    listening = true
                    group.addTask { await doorbell.wait(timeout: pollInterval); return .doorbellOrPoll }
                }
                switch await group.next() {
                case .attemptEnded(let target):
                    underway[target, default: 1] -= 1
                    if underway[target] == 0 { underway[target] = nil }
                case .doorbellOrPoll:
                    (listening, woken) = (false, true)
                case nil:
                    break
                }
            }
            for await _ in group {}
        }
    }

    /// Tries what is due now, at once, and returns when every attempt has ended; returns how many were tried.
    @discardableResult
    public func deliverDue(limit: Int = 20) async throws -> Int {
        let due = try await store.claimDueDeliveries(now: clock.now(), limit: limit, lease: 60)
        await withTaskGroup(of: Void.self) { group in
            for delivery in due { group.addTask { await traced(delivery) } }
        }
        return due.count
    }

    /// An attempt's span: a child of the span that queued the delivery, on whichever instance claimed it; attributes are
    /// the delivery's id, kind and attempt, never its body (docs/security.md K94).
    func traced(_ delivery: Delivery) async {
        await traces.continuing(delivery.traceContext, in: "delivery.post",
                                attributes: ["logintoo.delivery.id": delivery.id, "logintoo.delivery.kind": delivery.kind,
                                             "logintoo.delivery.attempt": String(delivery.attempts)]) {
            await deliver(delivery)
        }
    }

    func deliver(_ delivery: Delivery) async {
        let metadata: Logger.Metadata = ["delivery": "\(delivery.id)", "kind": "\(delivery.kind)", "attempts": "\(delivery.attempts)"]
        do {
            try await post(delivery.target, try await composer.request(for: delivery, now: clock.now()))
            try await store.markDelivered(id: delivery.id, now: clock.now())
            logger.info("deliveries: delivered", metadata: metadata)
            onAttempt("delivered")
        } catch {
            let now = clock.now()
            let retryAt = error is any DeliveryNotRetried ? nil
                : DeliveryRetry.next(after: delivery.attempts, now: now, expiresAt: delivery.expiresAt,
                                     jitter: Double(random.uniform(below: 1000)) / 1000)
            logger.warning("deliveries: failed\(retryAt == nil ? ", abandoned" : ", will retry")",
                           metadata: metadata.merging(["error": "\(error)"]) { $1 })
            onAttempt(retryAt == nil ? "abandoned" : "retried")
            try? await store.markDeliveryFailed(id: delivery.id, error: String(String(describing: error).prefix(500)),
                                                retryAt: retryAt, now: now)
        }
    }

    /// One POST, answer and body included, within `deadline`: a receiver slow to answer, or trickling its body, is tried
    /// again later rather than holding the worker (and, past the claim's lease, letting another instance deliver twice).
    @Sendable public static func post(url: String, request: DeliveryComposer.Request) async throws {
        try await post(url: url, request: request, deadline: .seconds(5))
    }

    static func post(url: String, request: DeliveryComposer.Request, deadline: Duration) async throws {
        var message = HTTPClientRequest(url: url)
        message.method = .POST
        message.headers.add(name: "Content-Type", value: request.contentType)
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) { message.headers.add(name: name, value: value) }
        message.body = .bytes(ByteBuffer(string: request.body))
        let prepared = message
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                let response = try await client.execute(prepared, timeout: .seconds(deadline.components.seconds))
                _ = try await response.body.collect(upTo: 64 * 1024)
                guard (200..<300).contains(response.status.code) else { throw DeliveryRefused(status: Int(response.status.code)) }
            }
            group.addTask {
                try await Task.sleep(for: deadline)
                throw DeliveryTimedOut(deadline: deadline)
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    /// The client of deliveries: no redirects followed (a registered URI must not hand a logout token, or a request from
    /// this server's network, to another address, or from https to http), short timeouts, no decompression.
    public static let client = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(3), read: .seconds(5)),
                                                decompression: .disabled))
}

/// The receiver did not answer, body included, within the deadline.
public struct DeliveryTimedOut: Error, CustomStringConvertible {
    public let deadline: Duration
    public var description: String { "no complete answer within \(deadline)" }
}

/// The receiver answered with a status other than 2xx.
public struct DeliveryRefused: Error, CustomStringConvertible {
    public let status: Int
    public init(status: Int) { self.status = status }
    public var description: String { "the receiver answered \(status)" }
}
