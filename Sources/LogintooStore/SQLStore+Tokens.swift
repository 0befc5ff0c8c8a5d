import LogintooCore
import SQLKit

extension SQLStore: TokenStore {
    public func saveAuthorizationCode(_ code: AuthorizationCode) async throws {
        try await engine.run { db in
            try await db.raw("""
                INSERT INTO authorization_codes (code_hash, client_id, redirect_uri, code_challenge, nonce, scope, account_id,
                  session_hash, auth_time, created_at, expires_at, state, language, locale, resource)
                VALUES (\(bind: code.codeHash), \(bind: code.clientId), \(bind: code.redirectUri), \(bind: code.codeChallenge),
                        \(bind: code.nonce), \(bind: code.scope), \(bind: code.accountId), \(bind: code.sessionHash),
                        \(bind: code.authTime), \(bind: code.createdAt), \(bind: code.expiresAt), \(bind: code.state),
                        \(bind: code.language), \(bind: code.locale), \(bind: code.resource))
                """).run()
        }
    }

    public func redeemAuthorizationCode(hash: String, grantId: String, now: Int64) async throws -> CodeRedemption {
        try await engine.transaction { db in
            if let code = try await db.raw("""
                UPDATE authorization_codes SET consumed_at = \(bind: now), grant_id = \(bind: grantId)
                WHERE code_hash = \(bind: hash) AND consumed_at IS NULL RETURNING *
                """).first(as: AuthorizationCode.self) {
                return CodeRedemption.redeemed(code)
            }
            guard let used = try await db.raw("""
                UPDATE authorization_codes SET replayed_at = \(bind: now) WHERE code_hash = \(bind: hash) RETURNING *
                """).first(as: AuthorizationCode.self)
            else { return .unknown }
            if let grantId = used.grantId { try await Self.revokeGrant(id: grantId, now: now, on: db) }
            return .replayed(clientId: used.clientId)
        }
    }

    public func createGrant(_ grant: Grant, fromCode codeHash: String, refreshToken: RefreshToken?) async throws {
        try await engine.transaction { db in
            try await db.raw("""
                INSERT INTO grants (id, client_id, account_id, session_hash, scope, auth_time, created_at, expires_at, profile,
                  language, locale, resource)
                VALUES (\(bind: grant.id), \(bind: grant.clientId), \(bind: grant.accountId), \(bind: grant.sessionHash),
                        \(bind: grant.scope), \(bind: grant.authTime), \(bind: grant.createdAt), \(bind: grant.expiresAt),
                        \(bind: grant.profile.rawValue), \(bind: grant.language), \(bind: grant.locale), \(bind: grant.resource))
                """).run()
            if let refreshToken { try await Self.insert(refreshToken, on: db) }
            // A replay that arrived before the grant existed still revokes it.
            try await db.raw("""
                UPDATE grants SET revoked_at = \(bind: grant.createdAt) WHERE id = \(bind: grant.id) AND EXISTS (
                  SELECT 1 FROM authorization_codes WHERE code_hash = \(bind: codeHash) AND replayed_at IS NOT NULL)
                """).run()
        }
    }

    public func refreshToken(hash: String) async throws -> (RefreshToken, Grant, Account?)? {
        try await engine.read { db in
            try await db.raw("""
                SELECT t.token_hash, t.parent_hash, t.created_at AS token_created_at, t.expires_at AS token_expires_at,
                       t.retired_at, g.*, a.email AS account_email, a.created_at AS account_created_at,
                       a.disabled_at AS account_disabled_at
                FROM refresh_tokens t JOIN grants g ON g.id = t.grant_id LEFT JOIN accounts a ON a.id = g.account_id
                WHERE t.token_hash = \(bind: hash)
                """).first(reading: RefreshTokenWithGrant.self)
        }.map { ($0.token, $0.grant, $0.account) }
    }

    /// A refresh token, its grant and the grant's account, read in one statement.
    struct RefreshTokenWithGrant: ColumnDecodable, Sendable {
        var token: RefreshToken
        var grant: Grant
        var account: Account?

        init(columns row: some SQLRow) throws {
            grant = try Grant(columns: row)
            token = RefreshToken(
                tokenHash: try row.decode(column: "token_hash"), grantId: grant.id, parentHash: try row.decode(column: "parent_hash"),
                createdAt: try row.decode(column: "token_created_at"), expiresAt: try row.decode(column: "token_expires_at"),
                retiredAt: try row.decode(column: "retired_at"))
            if let email = try row.decode(column: "account_email", as: String?.self),
               let createdAt = try row.decode(column: "account_created_at", as: Int64?.self) {
                account = Account(id: grant.accountId, email: email, createdAt: createdAt,
                                  disabledAt: try row.decode(column: "account_disabled_at"))
            }
        }
    }

