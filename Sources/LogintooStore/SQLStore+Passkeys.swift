import LogintooCore
import SQLKit

extension SQLStore: PasskeyStore {
    public func savePasskeyCeremony(_ ceremony: PasskeyCeremony) async throws {
        try await engine.run { db in
            try await db.raw("""
                INSERT INTO passkey_ceremonies (id, challenge_hash, purpose, browser_hash, account_id, login_id,
                  user_verification_required, created_at, expires_at)
                VALUES (\(bind: ceremony.id), \(bind: ceremony.challengeHash), \(bind: ceremony.purpose.rawValue),
                        \(bind: ceremony.browserHash), \(bind: ceremony.accountId), \(bind: ceremony.loginId),
                        \(bind: ceremony.userVerificationRequired), \(bind: ceremony.createdAt), \(bind: ceremony.expiresAt))
                """).run()
        }
    }

    public func liveCeremony(challengeHash: String, purpose: PasskeyCeremony.Purpose, browserHash: String, now: Int64) async throws
        -> PasskeyCeremony? {
        try await engine.read { db in
            try await db.raw("""
                SELECT * FROM passkey_ceremonies
                WHERE challenge_hash = \(bind: challengeHash) AND purpose = \(bind: purpose.rawValue)
                  AND browser_hash = \(bind: browserHash) AND used_at IS NULL AND expires_at > \(bind: now)
                """).first(as: PasskeyCeremony.self)
        }
    }

    public func useCeremony(challengeHash: String, purpose: PasskeyCeremony.Purpose, browserHash: String, now: Int64) async throws
        -> PasskeyCeremony? {
        try await engine.run { db in
            try await db.raw("""
                UPDATE passkey_ceremonies SET used_at = \(bind: now)
                WHERE challenge_hash = \(bind: challengeHash) AND purpose = \(bind: purpose.rawValue)
                  AND browser_hash = \(bind: browserHash) AND used_at IS NULL AND expires_at > \(bind: now)
                RETURNING *
                """).first(as: PasskeyCeremony.self)
        }
    }

    public func addPasskey(_ passkey: Passkey, notice: OutboxMessage, link: PasskeyRevocationLink) async throws -> Bool {
        let trace = traces.carriedContext()
        let added = try await engine.transaction { db in
            guard try await Self.insert(passkey, on: db) else { return false }
            try await Self.enqueue(notice, trace: trace, on: db)
            // The account's expired links can no longer matter; a passkey is added rarely, so this keeps the table small.
            try await db.raw("""
                DELETE FROM passkey_revocation_links WHERE account_id = \(bind: link.accountId) AND expires_at <= \(bind: link.createdAt)
                """).run()
            try await db.raw("""
                INSERT INTO passkey_revocation_links (token_hash, account_id, credential_id, email, passkey_name, created_at,
                  expires_at)
                VALUES (\(bind: link.tokenHash), \(bind: link.accountId), \(bind: link.credentialId), \(bind: link.email),
                        \(bind: link.passkeyName), \(bind: link.createdAt), \(bind: link.expiresAt))
                """).run()
            return true
        }
        if added { outboxDoorbell.ring() }
        return added
    }

