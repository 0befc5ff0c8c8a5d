import LogintooCore
import SQLKit

extension SQLStore: PushedRequestStore {
    struct PushedRequestRow: Codable {
        var requestHash: String
        var clientId: String
        var parameters: String
        var createdAt: Int64
        var expiresAt: Int64
    }

    public func savePushedRequest(_ request: PushedAuthorizationRequest) async throws {
        let parameters = try JSONText.encode(request.parameters.map { [$0.0, $0.1] })
        try await engine.run { db in
            try await db.raw("""
                INSERT INTO pushed_requests (request_hash, client_id, parameters, created_at, expires_at)
                VALUES (\(bind: request.hash), \(bind: request.clientId), \(bind: parameters), \(bind: request.createdAt),
                        \(bind: request.expiresAt))
                """).run()
        }
    }

    /// One statement deletes and returns the row, so that of two instances taking it at once only one gets it.
    public func takePushedRequest(hash: String, clientId: String, now: Int64) async throws -> PushedAuthorizationRequest? {
        guard let row = try await engine.run({ db in
            try await db.raw("""
                DELETE FROM pushed_requests
                WHERE request_hash = \(bind: hash) AND client_id = \(bind: clientId) AND expires_at > \(bind: now)
                RETURNING *
                """).first(as: PushedRequestRow.self)
        }) else { return nil }
        let pairs = try JSONText.decode([[String]].self, from: row.parameters).compactMap { pair in
            pair.count == 2 ? (pair[0], pair[1]) : nil
        }
        return PushedAuthorizationRequest(hash: row.requestHash, clientId: row.clientId, parameters: pairs,
                                          createdAt: row.createdAt, expiresAt: row.expiresAt)
    }
}
