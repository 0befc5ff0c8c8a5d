import LogintooCore
import SQLKit

extension SQLStore: AccountAdministrationStore {
    public func accounts(emailPrefix: String, after: String?, limit: Int) async throws -> [AccountSummary] {
        try await engine.read { db in
            // Addresses are stored lower-cased (`EmailAddress`), as the prefix comes; in byte order, which UTF-8 keeps in
            // code point order, those that start with the prefix are the range from the prefix to the prefix followed by
            // the last code point: one stretch of an index (migration 23).
            let email = db.isPostgreSQL ? #"a.email COLLATE "C""# : "a.email"
            var query: SQLQueryString = """
                SELECT a.*, (SELECT MAX(s.auth_time) FROM sessions s WHERE s.account_id = a.id) AS last_sign_in_at
                FROM accounts a
                WHERE \(unsafeRaw: email) >= \(bind: emailPrefix) AND \(unsafeRaw: email) < \(bind: emailPrefix + "\u{10FFFF}")
                """
            if let after { query += " AND \(unsafeRaw: email) > \(bind: after)" }
            query += " ORDER BY \(unsafeRaw: email) LIMIT \(bind: limit)"
            return try await db.raw(query).all(reading: AccountSummaryRow.self).map(\.summary)
        }
    }

    public func sessions(accountId: String, now: Int64) async throws -> [Session] {
        try await engine.read { db in
            try await db.raw("""
                SELECT * FROM sessions WHERE account_id = \(bind: accountId) AND ended_at IS NULL AND expires_at > \(bind: now)
                ORDER BY auth_time DESC, id_hash
                """).all(as: Session.self)
        }
    }

    public func grants(accountId: String, now: Int64) async throws -> [Grant] {
        try await engine.read { db in
            try await db.raw("""
                SELECT * FROM grants WHERE account_id = \(bind: accountId) AND revoked_at IS NULL AND expires_at > \(bind: now)
                ORDER BY created_at DESC, id
                """).all(reading: Grant.self)
        }
    }

    public func disableAccount(id: String, now: Int64) async throws -> AccountLockout? {
        try await engine.transaction { db in
            guard try await db.raw("""
                UPDATE accounts SET disabled_at = COALESCE(disabled_at, \(bind: now)) WHERE id = \(bind: id) RETURNING id
                """).first() != nil
            else { return nil }
            let ended = try await Self.endSessions(accountId: id, sessionHash: nil, now: now, on: db)
            try await queueLogoutNotices(sessions: "s.account_id = \(bind: id) AND s.ended_at = \(bind: now)", now: now, on: db)
            let revoked = try await Self.revokeGrants(accountId: id, grantId: nil, now: now, on: db)
            // Codes of sessions ended long ago, or issued without one, go too: nothing the account holds opens a grant.
            try await db.raw("""
                UPDATE authorization_codes SET expires_at = \(bind: now)
                WHERE account_id = \(bind: id) AND consumed_at IS NULL AND expires_at > \(bind: now)
                """).run()
            return AccountLockout(sessionsEnded: ended, grantsRevoked: revoked)
        }
    }

    public func enableAccount(id: String) async throws -> Bool {
        try await engine.run { db in
            try await db.raw("UPDATE accounts SET disabled_at = NULL WHERE id = \(bind: id) RETURNING id").first() != nil
        }
    }

    public func endSessions(accountId: String, sessionHash: String?, now: Int64) async throws -> AccountLockout {
        try await engine.transaction { db in
            let ended = try await Self.endSessions(accountId: accountId, sessionHash: sessionHash, now: now, on: db)
            try await queueLogoutNotices(sessions: "s.account_id = \(bind: accountId) AND s.ended_at = \(bind: now)", now: now,
                                         on: db)
            let revoked = try await db.raw("""
                UPDATE grants SET revoked_at = \(bind: now)
                WHERE revoked_at IS NULL AND account_id = \(bind: accountId) AND session_hash IN
                  (SELECT id_hash FROM sessions WHERE account_id = \(bind: accountId) AND ended_at = \(bind: now))
                RETURNING id
                """).all().count
            try await Self.expireCodes(ofSessionsEndedAt: now, accountId: accountId, on: db)
            return AccountLockout(sessionsEnded: ended, grantsRevoked: revoked)
        }
    }

    public func revokeGrants(accountId: String, grantId: String?, now: Int64) async throws -> Int {
        try await engine.transaction { db in
            try await Self.revokeGrants(accountId: accountId, grantId: grantId, now: now, on: db)
        }
    }

