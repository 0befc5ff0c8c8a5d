import LogintooCore
import SQLKit

/// A record read straight from its columns by name. For the rows read on every request: the `Decodable` path asks the
/// key strategy and a keyed container for each property, which cost more than the query that found the row.
protocol ColumnDecodable {
    init(columns row: some SQLRow) throws
}

extension SQLQueryFetcher {
    func first<D: ColumnDecodable>(reading type: D.Type) async throws -> D? {
        try await first().map { try D(columns: $0) }
    }

    func all<D: ColumnDecodable>(reading type: D.Type) async throws -> [D] {
        try await all().map { try D(columns: $0) }
    }
}

extension Grant: ColumnDecodable {
    init(columns row: some SQLRow) throws {
        let profile: String = try row.decode(column: "profile")
        guard let tokenProfile = TokenProfile(rawValue: profile) else {
            throw StoreError.unknownValue(table: "grants", column: "profile", value: profile)
        }
        self.init(
            id: try row.decode(column: "id"), clientId: try row.decode(column: "client_id"),
            accountId: try row.decode(column: "account_id"), sessionHash: try row.decode(column: "session_hash"),
            scope: try row.decode(column: "scope"), authTime: try row.decode(column: "auth_time"),
            createdAt: try row.decode(column: "created_at"), expiresAt: try row.decode(column: "expires_at"),
            revokedAt: try row.decode(column: "revoked_at"), profile: tokenProfile,
            language: try row.decode(column: "language"), locale: try row.decode(column: "locale"),
            resource: try row.decode(column: "resource"), amr: try row.decode(column: "amr"), acr: try row.decode(column: "acr"),
            dpopJkt: try row.decode(column: "dpop_jkt"))
    }
}
