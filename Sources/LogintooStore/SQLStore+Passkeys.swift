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

    public func addPasskey(_ passkey: Passkey) async throws -> Bool {
        try await engine.run { db in
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

    public func removePasskey(credentialId: String, accountId: String) async throws -> Bool {
        try await engine.run { db in
            try await db.raw("""
                DELETE FROM passkeys WHERE credential_id = \(bind: credentialId) AND account_id = \(bind: accountId)
                RETURNING credential_id
                """).first() != nil
        }
    }
}