    public func eraseAccount(id: String, pseudonym: String, now: Int64) async throws -> Bool {
        try await engine.transaction { db in
            guard let account = try await db.raw("DELETE FROM accounts WHERE id = \(bind: id) RETURNING *").first(as: Account.self)
            else { return false }
            let email = account.email
            // The person's sites learn of it before the sessions they were part of are forgotten; as disabling does, a
            // session past its expiry counts too, since the grants made in it may outlive it.
            try await queueLogoutNotices(sessions: "s.account_id = \(bind: id) AND s.ended_at IS NULL", now: now, on: db)
            try await db.raw("""
                DELETE FROM access_tokens WHERE grant_id IN (SELECT id FROM grants WHERE account_id = \(bind: id))
                """).run()
            try await db.raw("""
                DELETE FROM refresh_tokens WHERE grant_id IN (SELECT id FROM grants WHERE account_id = \(bind: id))
                """).run()
            for table in ["grants", "sessions", "authorization_codes", "passkeys", "passkey_revocation_links", "known_browsers",
                          "passkey_ceremonies", "admin_accounts"] {
                try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE account_id = \(bind: id)").run()
            }
            for (table, column) in [("logins", "email"), ("challenges", "email"), ("cancel_links", "email"), ("outbox", "recipient")] {
                try await db.raw("DELETE FROM \(unsafeRaw: table) WHERE \(unsafeRaw: column) = \(bind: email)").run()
            }
            try await db.raw("UPDATE audit_events SET email = \(bind: pseudonym) WHERE email = \(bind: email)").run()
            // Webhooks still waiting would send the address, or events of the account, after it is gone.
            try await db.raw("""
                DELETE FROM deliveries WHERE delivered_at IS NULL AND abandoned_at IS NULL
                AND (subject = \(bind: id) OR subject = \(bind: email))
                """).run()
            return true
        }
    }

    public func auditRecords(matching filter: AuditFilter, before: AuditCursor?, limit: Int) async throws -> [AuditRecord] {
        try await engine.read { db in
            var query: SQLQueryString = "SELECT * FROM audit_events WHERE 1 = 1"
            switch (filter.accountId, filter.email) {
            case let (id?, email?): query += " AND (subject = \(bind: id) OR email = \(bind: email))"
            case let (id?, nil): query += " AND subject = \(bind: id)"
            case let (nil, email?): query += " AND email = \(bind: email)"
            case (nil, nil): break
            }
            if let client = filter.clientId { query += " AND client_id = \(bind: client)" }
            if let kind = filter.kind { query += " AND kind = \(bind: kind)" }
            if let since = filter.since { query += " AND at >= \(bind: since)" }
            if let until = filter.until { query += " AND at < \(bind: until)" }
            if let before { query += " AND (at < \(bind: before.at) OR (at = \(bind: before.at) AND id < \(bind: before.id)))" }
            query += " ORDER BY at DESC, id DESC LIMIT \(bind: limit)"
            return try await db.raw(query).all(as: AuditRecord.self)
        }
    }

    // MARK: statements shared by the operations above

    /// Ends the account's live session `sessionHash`, or all of them; returns how many.
    static func endSessions(accountId: String, sessionHash: String?, now: Int64, on db: any SQLDatabase) async throws -> Int {
        var query: SQLQueryString = """
            UPDATE sessions SET ended_at = \(bind: now) WHERE account_id = \(bind: accountId) AND ended_at IS NULL
            """
        if let sessionHash { query += " AND id_hash = \(bind: sessionHash)" }
        return try await db.raw(query + " RETURNING id_hash").all().count
    }

    static func revokeGrants(accountId: String, grantId: String?, now: Int64, on db: any SQLDatabase) async throws -> Int {
        var query: SQLQueryString = """
            UPDATE grants SET revoked_at = \(bind: now) WHERE account_id = \(bind: accountId) AND revoked_at IS NULL
            """
        if let grantId { query += " AND id = \(bind: grantId)" }
        return try await db.raw(query + " RETURNING id").all().count
    }

    /// An account with its newest sign-in, as the search reads it.
    struct AccountSummaryRow: ColumnDecodable, Sendable {
        let summary: AccountSummary

        init(columns row: some SQLRow) throws {
            summary = AccountSummary(
                account: Account(id: try row.decode(column: "id"), email: try row.decode(column: "email"),
                                 createdAt: try row.decode(column: "created_at"), disabledAt: try row.decode(column: "disabled_at")),
                lastSignInAt: try row.decode(column: "last_sign_in_at"))
        }
    }
}