    /// Inserts the passkey unless its credential id is registered already; whether it was inserted.
    static func insert(_ passkey: Passkey, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            INSERT INTO passkeys (credential_id, account_id, public_key, algorithm, sign_count, name, created_at, last_used_at,
              backed_up)
            VALUES (\(bind: passkey.credentialId), \(bind: passkey.accountId), \(bind: passkey.publicKey),
                    \(bind: passkey.algorithm), \(bind: passkey.signCount), \(bind: passkey.name), \(bind: passkey.createdAt),
                    \(bind: passkey.lastUsedAt), \(bind: passkey.backedUp))
            ON CONFLICT (credential_id) DO NOTHING
            RETURNING credential_id
            """).first() != nil
    }

    public func passkeyRevocationLink(tokenHash: String, now: Int64) async throws -> PasskeyRevocationLink? {
        try await engine.read { db in
            try await db.raw("""
                SELECT * FROM passkey_revocation_links
                WHERE token_hash = \(bind: tokenHash) AND used_at IS NULL AND expires_at > \(bind: now)
                """).first(as: PasskeyRevocationLink.self)
        }
    }

    public func revokePasskey(tokenHash: String, now: Int64) async throws -> PasskeyRevocation? {
        try await engine.transaction { db in
            guard let link = try await db.raw("""
                UPDATE passkey_revocation_links SET used_at = \(bind: now)
                WHERE token_hash = \(bind: tokenHash) AND used_at IS NULL AND expires_at > \(bind: now)
                RETURNING *
                """).first(as: PasskeyRevocationLink.self)
            else { return nil }
            // Whoever added this passkey may have added others in the same sitting (one sign-in may add passkeys for
            // `PasskeyService.enrollmentWindow`): every passkey of the account added that close to it goes too.
            let window = PasskeyService.enrollmentWindow
            let removed = try await db.raw("""
                DELETE FROM passkeys WHERE account_id = \(bind: link.accountId)
                  AND (credential_id = \(bind: link.credentialId)
                       OR created_at BETWEEN \(bind: link.createdAt - window) AND \(bind: link.createdAt + window))
                RETURNING credential_id
                """).all().count > 0
            let ended = try await db.raw("""
                UPDATE sessions SET ended_at = \(bind: now) WHERE account_id = \(bind: link.accountId) AND ended_at IS NULL
                RETURNING id_hash
                """).all()
            try await queueLogoutNotices(sessions: "s.account_id = \(bind: link.accountId) AND s.ended_at = \(bind: now)",
                                         now: now, on: db)
            // As ending one session does (`endSession`): what was granted within the ended sessions stops working.
            try await db.raw("""
                UPDATE grants SET revoked_at = \(bind: now)
                WHERE revoked_at IS NULL AND account_id = \(bind: link.accountId) AND session_hash IN
                  (SELECT id_hash FROM sessions WHERE account_id = \(bind: link.accountId) AND ended_at = \(bind: now))
                """).run()
            try await Self.expireCodes(ofSessionsEndedAt: now, accountId: link.accountId, on: db)
            return PasskeyRevocation(link: link, passkeyRemoved: removed, sessionsEnded: ended.count)
        }
    }

    public func passkey(credentialId: String) async throws -> Passkey? {
        try await engine.read { db in
            try await db.raw("SELECT * FROM passkeys WHERE credential_id = \(bind: credentialId)").first(as: Passkey.self)
        }
    }

    public func passkeys(accountId: String) async throws -> [Passkey] {
        try await engine.read { db in
            try await db.raw("""
                SELECT * FROM passkeys WHERE account_id = \(bind: accountId) ORDER BY created_at DESC, credential_id
                """).all(as: Passkey.self)
        }
    }

    public func renamePasskey(credentialId: String, accountId: String, name: String) async throws -> Bool {
        try await engine.run { db in
            try await db.raw("""
                UPDATE passkeys SET name = \(bind: name) WHERE credential_id = \(bind: credentialId) AND account_id = \(bind: accountId)
                RETURNING credential_id
                """).first() != nil
        }
    }

    public func removePasskey(credentialId: String, accountId: String, now: Int64) async throws -> Bool {
        try await engine.transaction { db in
            guard try await db.raw("""
                DELETE FROM passkeys WHERE credential_id = \(bind: credentialId) AND account_id = \(bind: accountId)
                RETURNING credential_id
                """).first() != nil
            else { return false }
            try await db.raw("""
                UPDATE grants SET revoked_at = \(bind: now) WHERE revoked_at IS NULL AND session_hash IN (
                  SELECT id_hash FROM sessions WHERE passkey_id = \(bind: credentialId) AND account_id = \(bind: accountId)
                    AND ended_at IS NULL)
                """).run()
            try await db.raw("""
                UPDATE sessions SET ended_at = \(bind: now)
                WHERE passkey_id = \(bind: credentialId) AND account_id = \(bind: accountId) AND ended_at IS NULL
                """).run()
            try await queueLogoutNotices(
                sessions: "s.passkey_id = \(bind: credentialId) AND s.account_id = \(bind: accountId) AND s.ended_at = \(bind: now)",
                now: now, on: db)
            try await Self.expireCodes(ofSessionsEndedAt: now, accountId: accountId, on: db)
            return true
        }
    }

    /// An authorization code issued in a session that has just ended, and not yet exchanged, must not open a new grant
    /// after it: it expires with the session.
    static func expireCodes(ofSessionsEndedAt now: Int64, accountId: String, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE authorization_codes SET expires_at = \(bind: now)
            WHERE consumed_at IS NULL AND expires_at > \(bind: now) AND session_hash IN
              (SELECT id_hash FROM sessions WHERE account_id = \(bind: accountId) AND ended_at = \(bind: now))
            """).run()
    }
}
