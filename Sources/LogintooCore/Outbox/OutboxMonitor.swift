/// The outbox as operations see it: how many messages wait, which also shows the database answers.
public struct OutboxMonitor: Sendable {
    let store: any OutboxStore

    public init(store: any OutboxStore) { self.store = store }

    /// Messages waiting to be sent or retried.
    public func pendingMessageCount() async throws -> Int { try await store.pendingMessageCount() }
}
