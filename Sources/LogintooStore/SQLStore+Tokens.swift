import LogintooCore
import SQLKit

extension SQLStore: TokenStore {
    public func saveAuthorizationCode(_ code: AuthorizationCode) async throws {
        try await engine.write { db in try await Self.insert(code, on: db) }
    }

    static func insert(_ code: AuthorizationCode, on db: any SQLDatabase) async throws {
        if let sessionHash = code.sessionHash {
            // First, so that a crash between the two leaves at worst a client told of a logout it had no code for.
            try await db.raw("""
                INSERT INTO session_clients (session_hash, client_id) VALUES (\(bind: sessionHash), \(bind: code.clientId))
                ON CONFLICT (session_hash, client_id) DO NOTHING
                """).run()
        }
        try await db.raw("""
            INSERT INTO authorization_codes (code_hash, client_id, redirect_uri, code_challenge, nonce, scope, account_id,
              session_hash, auth_time, created_at, expires_at, state, language, locale, resource, amr, acr, dpop_jkt)
            VALUES (\(bind: code.codeHash), \(bind: code.clientId), \(bind: code.redirectUri), \(bind: code.codeChallenge),
                    \(bind: code.nonce), \(bind: code.scope), \(bind: code.accountId), \(bind: code.sessionHash),
                    \(bind: code.authTime), \(bind: code.createdAt), \(bind: code.expiresAt), \(bind: code.state),
                    \(bind: code.language), \(bind: code.locale), \(bind: code.resource), \(bind: code.amr), \(bind: code.acr),
                    \(bind: code.dpopJkt))
            """).run()
    }

    public func renewAuthorizationCode(hash: String, sessionHash: String, signedInSince: Int64, newHash: String, now: Int64,
                                       expiresAt: Int64) async throws -> AuthorizationCode? {
        try await engine.run { db in
            try await db.raw("""
                UPDATE authorization_codes SET code_hash = \(bind: newHash), created_at = \(bind: now), expires_at = \(bind: expiresAt)
                WHERE code_hash = \(bind: hash) AND session_hash = \(bind: sessionHash) AND consumed_at IS NULL
                  AND auth_time >= \(bind: signedInSince)
                RETURNING *
                """).first(as: AuthorizationCode.self)
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
            return .replayed(clientId: used.clientId, accountId: used.accountId, grantId: used.grantId)
        }
    }

