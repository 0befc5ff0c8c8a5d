/// The operator's client, signing-key and outbox operations of the admin API, built over the store by the application.
public struct AdminOperations: Sendable {
    public let clients: ClientAdministration
    public let keys: KeyAdministration
    public let outbox: OutboxAdministration

    public init(clients: ClientAdministration, keys: KeyAdministration, outbox: OutboxAdministration) {
        (self.clients, self.keys, self.outbox) = (clients, keys, outbox)
    }
}
