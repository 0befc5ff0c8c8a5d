import Crypto

/// What an operator does to people's accounts, from the admin API or the CLI: find them, see what they hold, disable
/// and enable them, end their sessions and grants, and erase them. Every change is recorded in the audit trail with
/// the operator who made it.
public struct AccountAdministration: Sendable {
    let store: any AccountAdministrationStore & AccountStore & PasskeyStore
    let clock: any WallClock
    let events: any SecurityEventSink
    let pseudonymKey: SymmetricKey

    public init(store: any AccountAdministrationStore & AccountStore & PasskeyStore, clock: any WallClock, secret: ServerSecret,
                events: any SecurityEventSink) {
        self.store = store
        self.clock = clock
        self.events = events
        self.pseudonymKey = secret.key(for: .auditPseudonym)
    }

    /// The most accounts one search answers.
    public static let searchLimit = 100
    /// How many of an account's newest audit records its details show.
    public static let recentEventCount = 20

    /// What an operator sees of one account.
    public struct Details: Sendable, Equatable {
        public var summary: AccountSummary
        public var sessions: [Session]
        public var grants: [Grant]
        public var passkeys: [Passkey]
        public var recentEvents: [AuditRecord]
    }

    /// Accounts whose address begins with `prefix` (compared in lower case), by address; at most `limit`, after the
    /// address `after` when paging.
    public func search(prefix: String, after: String? = nil, limit: Int = searchLimit) async throws -> [AccountSummary] {
        try await store.accounts(emailPrefix: prefix.lowercased(), after: after?.lowercased(),
                                 limit: max(1, min(limit, Self.searchLimit)))
    }

    public func details(id: String) async throws -> Details? {
        guard let account = try await store.account(id: id) else { return nil }
        let now = clock.now()
        let sessions = try await store.sessions(accountId: id, now: now)
        let events = try await store.auditRecords(matching: AuditFilter(accountId: id, email: account.email), before: nil,
                                                  limit: Self.recentEventCount)
        return Details(summary: AccountSummary(account: account, lastSignInAt: sessions.map(\.authTime).max()),
                       sessions: sessions, grants: try await store.grants(accountId: id, now: now),
                       passkeys: try await store.passkeys(accountId: id), recentEvents: events)
    }

    public func account(id: String) async throws -> Account? { try await store.account(id: id) }

    /// The account kept under `email` (normalized as sign-in normalizes it).
    public func account(email: String) async throws -> Account? {
        guard let address = try? EmailAddress.parse(email) else { return nil }
        return try await store.account(email: address.value)
    }

    /// Disables the account and ends everything it holds; its refresh tokens, sessions and codes stop working at once.
    public func disable(id: String, actor: String) async throws -> AccountLockout? {
        guard let account = try await store.account(id: id),
              let lockout = try await store.disableAccount(id: id, now: clock.now())
        else { return nil }
        await events.record(.accountDisabled(email: account.email, accountId: id, actor: actor, lockout: lockout))
        return lockout
    }

    public func enable(id: String, actor: String) async throws -> Bool {
        guard let account = try await store.account(id: id), try await store.enableAccount(id: id) else { return false }
        await events.record(.accountEnabled(email: account.email, accountId: id, actor: actor))
        return true
    }

    /// Ends the account's session `sessionHash`, or every live one, and what was granted within them.
    public func endSessions(accountId: String, sessionHash: String? = nil, actor: String) async throws -> AccountLockout? {
        guard let account = try await store.account(id: accountId) else { return nil }
        let lockout = try await store.endSessions(accountId: accountId, sessionHash: sessionHash, now: clock.now())
        await events.record(.sessionsRevoked(email: account.email, accountId: accountId, actor: actor, lockout: lockout))
        return lockout
    }

    /// Revokes the account's grant `grantId`, or every grant; `nil` without such an account.
    public func revokeGrants(accountId: String, grantId: String? = nil, actor: String) async throws -> Int? {
        guard let account = try await store.account(id: accountId) else { return nil }
        let count = try await store.revokeGrants(accountId: accountId, grantId: grantId, now: clock.now())
        await events.record(.grantsRevoked(email: account.email, accountId: accountId, actor: actor, count: count))
        return count
    }

    /// Forgets the person (the right to erasure): everything kept about the account goes, except its audit records,
    /// which keep their facts under the address's pseudonym. Returns the pseudonym; `nil` without such an account.
    public func erase(id: String, actor: String) async throws -> String? {
        guard let account = try await store.account(id: id) else { return nil }
        let pseudonym = pseudonym(of: account.email)
        guard try await store.eraseAccount(id: id, pseudonym: pseudonym, now: clock.now()) else { return nil }
        await events.record(.accountErased(pseudonym: pseudonym, accountId: id, actor: actor))
        return pseudonym
    }

    /// The filter of the records about account `id`: its id as their subject, or its address while it is kept (an erased
    /// account's records keep its id, and its pseudonym in place of the address).
    public func auditFilter(accountId id: String) async throws -> AuditFilter {
        AuditFilter(accountId: id, email: try await store.account(id: id)?.email)
    }

    /// Audit records matching `filter`, newest first; at most `limit` (up to 1,000), older than `before` when paging.
    public func audit(_ filter: AuditFilter, before: AuditCursor? = nil, limit: Int = 100) async throws -> [AuditRecord] {
        try await store.auditRecords(matching: filter, before: before, limit: max(1, min(limit, 1_000)))
    }

    /// The stand-in for an erased address: the same for every record of that address, and not reversible without the
    /// server secret (a plain hash of an address is, by trying addresses).
    func pseudonym(of email: String) -> String {
        "erased:" + SecretDigest.hmac(email, key: pseudonymKey).prefix(22)
    }
}
