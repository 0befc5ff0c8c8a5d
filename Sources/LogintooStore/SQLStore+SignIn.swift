import LogintooCore
import SQLKit

extension SQLStore: AccountStore, LoginStore, ChallengeStore {
    // MARK: accounts

    public func account(id: String) async throws -> Account? {
        try await engine.read { db in
            try await db.raw("SELECT * FROM accounts WHERE id = \(bind: id)").first(as: Account.self)
        }
    }

    public func account(email: String) async throws -> Account? {
        try await engine.read { db in
            try await db.raw("SELECT * FROM accounts WHERE email = \(bind: email)").first(as: Account.self)
        }
    }

    public func findOrCreateAccount(email: String, formerEmail: String?, newId: String, now: Int64) async throws -> Account {
        try await engine.transaction { db in
            try await Self.findOrCreateAccount(email: email, formerEmail: formerEmail, newId: newId, now: now, on: db)
        }
    }

    static func findOrCreateAccount(email: String, formerEmail: String?, newId: String, now: Int64, on db: any SQLDatabase)
        async throws -> Account {
        if let formerEmail {
            try await db.raw("""
                UPDATE accounts SET email = \(bind: email) WHERE email = \(bind: formerEmail)
                  AND NOT EXISTS (SELECT 1 FROM accounts WHERE email = \(bind: email))
                """).run()
        }
        try await db.raw("""
            INSERT INTO accounts (id, email, created_at) VALUES (\(bind: newId), \(bind: email), \(bind: now))
            ON CONFLICT (email) DO NOTHING
            """).run()
        guard let account = try await db.raw("SELECT * FROM accounts WHERE email = \(bind: email)").first(as: Account.self) else {
            throw StoreError.missingRow("accounts")
        }
        return account
    }

    public func knownBrowserAccount(tokenHash: String, now: Int64) async throws -> Account? {
        try await engine.read { db in
            try await db.raw("""
                SELECT accounts.* FROM known_browsers JOIN accounts ON accounts.id = known_browsers.account_id
                WHERE known_browsers.token_hash = \(bind: tokenHash) AND known_browsers.expires_at > \(bind: now)
                """).first(as: Account.self)
        }
    }

    // MARK: login transactions

    struct LoginRow: Codable {
        var id: String
        var browserHash: String
        var request: String
        var email: String?
        var createdAt: Int64
        var expiresAt: Int64
    }

    public func saveLogin(_ login: LoginTransaction) async throws {
        let request = try JSONText.encode(login.request)
        try await engine.write { db in
            try await db.raw("""
                INSERT INTO logins (id, browser_hash, request, email, created_at, expires_at)
                VALUES (\(bind: login.id), \(bind: login.browserHash), \(bind: request), \(bind: login.email),
                        \(bind: login.createdAt), \(bind: login.expiresAt))
                ON CONFLICT (id) DO UPDATE SET browser_hash = excluded.browser_hash, request = excluded.request,
                  email = excluded.email, created_at = excluded.created_at, expires_at = excluded.expires_at
                """).run()
        }
    }

    public func login(id: String) async throws -> LoginTransaction? {
        guard let row = try await engine.read({ db in
            try await db.raw("SELECT * FROM logins WHERE id = \(bind: id)").first(as: LoginRow.self)
        }) else { return nil }
        return LoginTransaction(
            id: row.id, browserHash: row.browserHash, request: try JSONText.decode(AuthorizationRequest.self, from: row.request),
            email: row.email, createdAt: row.createdAt, expiresAt: row.expiresAt
        )
    }

    public func setLoginAddress(id: String, email: String) async throws {
        try await engine.write { db in try await db.raw("UPDATE logins SET email = \(bind: email) WHERE id = \(bind: id)").run() }
    }

    public func deleteLogin(id: String) async throws {
        try await engine.write { db in try await db.raw("DELETE FROM logins WHERE id = \(bind: id)").run() }
    }

    // MARK: challenges

