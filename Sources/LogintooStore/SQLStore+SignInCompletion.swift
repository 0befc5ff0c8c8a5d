import LogintooCore
import SQLKit

/// A sign-in's last step, whole or not at all: if any write failed after the session existed, the person would hold a
/// session without the code their client waits for, and their proof would be spent.
extension SQLStore {
    public func completeSignIn(_ completion: SignInCompletion, now: Int64, records: @Sendable (Account) -> SignInRecords) async throws
        -> SignInCompletionOutcome {
        try await transaction { db in
            guard try await Self.useUp(completion.proof, loginId: completion.loginId, now: now, on: db),
                  try await db.raw("DELETE FROM logins WHERE id = \(bind: completion.loginId) RETURNING id").first() != nil
            else { throw Rollback(outcome: SignInCompletionOutcome.proofUsed) }
            let account = try await Self.findOrCreateAccount(
                email: completion.email, formerEmail: completion.formerEmail, newId: completion.newAccountId, now: now, on: db)
            guard account.disabledAt == nil else { return SignInCompletionOutcome.accountDisabled }
            for key in completion.forgettingLimits {
                try await db.raw("DELETE FROM rate_limits WHERE bucket = \(bind: key)").run()
            }
            let made = records(account)
            // The session remembers the passkey it was made with from the proof itself, so that removing it ends them.
            try await Self.insert(made.session, passkeyId: completion.proof.passkeyId, on: db)
            try await Self.insert(made.code, on: db)
            if let browser = made.knownBrowser { try await Self.remember(browser, on: db) }
            return .completed(account, made)
        }
    }

    /// Uses the proof once; false when it was used already (or, for a code, link or ceremony, is no longer live).
    static func useUp(_ proof: SignInProof, loginId: String, now: Int64, on db: any SQLDatabase) async throws -> Bool {
        switch proof {
        case .code(let id):
            return try await db.raw("""
                UPDATE challenges SET consumed_at = \(bind: now)
                WHERE id = \(bind: id) AND login_id = \(bind: loginId) AND consumed_at IS NULL AND expires_at > \(bind: now)
                RETURNING id
                """).first() != nil
        case .link(let linkHash, let id):
            return try await db.raw("""
                UPDATE challenges SET consumed_at = \(bind: now), link_hash = NULL
                WHERE id = \(bind: id) AND login_id = \(bind: loginId) AND link_hash = \(bind: linkHash) AND consumed_at IS NULL
                  AND expires_at > \(bind: now)
                RETURNING id
                """).first() != nil
        case .approval(let id):
            return try await db.raw("""
                SELECT id FROM challenges WHERE id = \(bind: id) AND login_id = \(bind: loginId) AND approved_at IS NOT NULL
                """).first() != nil
        case .passkey(let ceremonyId, let credentialId, let accountId, let signCount):
            guard try await db.raw("""
                UPDATE passkey_ceremonies SET used_at = \(bind: now)
                WHERE id = \(bind: ceremonyId) AND login_id = \(bind: loginId) AND used_at IS NULL AND expires_at > \(bind: now)
                RETURNING id
                """).first() != nil
            else { return false }
            // The passkey may have been removed since the assertion was checked.
            return try await db.raw("""
                UPDATE passkeys SET last_used_at = \(bind: now),
                  sign_count = CASE WHEN sign_count > \(bind: signCount) THEN sign_count ELSE \(bind: signCount) END
                WHERE credential_id = \(bind: credentialId) AND account_id = \(bind: accountId)
                RETURNING credential_id
                """).first() != nil
        }
    }

    static func insert(_ session: Session, passkeyId: String?, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO sessions (id_hash, account_id, auth_time, created_at, last_seen_at, expires_at, amr, acr, passkey_id,
              browser, network)
            VALUES (\(bind: session.idHash), \(bind: session.accountId), \(bind: session.authTime), \(bind: session.createdAt),
                    \(bind: session.lastSeenAt), \(bind: session.expiresAt), \(bind: session.amr), \(bind: session.acr),
                    \(bind: passkeyId), \(bind: session.browser), \(bind: session.network))
            """).run()
    }

    /// Remembers a browser that just signed in. Expired ones are forgotten by the hourly housekeeping (`purgeExpired`),
    /// and never found before it. Searching the account's expired ones here read index pages that concurrent sign-ins
    /// write: on PostgreSQL one of two such sign-ins then failed its serializable check and ran again.
    static func remember(_ browser: KnownBrowser, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO known_browsers (token_hash, account_id, created_at, expires_at)
            VALUES (\(bind: browser.tokenHash), \(bind: browser.accountId), \(bind: browser.createdAt), \(bind: browser.expiresAt))
            """).run()
    }
}
