import LogintooCore
import SQLKit
import Synchronization

extension SQLStore: ClientStore {
    struct ClientRow: ColumnDecodable, Equatable, Sendable {
        var id: String
        var name: String
        var secretHash: String?
        var redirectUris: String
        var postLogoutRedirectUris: String
        var settings: String
        var createdAt: Int64

        init(columns row: some SQLRow) throws {
            id = try row.decode(column: "id")
            name = try row.decode(column: "name")
            secretHash = try row.decode(column: "secret_hash")
            redirectUris = try row.decode(column: "redirect_uris")
            postLogoutRedirectUris = try row.decode(column: "post_logout_redirect_uris")
            settings = try row.decode(column: "settings")
            createdAt = try row.decode(column: "created_at")
        }

        func client() throws -> Client {
            Client(
                id: id, name: name, secretHash: secretHash,
                redirectURIs: try JSONText.decode([String].self, from: redirectUris),
                postLogoutRedirectURIs: try JSONText.decode([String].self, from: postLogoutRedirectUris),
                settings: try JSONText.decode(ClientSettings.self, from: settings), createdAt: createdAt
            )
        }
    }

    public func saveClient(_ client: Client) async throws {
        let redirects = try JSONText.encode(client.redirectURIs)
        let postLogout = try JSONText.encode(client.postLogoutRedirectURIs)
        let settings = try JSONText.encode(client.settings)
        try await engine.run { db in
            try await db.raw("""
                INSERT INTO clients (id, name, secret_hash, redirect_uris, post_logout_redirect_uris, settings, created_at)
                VALUES (\(bind: client.id), \(bind: client.name), \(bind: client.secretHash), \(bind: redirects),
                        \(bind: postLogout), \(bind: settings), \(bind: client.createdAt))
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, secret_hash = excluded.secret_hash,
                  redirect_uris = excluded.redirect_uris, post_logout_redirect_uris = excluded.post_logout_redirect_uris,
                  settings = excluded.settings
                """).run()
        }
    }

    /// The row is read on every call, so a change made by another process or instance counts at once; only turning the
    /// same row into a `Client` again (three JSON documents) is skipped.
    public func client(id: String) async throws -> Client? {
        guard let row = try await engine.read({ db in
            try await db.raw("SELECT * FROM clients WHERE id = \(bind: id)").first(reading: ClientRow.self)
        }) else { return nil }
        return try decodedClients.client(for: row)
    }

    public func clients() async throws -> [Client] {
        try await engine.read { db in
            try await db.raw("SELECT * FROM clients ORDER BY created_at, id").all(reading: ClientRow.self)
        }.map { try $0.client() }
    }

    public func removeClient(id: String) async throws -> Bool {
        decodedClients.forget(id: id)
        return try await engine.transaction { db in
            let removed = try await db.raw("DELETE FROM clients WHERE id = \(bind: id) RETURNING id").first() != nil
            try await db.raw("UPDATE grants SET revoked_at = created_at WHERE client_id = \(bind: id) AND revoked_at IS NULL").run()
            return removed
        }
    }
}

/// The clients last read, each with the row it was decoded from.
final class DecodedClients: Sendable {
    private let entries = Mutex<[String: (row: SQLStore.ClientRow, client: Client)]>([:])

    func client(for row: SQLStore.ClientRow) throws -> Client {
        if let entry = entries.withLock({ $0[row.id] }), entry.row == row { return entry.client }
        let client = try row.client()
        entries.withLock { $0[row.id] = (row, client) }
        return client
    }

    func forget(id: String) {
        _ = entries.withLock { $0.removeValue(forKey: id) }
    }
}