    public func rotateRefreshToken(
        hash: String, clientId: String, replacement: RefreshToken, grace: Int64, now: Int64
    ) async throws -> RotationOutcome {
        try await engine.transaction { db in
            let liveGrant = try await db.raw("""
                UPDATE refresh_tokens SET retired_at = \(bind: now)
                WHERE token_hash = \(bind: hash) AND retired_at IS NULL AND expires_at > \(bind: now)
                  AND EXISTS (SELECT 1 FROM grants WHERE grants.id = refresh_tokens.grant_id AND client_id = \(bind: clientId)
                              AND revoked_at IS NULL AND expires_at > \(bind: now))
                RETURNING grant_id
                """).first(decodingColumn: "grant_id", as: String.self)
            if let liveGrant {
                try await Self.insert(replacement, on: db)
                try await Self.touchSession(ofGrant: liveGrant, now: now, on: db)
                return RotationOutcome.rotated(grantId: liveGrant)
            }
            guard let token = try await db.raw("SELECT * FROM refresh_tokens WHERE token_hash = \(bind: hash)")
                .first(as: RefreshToken.self),
                let retiredAt = token.retiredAt,
                let grant = try await db.raw("SELECT * FROM grants WHERE id = \(bind: token.grantId)").first(as: Grant.self),
                grant.clientId == clientId, grant.revokedAt == nil
            else { return .invalid }
            let successorUsed = try await db.raw("""
                SELECT token_hash FROM refresh_tokens
                WHERE grant_id = \(bind: grant.id) AND parent_hash = \(bind: hash) AND retired_at IS NOT NULL
                """).first() != nil
            if grace > 0, now - retiredAt <= grace, !successorUsed, grant.expiresAt > now {
                try await Self.insert(replacement, on: db)
                try await Self.touchSession(ofGrant: grant.id, now: now, on: db)
                return .graceRetry(grantId: grant.id)
            }
            try await Self.revokeGrant(id: grant.id, now: now, on: db)
            return .reuseDetected(grantId: grant.id)
        }
    }

    public func revokeGrant(id: String, now: Int64) async throws {
        try await engine.transaction { db in try await Self.revokeGrant(id: id, now: now, on: db) }
    }

    public func isAccessTokenActive(jti: String, grantId: String?) async throws -> Bool {
        try await engine.read { db in
            try await db.raw("""
                SELECT g.id FROM grants g
                WHERE g.id = COALESCE(\(bind: grantId), (SELECT grant_id FROM access_tokens WHERE jti = \(bind: jti)))
                  AND g.revoked_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM access_tokens a WHERE a.jti = \(bind: jti) AND a.revoked_at IS NOT NULL)
                """).first() != nil
        }
    }

    public func revokeAccessToken(_ token: AccessTokenRecord, now: Int64) async throws {
        try await engine.run { db in
            try await db.raw("""
                INSERT INTO access_tokens (jti, grant_id, client_id, expires_at, revoked_at)
                VALUES (\(bind: token.jti), \(bind: token.grantId), \(bind: token.clientId), \(bind: token.expiresAt), \(bind: now))
                ON CONFLICT (jti) DO UPDATE SET revoked_at = COALESCE(access_tokens.revoked_at, excluded.revoked_at)
                """).run()
        }
    }

    /// Refreshes record a session's activity to the minute: one within a minute of the last writes nothing, so a busy
    /// session is not rewritten on every grant. Sessions stay idle for days before they end.
    static let sessionActivityResolution: Int64 = 60

    static func touchSession(ofGrant grantId: String, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE sessions SET last_seen_at = \(bind: now)
            WHERE id_hash = (SELECT session_hash FROM grants WHERE id = \(bind: grantId)) AND ended_at IS NULL
              AND last_seen_at <= \(bind: now - sessionActivityResolution)
            """).run()
    }

    static func revokeGrant(id: String, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE grants SET revoked_at = \(bind: now) WHERE id = \(bind: id) AND revoked_at IS NULL").run()
    }

    static func insert(_ token: RefreshToken, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO refresh_tokens (token_hash, grant_id, parent_hash, created_at, expires_at)
            VALUES (\(bind: token.tokenHash), \(bind: token.grantId), \(bind: token.parentHash), \(bind: token.createdAt),
                    \(bind: token.expiresAt))
            """).run()
    }
}
