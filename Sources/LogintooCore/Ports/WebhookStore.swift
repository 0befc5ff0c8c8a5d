/// The webhook endpoints the operator registered (`WebhookEndpoint`).
public protocol WebhookStore: Sendable {
    /// Adds the endpoint; throws if its id exists.
    func addWebhookEndpoint(_ endpoint: WebhookEndpoint) async throws
    /// Every endpoint, oldest first.
    func webhookEndpoints() async throws -> [WebhookEndpoint]
    func webhookEndpoint(id: String) async throws -> WebhookEndpoint?
    /// Gives the endpoint the secret `sealedSecret`; the one it had signs beside it until `previousUntil`. Returns the
    /// endpoint as it now is, or `nil` without such an endpoint.
    func rotateWebhookSecret(id: String, sealedSecret: String, previousUntil: Int64) async throws -> WebhookEndpoint?
    /// Removes the endpoint; its deliveries not yet made are abandoned when next tried. Returns whether it existed.
    func removeWebhookEndpoint(id: String) async throws -> Bool
}