    public func issueChallenge(_ challenge: Challenge, message: OutboxMessage, limits: [RateLimit],
                               keepingLiveCodeWithin maxAttempts: Int?, cancelLink: CancelLink?, now: Int64,
                               decide: @Sendable (CodeSendRule.Facts) -> CodeSendRule.Decision) async throws -> ChallengeIssue {
        // Queued on the send counters: concurrent sends take turns on them rather than fail and retry. The facts are read
        // after them, so they see what the sends before this one committed; the rollback returns whatever was counted.
        let trace = traces.carriedContext()
        let outcome = try await transaction(queued: true) { db in
            var limitsAllow = true
            for limit in limits where try await !Self.consume(limit, now: now, on: db) {
                limitsAllow = false
                break
            }
            let pausedAt = try await db.raw("SELECT paused_at FROM send_pauses WHERE mailbox = \(bind: challenge.mailbox)")
                .first()?.decode(column: "paused_at", as: Int64.self)
            var liveCodeToKeep = false
            if let maxAttempts {
                liveCodeToKeep = try await db.raw("""
                    SELECT id FROM challenges WHERE login_id = \(bind: challenge.loginId) AND consumed_at IS NULL
                      AND expires_at > \(bind: now) AND attempts < \(bind: maxAttempts)
                    """).first() != nil
            }
            let facts = CodeSendRule.Facts(lane: challenge.codeLane, limitsAllow: limitsAllow, pausedAt: pausedAt,
                                           liveCodeToKeep: liveCodeToKeep)
            switch decide(facts) {
            case .keepLiveCode: throw Rollback(outcome: ChallengeIssue.alreadyLive)
            case .throttle: throw Rollback(outcome: ChallengeIssue.throttled)
            case .issue: break
            }
            try await Self.dropLiveChallenges(
                matching: "(mailbox = \(bind: challenge.mailbox) AND lane = \(bind: challenge.lane)) OR login_id = \(bind: challenge.loginId)",
                reason: "replaced by a newer code", now: now, on: db)
            try await db.raw("""
                INSERT INTO challenges (id, login_id, email, code_hash, created_at, expires_at, attempts, link_hash, mailbox, lane)
                VALUES (\(bind: challenge.id), \(bind: challenge.loginId), \(bind: challenge.email), \(bind: challenge.codeHash),
                        \(bind: challenge.createdAt), \(bind: challenge.expiresAt), 0, \(bind: challenge.linkHash),
                        \(bind: challenge.mailbox), \(bind: challenge.lane))
                """).run()
            try await db.raw("UPDATE logins SET email = \(bind: challenge.email) WHERE id = \(bind: challenge.loginId)").run()
            try await Self.enqueue(message, trace: trace, on: db)
            if let link = cancelLink {
                try await db.raw("""
                    INSERT INTO cancel_links (token_hash, email, mailbox, expires_at)
                    VALUES (\(bind: link.tokenHash), \(bind: link.email), \(bind: link.mailbox), \(bind: link.expiresAt))
                    """).run()
            }
            return ChallengeIssue.issued
        }
        if outcome == .issued { outboxDoorbell.ring() }
        return outcome
    }

    // MARK: magic links

    public func liveChallenge(linkHash: String, now: Int64) async throws -> Challenge? {
        try await engine.run { db in
            try await db.raw("""
                SELECT * FROM challenges WHERE link_hash = \(bind: linkHash) AND consumed_at IS NULL AND expires_at > \(bind: now)
                """).first(as: Challenge.self)
        }
    }

    public func approveLink(linkHash: String, now: Int64) async throws -> Bool {
        try await engine.run { db in
            try await db.raw("""
                UPDATE challenges SET consumed_at = \(bind: now), link_hash = NULL, approved_at = \(bind: now)
                WHERE link_hash = \(bind: linkHash) AND consumed_at IS NULL AND expires_at > \(bind: now)
                RETURNING id
                """).first() != nil
        }
    }

    public func burnLink(linkHash: String) async throws {
        try await engine.run { db in
            try await db.raw("UPDATE challenges SET link_hash = NULL WHERE link_hash = \(bind: linkHash)").run()
        }
    }

    public func approvedChallenge(loginId: String) async throws -> Challenge? {
        try await engine.read { db in try await Self.approvedChallenge(loginId: loginId, on: db) }
    }

    static func approvedChallenge(loginId: String, on db: any SQLDatabase) async throws -> Challenge? {
        try await db.raw("SELECT * FROM challenges WHERE login_id = \(bind: loginId) AND approved_at IS NOT NULL")
            .first(as: Challenge.self)
    }

    public func cancelLinkEmail(linkHash: String, now: Int64) async throws -> String? {
        try await engine.read { db in
            try await db.raw("""
                SELECT email FROM cancel_links WHERE token_hash = \(bind: linkHash) AND used_at IS NULL AND expires_at > \(bind: now)
                """).first()?.decode(column: "email", as: String.self)
        }
    }

