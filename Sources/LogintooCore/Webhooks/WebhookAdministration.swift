import Foundation

/// What an operator does with webhook endpoints (the `logintoo webhook` commands).
public struct WebhookAdministration: Sendable {
    let store: any WebhookStore
    let keys: WebhookSigningKeys
    let clock: any WallClock
    let random: any RandomSource
    let events: any SecurityEventSink

    public init(store: any WebhookStore, secret: ServerSecret, clock: any WallClock, random: any RandomSource,
                events: any SecurityEventSink) {
        (self.store, self.keys, self.clock, self.random) = (store, WebhookSigningKeys(store: store, secret: secret), clock, random)
        self.events = events
    }

    /// Registers an endpoint for `events` (kinds, or `*`), signed with `secret` or a fresh one; returns it and the secret,
    /// which the operator hands to the receiver. The audit trail names the endpoint's host and kinds: an endpoint for
    /// every event receives every sign-in's address.
    public func add(url: String, events kinds: [String], secret: String? = nil, actor: String) async throws
        -> (WebhookEndpoint, WebhookSecret) {
        let kinds = try WebhookEndpoint.validate(url: url, events: kinds)
        let signing = try secret.map { text throws(WebhookEndpointError) in try WebhookSecret(text: text) } ?? WebhookSecret(random: random)
        let endpoint = WebhookEndpoint(id: "wh_" + random.token(bytes: 12), url: url, events: kinds,
                                       sealedSecret: try keys.seal(signing), createdAt: clock.now())
        try await store.addWebhookEndpoint(endpoint)
        await events.record(.webhookEndpointAdded(id: endpoint.id, host: URL(string: url)?.host ?? "", events: kinds, actor: actor))
        return (endpoint, signing)
    }

    public func list() async throws -> [WebhookEndpoint] { try await store.webhookEndpoints() }

    /// How long a replaced secret signs beside the new one unless the operator says otherwise: a day, for the receiver
    /// to take the new one at its own pace.
    public static let defaultOverlap: Int64 = 86_400

    /// Gives the endpoint a fresh secret (or `secret`); the old one keeps signing beside it for `overlap` seconds (0 to
    /// stop at once). Returns the endpoint and the new secret, or `nil` without such an endpoint.
    public func rotateSecret(id: String, secret: String? = nil, overlap: Int64 = defaultOverlap, actor: String) async throws
        -> (WebhookEndpoint, WebhookSecret)? {
        let signing = try secret.map { text throws(WebhookEndpointError) in try WebhookSecret(text: text) } ?? WebhookSecret(random: random)
        let until = clock.now() + max(0, overlap)
        guard let endpoint = try await store.rotateWebhookSecret(id: id, sealedSecret: try keys.seal(signing), previousUntil: until)
        else { return nil }
        await events.record(.webhookSecretRotated(id: id, actor: actor, previousUntil: until))
        return (endpoint, signing)
    }

    public func remove(id: String, actor: String) async throws -> Bool {
        guard try await store.removeWebhookEndpoint(id: id) else { return false }
        await events.record(.webhookEndpointRemoved(id: id, actor: actor))
        return true
    }
}
