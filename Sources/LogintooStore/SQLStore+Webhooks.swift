import LogintooCore
import SQLKit

extension SQLStore: WebhookStore {
    public func addWebhookEndpoint(_ endpoint: WebhookEndpoint) async throws {
        try await engine.run { db in
            try await db.raw("""
                INSERT INTO webhook_endpoints (id, url, events, sealed_secret, created_at)
                VALUES (\(bind: endpoint.id), \(bind: endpoint.url), \(bind: endpoint.events.joined(separator: ",")),
                        \(bind: endpoint.sealedSecret), \(bind: endpoint.createdAt))
                """).run()
        }
    }

    public func webhookEndpoints() async throws -> [WebhookEndpoint] {
        try await engine.read { db in
            try await db.raw("SELECT * FROM webhook_endpoints ORDER BY created_at, id").all(as: EndpointRow.self).map(\.endpoint)
        }
    }

    public func webhookEndpoint(id: String) async throws -> WebhookEndpoint? {
        try await engine.read { db in
            try await db.raw("SELECT * FROM webhook_endpoints WHERE id = \(bind: id)").first(as: EndpointRow.self)?.endpoint
        }
    }

    public func rotateWebhookSecret(id: String, sealedSecret: String, previousUntil: Int64) async throws -> WebhookEndpoint? {
        try await engine.run { db in
            try await db.raw("""
                UPDATE webhook_endpoints SET previous_sealed_secret = sealed_secret, previous_until = \(bind: previousUntil),
                  sealed_secret = \(bind: sealedSecret)
                WHERE id = \(bind: id) RETURNING *
                """).first(as: EndpointRow.self)?.endpoint
        }
    }

    public func removeWebhookEndpoint(id: String) async throws -> Bool {
        try await engine.run { db in
            try await db.raw("DELETE FROM webhook_endpoints WHERE id = \(bind: id) RETURNING id").first() != nil
        }
    }

    /// The row: the event kinds as one comma-separated column.
    struct EndpointRow: Decodable {
        var id: String
        var url: String
        var events: String
        var sealedSecret: String
        var createdAt: Int64
        var previousSealedSecret: String?
        var previousUntil: Int64?

        var endpoint: WebhookEndpoint {
            WebhookEndpoint(id: id, url: url, events: events.split(separator: ",").map(String.init), sealedSecret: sealedSecret,
                            createdAt: createdAt, previousSealedSecret: previousSealedSecret, previousUntil: previousUntil)
        }
    }
}