    public func cancelSignIns(linkHash: String, now: Int64) async throws -> String? {
        try await transaction { db in
            guard let link = try await db.raw("""
                UPDATE cancel_links SET used_at = \(bind: now)
                WHERE token_hash = \(bind: linkHash) AND used_at IS NULL AND expires_at > \(bind: now)
                RETURNING email, mailbox
                """).first()
            else { return nil }
            let email = try link.decode(column: "email", as: String.self)
            let mailbox = try link.decode(column: "mailbox", as: String.self)
            // A sign-in approved on another device but not yet finished is pending too.
            try await db.raw("""
                DELETE FROM logins WHERE id IN (SELECT login_id FROM challenges WHERE mailbox = \(bind: mailbox)
                  AND (consumed_at IS NULL OR approved_at IS NOT NULL))
                """).run()
            try await Self.dropLiveChallenges(matching: "mailbox = \(bind: mailbox)", reason: "cancelled by the recipient", now: now, on: db)
            try await db.raw("""
                INSERT INTO send_pauses (mailbox, paused_at) VALUES (\(bind: mailbox), \(bind: now))
                ON CONFLICT (mailbox) DO UPDATE SET paused_at = excluded.paused_at
                """).run()
            return email
        }
    }

    public func forgetAddress(loginId: String, now: Int64) async throws {
        try await transaction { db in
            try await Self.dropLiveChallenges(matching: "login_id = \(bind: loginId)", reason: "another address was entered", now: now,
                                              on: db)
            // An approval from another device was for the first address: it must not finish the sign-in either.
            try await db.raw("DELETE FROM challenges WHERE login_id = \(bind: loginId) AND approved_at IS NOT NULL").run()
            try await db.raw("UPDATE logins SET email = NULL WHERE id = \(bind: loginId)").run()
        }
    }

    /// Ends the unused codes that `condition` selects: their unsent emails are abandoned for `reason`, and the codes
    /// (with their magic links) deleted.
    static func dropLiveChallenges(matching condition: SQLQueryString, reason: String, now: Int64, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE outbox SET abandoned_at = \(bind: now), sealed_content = NULL, last_error = \(bind: reason)
            WHERE sent_at IS NULL AND abandoned_at IS NULL
              AND id IN (SELECT id FROM challenges WHERE (\(condition)) AND consumed_at IS NULL)
            """).run()
        try await db.raw("DELETE FROM challenges WHERE (\(condition)) AND consumed_at IS NULL").run()
    }

    public func beginAttempt(
        loginId: String, maxAttempts: Int, budgets: @Sendable (Challenge) -> [RateLimit], now: Int64
    ) async throws -> AttemptOutcome {
        try await transaction { db in
            guard let live = try await db.raw("""
                SELECT * FROM challenges WHERE login_id = \(bind: loginId) AND consumed_at IS NULL AND expires_at > \(bind: now)
                  AND attempts < \(bind: maxAttempts)
                """).first(as: Challenge.self)
            else { return AttemptOutcome.noLiveChallenge }
            // The challenge row first, then the budgets: `completeSignIn` locks them in that order too, so that a right
            // code completing while other entries of it are counted never deadlocks with them (on PostgreSQL each
            // deadlock costs a second of waiting before one side is cancelled and runs again).
            guard let counted = try await db.raw("""
                UPDATE challenges SET attempts = attempts + 1
                WHERE id = \(bind: live.id) AND consumed_at IS NULL AND expires_at > \(bind: now) AND attempts < \(bind: maxAttempts)
                RETURNING *
                """).first(as: Challenge.self)
            else { throw Rollback(outcome: AttemptOutcome.noLiveChallenge) }
            for limit in budgets(counted) {
                guard try await Self.consume(limit, now: now, on: db) else { throw Rollback(outcome: AttemptOutcome.throttled) }
            }
            return .allowed(counted)
        }
    }

}

/// A store invariant that did not hold.
public enum StoreError: Error, CustomStringConvertible {
    case missingRow(String)
    /// A value the schema allows but this version does not know, as from a newer version sharing the database.
    case unknownValue(table: String, column: String, value: String)
    public var description: String {
        switch self {
        case .missingRow(let table): "an expected row in \(table) is missing"
        case .unknownValue(let table, let column, let value): "\(table).\(column) holds \(value), which this version does not know"
        }
    }
}
