/// What an operator does with webhook endpoints (the `logintoo webhook` commands).
public struct WebhookAdministration: Sendable {
    let store: any WebhookStore
    let keys: WebhookSigningKeys
    let clock: any WallClock
    let random: any RandomSource

    public init(store: any WebhookStore, secret: ServerSecret, clock: any WallClock, random: any RandomSource) {
        (self.store, self.keys, self.clock, self.random) = (store, WebhookSigningKeys(store: store, secret: secret), clock, random)
    }

    /// Registers an endpoint for `events` (kinds, or `*`), signed with `secret` or a fresh one; returns it and the secret,
    /// which the operator hands to the receiver.
    public func add(url: String, events: [String], secret: String? = nil) async throws -> (WebhookEndpoint, WebhookSecret) {
        let kinds = try WebhookEndpoint.validate(url: url, events: events)
        let signing = try secret.map { text throws(WebhookEndpointError) in try WebhookSecret(text: text) } ?? WebhookSecret(random: random)
        let endpoint = WebhookEndpoint(id: "wh_" + random.token(bytes: 12), url: url, events: kinds,
                                       sealedSecret: try keys.seal(signing), createdAt: clock.now())
        try await store.addWebhookEndpoint(endpoint)
        return (endpoint, signing)
    }

    public func list() async throws -> [WebhookEndpoint] { try await store.webhookEndpoints() }

    public func remove(id: String) async throws -> Bool { try await store.removeWebhookEndpoint(id: id) }
}
