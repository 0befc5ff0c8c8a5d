/// The outbox as an operator sees it from the admin API: undelivered messages (never their content), and a retry that
/// makes a waiting message due now. Each retry is recorded in the audit trail with the operator who asked.
public struct OutboxAdministration: Sendable {
    let store: any OutboxStore
    let clock: any WallClock
    let events: any SecurityEventSink

    public init(store: any OutboxStore, clock: any WallClock, events: any SecurityEventSink) {
        (self.store, self.clock, self.events) = (store, clock, events)
    }

    /// The most messages one listing answers.
    public static let listLimit = 200

    /// Undelivered messages of `selection`, newest first.
    public func messages(_ selection: UndeliveredMessage.Selection, limit: Int = listLimit) async throws -> [UndeliveredMessage] {
        try await store.undeliveredMessages(selection, limit: max(1, min(limit, Self.listLimit)))
    }

    /// Makes message `id` due now, when it is still waiting (`OutboxRetry.decide`); a message being sent at that moment
    /// may then be sent twice, which repeats the same code.
    public func retry(id: String, actor: String) async throws -> OutboxRetry {
        let now = clock.now()
        let (outcome, recipient) = try await store.retryMessage(id: id, now: now) { OutboxRetry.decide($0, now: now) }
        if outcome == .retried, let recipient {
            await events.record(.outboxMessageRetried(recipient: recipient, messageId: id, actor: actor))
        }
        return outcome
    }
}
