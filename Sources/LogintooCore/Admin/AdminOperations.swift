/// The operator's client, signing-key and outbox operations of the admin API, built over the store by the application.
public struct AdminOperations: Sendable {
    public let clients: ClientAdministration
    public let keys: KeyAdministration
    public let outbox: OutboxAdministration
    /// Logout notices and webhooks: where each one is (read only; their content is never shown).
    public let deliveries: any DeliveryStore

    public init(clients: ClientAdministration, keys: KeyAdministration, outbox: OutboxAdministration, deliveries: any DeliveryStore) {
        (self.clients, self.keys, self.outbox, self.deliveries) = (clients, keys, outbox, deliveries)
    }
}
