/// The account page of a signed-in person (`/account`): their live sessions, where each was made, to end one or all;
/// the sites they signed in to, to sign out of one; and deleting the account, confirmed by an emailed code
/// (`AccountSelfService+Deletion`). Every operation acts for the live session of the browser's cookie and only on that
/// session's account: a session or site named in a form is looked for among that account's own. The changes are the
/// operator's (`AccountAdministration`), recorded with the actor `self`.
public struct AccountSelfService: Sendable {
    let store: any AccountSelfServiceStore & AccountAdministrationStore & SessionStore & AccountStore & ClientStore
    let administration: AccountAdministration
    /// The sign-in code machinery the deletion code reuses: making and digesting codes, sealing their email.
    let signIn: SignInService
    let policy: Policy
    let clock: any WallClock
    let random: any RandomSource
    let events: any SecurityEventSink

    public init(store: any AccountSelfServiceStore & AccountAdministrationStore & SessionStore & AccountStore & ClientStore,
                administration: AccountAdministration, signIn: SignInService, policy: Policy, clock: any WallClock,
                random: any RandomSource, events: any SecurityEventSink) {
        self.store = store
        self.administration = administration
        self.signIn = signIn
        self.policy = policy
        self.clock = clock
        self.random = random
        self.events = events
    }

    /// The actor the audit trail names for what a person did to their own account.
    public static let actor = "self"

    /// One of the person's live sessions.
    public struct SessionEntry: Sendable, Equatable {
        public let session: Session
        /// The session of the browser looking at the page.
        public let isThisBrowser: Bool
    }

    /// A site (client) the person is signed in to: it holds live grants of the account.
    public struct Site: Sendable, Equatable {
        public let clientId: String
        public let name: String
        /// When the newest of its grants was made.
        public let signedInAt: Int64
    }

    /// What the account page shows.
    public struct Overview: Sendable, Equatable {
        public let account: Account
        /// Newest sign-in first.
        public let sessions: [SessionEntry]
        /// Newest sign-in first.
        public let sites: [Site]
    }

    /// The account of the browser's session, its live sessions and the sites it is signed in to; `nil` when the
    /// browser is not signed in.
    public func overview(sessionToken: String) async throws -> Overview? {
        guard let (current, account) = try await signedIn(sessionToken) else { return nil }
        let sessions = try await liveSessions(of: account).map {
            SessionEntry(session: $0, isThisBrowser: $0.idHash == current.idHash)
        }
        return Overview(account: account, sessions: sessions, sites: try await sites(of: account))
    }

    /// The account of the browser's session; `nil` when the browser is not signed in.
    public func account(sessionToken: String) async throws -> Account? {
        try await signedIn(sessionToken)?.1
    }

    /// What ending a session did.
    public enum Ending: Sendable, Equatable {
        /// Ended; when it was this browser's own, the browser is signed out.
        case ended(thisBrowser: Bool)
        /// The account has no such live session (another account's is never found).
        case notFound
        case signedOut
    }

    /// Ends the account's live session `sessionHash` and what was granted within it.
    public func endSession(sessionToken: String, sessionHash: String) async throws -> Ending {
        guard let (current, account) = try await signedIn(sessionToken) else { return .signedOut }
        guard try await liveSessions(of: account).contains(where: { $0.idHash == sessionHash }) else { return .notFound }
        _ = try await administration.endSessions(accountId: account.id, sessionHash: sessionHash, actor: Self.actor)
        return .ended(thisBrowser: sessionHash == current.idHash)
    }

    /// Ends every session of the account, this browser's too, and what was granted within them; false when the
    /// browser is not signed in.
    public func endEverySession(sessionToken: String) async throws -> Bool {
        guard let (_, account) = try await signedIn(sessionToken) else { return false }
        _ = try await administration.endSessions(accountId: account.id, actor: Self.actor)
        return true
    }

    /// Signs the account out of the site `clientId`: revokes its grants of the account. `.notFound` when the account
    /// holds none.
    public func signOut(ofClient clientId: String, sessionToken: String) async throws -> Ending {
        guard let (_, account) = try await signedIn(sessionToken) else { return .signedOut }
        let count = try await store.revokeGrants(accountId: account.id, clientId: clientId, now: clock.now())
        guard count > 0 else { return .notFound }
        await events.record(.grantsRevoked(email: account.email, accountId: account.id, actor: Self.actor, count: count))
        return .ended(thisBrowser: false)
    }

    // MARK: helpers

    func signedIn(_ sessionToken: String) async throws -> (Session, Account)? {
        try await SignedInBrowser.find(sessionToken: sessionToken, store: store, idleLifetime: policy.sessionIdleLifetime,
                                       now: clock.now())
    }

    /// The account's sessions that still sign in: not ended, not expired, not idle too long.
    func liveSessions(of account: Account) async throws -> [Session] {
        let now = clock.now()
        return try await store.sessions(accountId: account.id, now: now).filter {
            $0.lastSeenAt > now - policy.sessionIdleLifetime
        }
    }

    /// The clients holding live grants of the account, each once, by its newest grant.
    func sites(of account: Account) async throws -> [Site] {
        var newest: [String: Int64] = [:]
        for grant in try await store.grants(accountId: account.id, now: clock.now()) {
            newest[grant.clientId] = max(newest[grant.clientId] ?? grant.createdAt, grant.createdAt)
        }
        var sites: [Site] = []
        for (clientId, signedInAt) in newest {
            guard let client = try await store.client(id: clientId) else { continue }
            sites.append(Site(clientId: clientId, name: client.name, signedInAt: signedInAt))
        }
        return sites.sorted { ($0.signedInAt, $1.name) > ($1.signedInAt, $0.name) }
    }
}