    public func createGrant(_ grant: Grant, fromCode codeHash: String, refreshToken: RefreshToken?) async throws {
        try await engine.transaction { db in
            try await db.raw("""
                INSERT INTO grants (id, client_id, account_id, session_hash, scope, auth_time, created_at, expires_at, profile,
                  language, locale, resource, amr, acr, dpop_jkt)
                VALUES (\(bind: grant.id), \(bind: grant.clientId), \(bind: grant.accountId), \(bind: grant.sessionHash),
                        \(bind: grant.scope), \(bind: grant.authTime), \(bind: grant.createdAt), \(bind: grant.expiresAt),
                        \(bind: grant.profile.rawValue), \(bind: grant.language), \(bind: grant.locale), \(bind: grant.resource),
                        \(bind: grant.amr), \(bind: grant.acr), \(bind: grant.dpopJkt))
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
        try await engine.read { db in try await Self.presentedRefreshToken(hash: hash, lockingFamily: false, on: db) }
            .map { ($0.token, $0.grant, $0.account) }
    }

    public func rotateRefreshToken(hash: String, now: Int64, plan: @Sendable (PresentedRefreshToken) throws -> RotationPlan)
        async throws -> RotationOutcome
    {
        if engine.isPostgreSQL, let outcome = try await rotateLiveHead(hash, now: now, plan: plan) { return outcome }
        // Read committed, the family's rows locked by the first statement: rotations of one family take turns, each
        // reading what the one before committed, and rotations of other families never fail against them (a serializable
        // transaction would, now and then, for sharing an index page with them).
        let (outcome, sessionToTouch) = try await engine.queuedTransaction { db in
            guard var presented = try await Self.presentedRefreshToken(hash: hash, lockingFamily: true, on: db) else {
                return (RotationOutcome.unknown, String?.none)
            }
            if presented.token.retiredAt != nil {
                presented.unusedSuccessor = try await Self.unusedSuccessor(of: hash, grantId: presented.grant.id, on: db)
            }
            let planned = try plan(presented)
            let grant = presented.grant
            switch planned.decision {
            case .rotate(let touchingSession):
                try await Self.replace(hash, by: planned, grant: grant, now: now, on: db)
                return (.rotated(presented), touchingSession ? grant.sessionHash : nil)
            case .replaceUnusedSuccessor(let twin, let touchingSession):
                try await Self.replace(twin, by: planned, grant: grant, now: now, on: db)
                return (.graceRetry(presented), touchingSession ? grant.sessionHash : nil)
            case .reuse:
                try await Self.revokeGrant(id: grant.id, now: now, on: db)
                // The client whose family was stolen learns that its session may be in other hands.
                if let sessionHash = grant.sessionHash {
                    try await queueLogoutNotices(sessions: "s.id_hash = \(bind: sessionHash)", clientId: grant.clientId,
                                                 occasion: "reuse " + grant.id, now: now, on: db)
                }
                return (.reuseDetected(grantId: grant.id, accountId: grant.accountId), nil)
            case .keyMismatch(let proofMissing):
                return (.keyMismatch(proofMissing: proofMissing), nil)
            case .invalid:
                return (.invalid, nil)
            }
        }
        // After the commit, on its own: a logout or an account's disabling writes the session before the grants, so a
        // rotation that held its grant while it waited for the session would wait in a circle with them.
        if let sessionToTouch { try await engine.run { db in try await Self.touchSession(sessionToTouch, now: now, on: db) } }
        return outcome
    }

    /// PostgreSQL's usual rotation, outside a transaction in two statements where the transaction takes four: the token
    /// read without locks, then, when the plan rotates a live head, one statement that locks the grant while it is
    /// unrevoked, retires the token while it is live and adds the replacement (`retire(_:addingInItsPlace:)`). A refusal
    /// the plan makes on that read is answered as is. Nil, with nothing written, leaves the decision to the transaction:
    /// a retired token (a retry, or reuse), a grant to bind to a key, any other decision, a token that another rotation
    /// retired or whose grant was revoked between the two statements, a grant another transaction holds, or a statement
    /// that lost a race (a deadlock with an account's erasure, say), which the transaction retries.
    ///
    /// The write does not wait for a held grant: a statement outside a transaction commits on its own, so one that
    /// waited past the call's deadline would still rotate the token after the client was told to try again, and the
    /// retry could come after the grace. Inside the transaction, that wait ends in a rollback.
    func rotateLiveHead(_ hash: String, now: Int64, plan: @Sendable (PresentedRefreshToken) throws -> RotationPlan)
        async throws -> RotationOutcome? {
        try await engine.run { db in
            let rotated: (outcome: RotationOutcome, sessionToTouch: String?)?
            do {
                rotated = try await Self.rotateLiveHead(hash, now: now, plan: plan, on: db)
            } catch where engine.isLostRace(error) {
                return nil
            }
            // Its own statement, after the rotation's: a logout or an account's disabling writes the session before the
            // grants, so a statement holding the grant while it waited for the session would wait in a circle with them.
            if let session = rotated?.sessionToTouch { try await Self.touchSession(session, now: now, on: db) }
            return rotated?.outcome
        }
    }

    static func rotateLiveHead(_ hash: String, now: Int64, plan: (PresentedRefreshToken) throws -> RotationPlan,
                               on db: any SQLDatabase) async throws -> (RotationOutcome, String?)? {
        guard let presented = try await presentedRefreshToken(hash: hash, lockingFamily: false, on: db) else {
            return (.unknown, nil)
        }
        guard presented.token.retiredAt == nil else { return nil }
        let planned = try plan(presented)
        switch planned.decision {
        case .rotate(let touchingSession) where planned.binding == nil:
            guard try await retire(hash, addingInItsPlace: planned.replacement, grantId: presented.grant.id, now: now,
                                   waitingForTheGrant: false, on: db)
            else { return nil }
            return (.rotated(presented), touchingSession ? presented.grant.sessionHash : nil)
        case .keyMismatch(let proofMissing):
            return (.keyMismatch(proofMissing: proofMissing), nil)
        case .invalid:
            return (.invalid, nil)
        default:
            return nil
        }
    }

    /// A refresh token with its grant, the grant's account and the last activity of its live session, in one statement.
    /// `lockingFamily` locks the grant's row, then the token's, until the transaction ends, on PostgreSQL; a transaction
    /// that waited for them reads their versions committed meanwhile. The grant first: a rotation that retires its token's
    /// successor waits for no other rotation of the family that holds it. The account's and the session's columns are
    /// read as they were when the statement began: an account disabled meanwhile is refused by its grant, which the
    /// disabling revokes in the same transaction. SQLite's one writer needs no lock.
    static func presentedRefreshToken(hash: String, lockingFamily: Bool, on db: any SQLDatabase) async throws
        -> PresentedRefreshToken?
    {
        let lock = lockingFamily && db.isPostgreSQL ? "FOR UPDATE OF g, t" : ""
        return try await db.raw("""
            SELECT t.token_hash, t.parent_hash, t.created_at AS token_created_at, t.expires_at AS token_expires_at,
                   t.retired_at, g.*, a.email AS account_email, a.created_at AS account_created_at,
                   a.disabled_at AS account_disabled_at, s.last_seen_at AS session_last_seen_at
            FROM refresh_tokens t JOIN grants g ON g.id = t.grant_id LEFT JOIN accounts a ON a.id = g.account_id
              LEFT JOIN sessions s ON s.id_hash = g.session_hash AND s.ended_at IS NULL
            WHERE t.token_hash = \(bind: hash) \(unsafeRaw: lock)
            """).first(reading: PresentedRefreshTokenRow.self)?.presented
    }

    /// A retired token's successor while that successor has never been presented: the family's index finds it among the
    /// grant's tokens.
    static func unusedSuccessor(of hash: String, grantId: String, on db: any SQLDatabase) async throws -> String? {
        try await db.raw("""
            SELECT token_hash FROM refresh_tokens
            WHERE grant_id = \(bind: grantId) AND parent_hash = \(bind: hash) AND retired_at IS NULL
            """).first(decodingColumn: "token_hash", as: String.self)
    }

    /// The row of `presentedRefreshToken`.
    struct PresentedRefreshTokenRow: ColumnDecodable, Sendable {
        var presented: PresentedRefreshToken

        init(columns row: some SQLRow) throws {
            let grant = try Grant(columns: row)
            let token = RefreshToken(
                tokenHash: try row.decode(column: "token_hash"), grantId: grant.id, parentHash: try row.decode(column: "parent_hash"),
                createdAt: try row.decode(column: "token_created_at"), expiresAt: try row.decode(column: "token_expires_at"),
                retiredAt: try row.decode(column: "retired_at"))
            var account: Account?
            if let email = try row.decode(column: "account_email", as: String?.self),
               let createdAt = try row.decode(column: "account_created_at", as: Int64?.self) {
                account = Account(id: grant.accountId, email: email, createdAt: createdAt,
                                  disabledAt: try row.decode(column: "account_disabled_at"))
            }
            presented = PresentedRefreshToken(token: token, grant: grant, account: account, unusedSuccessor: nil,
                                              sessionLastSeenAt: try row.decode(column: "session_last_seen_at"))
        }
    }

    /// Retires `retiring` (the presented token, or its unused successor) and adds the plan's replacement, then binds the
    /// grant to the plan's DPoP key when asked.
    static func replace(_ retiring: String, by plan: RotationPlan, grant: Grant, now: Int64, on db: any SQLDatabase)
        async throws {
        guard try await retire(retiring, addingInItsPlace: plan.replacement, grantId: grant.id, now: now, on: db) else {
            throw RefreshRotationConflict()
        }
        if let key = plan.binding { try await bind(grant.id, to: key, on: db) }
    }

    /// Retires a live token of grant `grantId` and adds `replacement`; false, with nothing changed, when the token is no
    /// longer live. On PostgreSQL in one statement (a data-modifying `WITH`), which saves the rotation a round trip and can
    /// run outside a transaction (`rotateLiveHead`): it locks the grant's row first, as the transaction's read does, and
    /// only while the grant is unrevoked, so it takes turns with the family's other rotations and with a revocation, and
    /// never leaves a live token in a revoked grant. Its grant lock is the transaction's own when it runs inside one;
    /// without `waitingForTheGrant`, a grant another transaction holds fails the statement at once (SQLSTATE 55P03).
    /// SQLite has no such statement, and no round trips to save: it runs in the transaction that read the token live.
    static func retire(_ tokenHash: String, addingInItsPlace replacement: RefreshToken, grantId: String, now: Int64,
                       waitingForTheGrant: Bool = true, on db: any SQLDatabase) async throws -> Bool
    {
        guard db.isPostgreSQL else {
            try await retire(tokenHash, now: now, on: db)
            try await insert(replacement, on: db)
            return true
        }
        return try await db.raw("""
            WITH live_grant AS (
              SELECT id FROM grants WHERE id = \(bind: grantId) AND revoked_at IS NULL FOR UPDATE \(unsafeRaw: waitingForTheGrant ? "" : "NOWAIT")),
            retired AS (
              UPDATE refresh_tokens SET retired_at = \(bind: now)
              WHERE token_hash = \(bind: tokenHash) AND retired_at IS NULL AND grant_id = (SELECT id FROM live_grant)
              RETURNING token_hash)
            INSERT INTO refresh_tokens (token_hash, grant_id, parent_hash, created_at, expires_at)
            SELECT \(bind: replacement.tokenHash), \(bind: replacement.grantId), \(bind: replacement.parentHash),
                   \(bind: replacement.createdAt), \(bind: replacement.expiresAt) FROM retired
            RETURNING token_hash
            """).first() != nil
    }

    /// Retires a live token. The transaction read it live, and rotations of the same family take turns (SQLite's one
    /// writer; on PostgreSQL the family's locked rows), so a miss is a broken invariant.
    static func retire(_ tokenHash: String, now: Int64, on db: any SQLDatabase) async throws {
        guard try await db.raw("""
            UPDATE refresh_tokens SET retired_at = \(bind: now) WHERE token_hash = \(bind: tokenHash) AND retired_at IS NULL
            RETURNING token_hash
            """).first() != nil
        else { throw RefreshRotationConflict() }
    }

    public func revokeGrant(id: String, now: Int64) async throws {
        try await engine.transaction { db in try await Self.revokeGrant(id: id, now: now, on: db) }
    }

    public func isAccessTokenActive(jti: String, grantId: String?) async throws -> Bool {
        try await engine.read { db in
            try await db.raw("SELECT g.id FROM grants g WHERE \(Self.honours(jti: jti, grantId: grantId))").first() != nil
        }
    }

    public func accountOfActiveAccessToken(jti: String, grantId: String?, accountId: String) async throws -> Account? {
        try await engine.read { db in
            try await db.raw("""
                SELECT a.* FROM accounts a
                WHERE a.id = \(bind: accountId)
                  AND EXISTS (SELECT 1 FROM grants g WHERE g.account_id = a.id AND \(Self.honours(jti: jti, grantId: grantId)))
                """).first(as: Account.self)
        }
    }

    /// Whether grant `g` honours the access token `jti`: it is the token's grant (the one the token names, else the one
    /// its record names), it is unrevoked, and the token is not on the deny list.
    static func honours(jti: String, grantId: String?) -> SQLQueryString {
        """
        g.id = COALESCE(\(bind: grantId), (SELECT grant_id FROM access_tokens WHERE jti = \(bind: jti)))
          AND g.revoked_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM access_tokens t WHERE t.jti = \(bind: jti) AND t.revoked_at IS NOT NULL)
        """
    }

    public func isClientAccessTokenActive(jti: String) async throws -> Bool {
        try await engine.read { db in
            try await db.raw("""
                SELECT 1 AS revoked FROM access_tokens WHERE jti = \(bind: jti) AND revoked_at IS NOT NULL
                """).first() == nil
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

    /// Moves a session's last activity to `now`, never backwards (another instance's refresh may have moved it further).
    static func touchSession(_ idHash: String?, now: Int64, on db: any SQLDatabase) async throws {
        guard let idHash else { return }
        try await db.raw("""
            UPDATE sessions SET last_seen_at = \(bind: now)
            WHERE id_hash = \(bind: idHash) AND ended_at IS NULL AND last_seen_at < \(bind: now)
            """).run()
    }

    /// Binds a grant to a DPoP key, unless it is bound already: a key once bound is never replaced.
    static func bind(_ grantId: String, to key: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE grants SET dpop_jkt = \(bind: key) WHERE id = \(bind: grantId) AND dpop_jkt IS NULL").run()
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

/// A refresh token read live in a rotation's transaction was no longer live when the transaction retired it: the
/// rotations of its family did not take turns as the store requires. Nothing was changed; the request may be retried.
public struct RefreshRotationConflict: Error, CustomStringConvertible {
    public var description: String {
        "a refresh token changed during its rotation, which its family's lock should have prevented (nothing was changed)"
    }
}
