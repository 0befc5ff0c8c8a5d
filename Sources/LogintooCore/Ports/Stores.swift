/// The database cannot be reached (or did not answer in time): the request changed nothing and may be retried.
public struct StoreUnavailable: Error, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "the database is unavailable: \(reason)" }
}

/// Registered clients.
public protocol ClientStore: Sendable {
    /// Inserts the client, or replaces the one with the same id.
    func saveClient(_ client: Client) async throws
    func client(id: String) async throws -> Client?
    func clients() async throws -> [Client]
    /// Removes the client and revokes everything issued to it; false when there was no such client.
    func removeClient(id: String) async throws -> Bool
}

/// Accounts, created on the first verified sign-in.
public protocol AccountStore: Sendable {
    func account(id: String) async throws -> Account?
    /// The account kept under exactly this address.
    func account(email: String) async throws -> Account?
    /// The account for `email`, created with `newId` if there is none yet; safe under concurrency. With `formerEmail`,
    /// an account kept under that spelling of the same address, and none under `email` yet, is moved to `email` first
    /// (in the same transaction), so its person keeps their account and subject.
    func findOrCreateAccount(email: String, formerEmail: String?, newId: String, now: Int64) async throws -> Account
    /// The account a browser's unexpired known-browser cookie (by digest) is bound to.
    func knownBrowserAccount(tokenHash: String, now: Int64) async throws -> Account?
}

/// What an operator does to accounts: find them, see their sessions and grants, disable, enable and erase them.
public protocol AccountAdministrationStore: Sendable {
    /// Accounts whose address begins with `prefix` (addresses are kept in lower case), ordered by address, after the
    /// address `after` when paging; at most `limit`.
    func accounts(emailPrefix: String, after: String?, limit: Int) async throws -> [AccountSummary]
    /// The account's live sessions (not ended, not expired), newest sign-in first.
    func sessions(accountId: String, now: Int64) async throws -> [Session]
    /// The account's unrevoked, unexpired grants, newest first.
    func grants(accountId: String, now: Int64) async throws -> [Grant]
    /// Atomically marks the account disabled (keeping an earlier time) and ends what it has: every live session, every
    /// grant (its refresh and access tokens), every authorization code not yet exchanged. `nil` without such an account.
    func disableAccount(id: String, now: Int64) async throws -> AccountLockout?
    /// Clears the account's disabled mark; false without such an account. Nothing ended by disabling comes back.
    func enableAccount(id: String) async throws -> Bool
    /// Atomically ends the account's live session `sessionHash` (every live session when `nil`), revokes the grants made
    /// within them and expires their codes not yet exchanged.
    func endSessions(accountId: String, sessionHash: String?, now: Int64) async throws -> AccountLockout
    /// Atomically revokes the account's grant `grantId` (every grant when `nil`); returns how many were revoked.
    func revokeGrants(accountId: String, grantId: String?, now: Int64) async throws -> Int
    /// Atomically forgets the person: the account, its sessions, grants and tokens, codes, passkeys, known browsers, and
    /// every sign-in, code, link and unsent email for its address are deleted; its audit records keep their facts under
    /// `pseudonym` in place of the address. False without such an account.
    func eraseAccount(id: String, pseudonym: String, now: Int64) async throws -> Bool
    /// Audit records matching `filter`, newest first, at most `limit`, older than the record `before` (by time, then id)
    /// when paging.
    func auditRecords(matching filter: AuditFilter, before: AuditCursor?, limit: Int) async throws -> [AuditRecord]
}

/// The accounts that may use the admin console.
public protocol AdminRoleStore: Sendable {
    /// Makes the account an admin; false when it was one already.
    func grantAdmin(accountId: String, now: Int64) async throws -> Bool
    /// Ends the account's admin role; false when it had none.
    func revokeAdmin(accountId: String) async throws -> Bool
    func isAdmin(accountId: String) async throws -> Bool
    /// The admin accounts, by address.
    func adminAccounts() async throws -> [Account]
}

/// Where a page of audit records ends: the last record's time and id.
public struct AuditCursor: Sendable, Equatable {
    public var at: Int64
    public var id: String

    public init(at: Int64, id: String) {
        (self.at, self.id) = (at, id)
    }

    /// The cursor a page hands out as text (`AT.ID`); `nil` for anything else.
    public init?(text: some StringProtocol) {
        guard text.utf8.count <= 128, let dot = text.firstIndex(of: "."), let at = Int64(text[..<dot]) else { return nil }
        self.init(at: at, id: String(text[text.index(after: dot)...]))
    }

    /// The cursor after `record`, as text.
    public static func text(after record: AuditRecord) -> String { "\(record.at).\(record.id)" }
}

/// Authorization requests pushed to `/par` (RFC 9126).
public protocol PushedRequestStore: Sendable {
    func savePushedRequest(_ request: PushedAuthorizationRequest) async throws
    /// Deletes and returns, atomically, the request with digest `hash` if `clientId` pushed it and it is unexpired at
    /// `now`; `nil` otherwise. Of two concurrent calls (two instances) at most one gets it.
    func takePushedRequest(hash: String, clientId: String, now: Int64) async throws -> PushedAuthorizationRequest?
}

/// Sign-ins in progress.
public protocol LoginStore: Sendable {
    func saveLogin(_ login: LoginTransaction) async throws
    func login(id: String) async throws -> LoginTransaction?
    /// Records the address a sign-in asks a code for; a sign-in that has ended stays ended.
    func setLoginAddress(id: String, email: String) async throws
    /// Ends a sign-in that will not complete.
    func deleteLogin(id: String) async throws
    /// Completes a proven sign-in in one transaction, or changes nothing. Uses the proof up (`SignInProof`: consumes the
    /// checked code, uses the link, or claims the approval) and ends the login; finds or makes the account for
    /// `completion.email` as `findOrCreateAccount` does. For an enabled account, forgets the counters under
    /// `completion.forgettingLimits` and writes what `records` makes for it: the session, the authorization code and
    /// the known browser. A disabled account's sign-in ends with the proof used
    /// and nothing written for it. `.proofUsed` when the proof was used already or the login had ended.
    /// `records` may run more than once.
    func completeSignIn(_ completion: SignInCompletion, now: Int64, records: @Sendable (Account) -> SignInRecords) async throws
        -> SignInCompletionOutcome
}

/// The outcome of asking to check a code.
public enum AttemptOutcome: Sendable, Equatable {
    /// The attempt is counted; compare the code with this challenge's.
    case allowed(Challenge)
    /// The account's failure budget is spent for now.
    case throttled
    /// No live code: none sent, expired, used, replaced, or burned by too many wrong entries.
    case noLiveChallenge
}

/// One-time codes, their attempt budgets and send throttles.
public protocol ChallengeStore: Sendable {
    /// In one transaction: counts the send on every rate limit (up to the first that refuses), gathers the facts of
    /// `CodeSendRule` (the mailbox's pause; with `maxAttempts`, whether the login has a live code with attempts left) and
    /// applies what `decide` returns. To issue: replaces the live challenges of the challenge's mailbox in its lane, and
    /// any other live challenge of its login, with `challenge`, records the address on the login, queues `message` and
    /// stores `cancelLink`. Otherwise writes nothing (what was counted is rolled back). Concurrent calls sharing a
    /// limit's key take turns on it, so calls for one mailbox and lane (its limit first) leave exactly one live challenge.
    /// `decide` may run more than once.
    func issueChallenge(_ challenge: Challenge, message: OutboxMessage, limits: [RateLimit], keepingLiveCodeWithin maxAttempts: Int?,
                        cancelLink: CancelLink?, now: Int64,
                        decide: @Sendable (CodeSendRule.Facts) -> CodeSendRule.Decision) async throws -> ChallengeIssue
    /// "This wasn't me": uses the link once, ends every pending sign-in of its mailbox (codes and unsent mail) and records
    /// that the mailbox was paused now (what a pause means is `CodeSendRule`'s). The address, or `nil` when the link is
    /// unknown, used or expired.
    func cancelSignIns(linkHash: String, now: Int64) async throws -> String?
    /// "Use another email": ends the login's live codes (and their unsent mail and links) and forgets its address, in one
    /// transaction, so that only a code sent afterwards works for it.
    func forgetAddress(loginId: String, now: Int64) async throws
    /// The live challenge whose magic link has this digest.
    func liveChallenge(linkHash: String, now: Int64) async throws -> Challenge?
    /// Uses a magic link once, confirmed on another device: consumes its challenge (the code stops working too) and
    /// records the approval, which the waiting browser claims by `completeSignIn`. False when the link is unknown, used
    /// or its code is not live.
    func approveLink(linkHash: String, now: Int64) async throws -> Bool
    /// Makes a magic link unusable, leaving the code as it is.
    func burnLink(linkHash: String) async throws
    /// The challenge of this login confirmed on another device, if any.
    func approvedChallenge(loginId: String) async throws -> Challenge?
    /// The address a usable "this wasn't me" link protects.
    func cancelLinkEmail(linkHash: String, now: Int64) async throws -> String?
    /// Counts one verification attempt before any comparison, atomically: the budgets `budgets` names for the login's live
    /// challenge (its mailbox and lane) and the challenge's own attempt count, which must stay within `maxAttempts`.
    /// `budgets` may run more than once.
    func beginAttempt(
        loginId: String, maxAttempts: Int, budgets: @Sendable (Challenge) -> [RateLimit], now: Int64
    ) async throws -> AttemptOutcome
}

/// What asking for a new code did.
public enum ChallengeIssue: Sendable, Equatable {
    case issued
    case throttled
    /// The login's live code was kept; nothing was sent.
    case alreadyLive
}

/// SSO sessions.
public protocol SessionStore: Sendable {
    /// A live session: not ended, not past its absolute expiry, and seen within `idleLifetime`.
    func liveSession(idHash: String, idleLifetime: Int64, now: Int64) async throws -> Session?
    func touchSession(idHash: String, now: Int64) async throws
    /// Ends the session, revokes every grant made within it and expires its codes not yet exchanged; returns whether a
    /// live session was ended.
    @discardableResult
    func endSession(idHash: String, now: Int64) async throws -> Bool
}

/// What happened when a code was presented at the token endpoint.
public enum CodeRedemption: Sendable, Equatable {
    case redeemed(AuthorizationCode)
    /// The code had already been redeemed: the grant it produced has now been revoked.
    case replayed(clientId: String, accountId: String, grantId: String?)
    case unknown
}

/// What happened when a refresh token was presented.
public enum RotationOutcome: Sendable, Equatable {
    /// The token was the family's live head; what was read of it, for the tokens issued in its place.
    case rotated(PresentedRefreshToken)
    /// The token had just been rotated (within the grace window): a retry, answered within the same family; the
    /// successor it duplicates is retired.
    case graceRetry(PresentedRefreshToken)
    /// A retired token came back: the family has now been revoked.
    case reuseDetected(grantId: String, accountId: String)
    /// The live token of a grant bound to a DPoP key, presented without a proof by that key: nothing changed.
    case keyMismatch(proofMissing: Bool)
    /// Another client's token, an expired one, or one of a revoked or ended grant: nothing changed.
    case invalid
    /// No such token.
    case unknown
}

/// The DPoP proofs seen (RFC 9449 §11.1), shared by every instance.
public protocol DPoPProofStore: Sendable {
    /// Records a proof by `hash` (of its key and `jti`) until `expiresAt`; false when it was recorded before and its
    /// record has not expired: a replay.
    func recordDPoPProof(hash: String, expiresAt: Int64, now: Int64) async throws -> Bool
}

/// Authorization codes, grants, refresh-token families and access-token records.
public protocol TokenStore: Sendable {
    func saveAuthorizationCode(_ code: AuthorizationCode) async throws
    /// Replaces an unused code of session `sessionHash`, from a sign-in at `signedInSince` or later, by a new one
    /// (digest `newHash`, valid until `expiresAt`), with everything else the same, atomically; the renewed record, or
    /// `nil` when no such code exists.
    func renewAuthorizationCode(hash: String, sessionHash: String, signedInSince: Int64, newHash: String, now: Int64,
                                expiresAt: Int64) async throws -> AuthorizationCode?
    /// Consumes the code atomically, reserving `grantId` for what it will grant; a second redemption revokes that grant
    /// (also when the grant is created only afterwards).
    func redeemAuthorizationCode(hash: String, grantId: String, now: Int64) async throws -> CodeRedemption
    /// In one transaction: the grant, its link from the code, and its first refresh token (if any).
    func createGrant(_ grant: Grant, fromCode codeHash: String, refreshToken: RefreshToken?) async throws
    /// The token, its grant and the grant's account.
    func refreshToken(hash: String) async throws -> (RefreshToken, Grant, Account?)?
    /// As one transaction: reads token `hash` with its grant, the grant's account and session
    /// (`PresentedRefreshToken`), asks `plan` what to write and applies its decision (a store may first try a live head's
    /// rotation in fewer statements, leaving every other case, and any race, to the transaction): `rotate` retires the token,
    /// `replaceUnusedSuccessor` retires that successor, and both add the plan's replacement and bind the grant to the
    /// plan's DPoP key if it names one and the grant has none (RFC 9449 §5); after the commit the session's last activity
    /// moves to `now` when the decision says so; `reuse` revokes the family. An error `plan` throws ends the transaction with nothing
    /// changed, and is thrown. Concurrent calls on one family take turns, so it keeps one live token. `.unknown` for an
    /// unknown token, without asking `plan`, which may run more than once.
    func rotateRefreshToken(hash: String, now: Int64, plan: @Sendable (PresentedRefreshToken) throws -> RotationPlan)
        async throws -> RotationOutcome
    func revokeGrant(id: String, now: Int64) async throws
    /// Whether an access token is still honoured: its grant (`grantId`, or for a token minted with a plain `jti`, the
    /// grant its record names) unrevoked, and the token not on the deny list.
    func isAccessTokenActive(jti: String, grantId: String?) async throws -> Bool
    /// Account `accountId`, when a person's access token for it is still honoured (as `isAccessTokenActive`, the grant
    /// also being the account's): one read, where the two questions apart would be two.
    func accountOfActiveAccessToken(jti: String, grantId: String?, accountId: String) async throws -> Account?
    /// Whether a client's own access token (`client_credentials`, no grant) is still honoured: not on the deny list.
    func isClientAccessTokenActive(jti: String) async throws -> Bool
    /// Puts an access token on the deny list until it expires.
    func revokeAccessToken(_ token: AccessTokenRecord, now: Int64) async throws
}

/// Passkeys and their ceremonies.
public protocol PasskeyStore: Sendable {
    func savePasskeyCeremony(_ ceremony: PasskeyCeremony) async throws
    /// The unused, unexpired ceremony of `purpose` whose challenge has this digest, started by `browserHash`.
    func liveCeremony(challengeHash: String, purpose: PasskeyCeremony.Purpose, browserHash: String, now: Int64) async throws
        -> PasskeyCeremony?
    /// Uses that ceremony once, atomically: only one caller gets it.
    func useCeremony(challengeHash: String, purpose: PasskeyCeremony.Purpose, browserHash: String, now: Int64) async throws
        -> PasskeyCeremony?
    /// In one transaction: adds a passkey, queues `notice` (the "passkey added" email) and stores its "this wasn't me"
    /// `link`, so a passkey is never added without its notification; nothing is written, and false is answered, when the
    /// credential id is registered already (to any account).
    func addPasskey(_ passkey: Passkey, notice: OutboxMessage, link: PasskeyRevocationLink) async throws -> Bool
    /// The unused, unexpired "this wasn't me" link of a "passkey added" email whose token has this digest.
    func passkeyRevocationLink(tokenHash: String, now: Int64) async throws -> PasskeyRevocationLink?
    /// "This wasn't me", in one transaction: uses that link once, removes its passkey from its account, ends every live
    /// session of the account and revokes their grants (as `SessionStore.endSession` does). `nil` when the link is
    /// unknown, used or expired.
    func revokePasskey(tokenHash: String, now: Int64) async throws -> PasskeyRevocation?
    func passkey(credentialId: String) async throws -> Passkey?
    /// The account's passkeys, newest first.
    func passkeys(accountId: String) async throws -> [Passkey]
    func renamePasskey(credentialId: String, accountId: String, name: String) async throws -> Bool
    /// Removes the account's passkey and, in the same transaction, ends the sessions signed in with it (revoking their
    /// grants, as `SessionStore.endSession` does): a lost or stolen passkey keeps nothing it opened.
    func removePasskey(credentialId: String, accountId: String, now: Int64) async throws -> Bool
}

/// Persisted signing keys, shared by every instance.
public protocol KeyStore: Sendable {
    func signingKeys() async throws -> [StoredSigningKey]
    func insertSigningKey(_ key: StoredSigningKey) async throws
}

/// The email outbox.
public protocol OutboxStore: Sendable {
    /// Claims up to `limit` due messages for `lease` seconds, so no other worker sends them meanwhile.
    func claimDueMessages(now: Int64, limit: Int, lease: Int64) async throws -> [OutboxMessage]
    /// Delivered by `provider`: the content is erased.
    func markSent(id: String, provider: String, now: Int64) async throws
    /// The newest messages' delivery states, newest first; never their content.
    func recentMessages(limit: Int) async throws -> [OutboxStatus]
    /// Failed: retried at `retryAt`, or abandoned (content erased) when `retryAt` is nil.
    func markFailed(id: String, error: String, retryAt: Int64?, now: Int64) async throws
    func pendingMessageCount() async throws -> Int
    /// Undelivered messages of `selection`, newest first, at most `limit`; never their content.
    func undeliveredMessages(_ selection: UndeliveredMessage.Selection, limit: Int) async throws -> [UndeliveredMessage]
    /// In one transaction: reads message `id`'s facts, asks `decide` (`OutboxRetry.decide`) and, on `.retried`, makes
    /// the message due at `now`; then wakes this instance's worker. `.unknown` without such a message. `decide` may run
    /// more than once.
    func retryMessage(id: String, now: Int64, decide: @Sendable (OutboxRetry.Facts) -> OutboxRetry) async throws
        -> (OutboxRetry, recipient: String?)
}

/// Removal of rows that can no longer matter.
public protocol HousekeepingStore: Sendable {
    /// Deletes expired sign-ins, codes, sessions, grants and their tokens, finished outbox rows and stale counters.
    func purgeExpired(now: Int64) async throws
}

/// The audit trail: security events, newest last.
public protocol AuditStore: Sendable {
    /// Appends the record and queues `deliveries` (the event's webhooks) in one transaction.
    func appendAudit(_ record: AuditRecord, deliveries: [Delivery]) async throws
    /// The newest `limit` records, optionally of one kind or one email address, oldest first.
    func auditRecords(limit: Int, kind: String?, email: String?) async throws -> [AuditRecord]
}

extension AuditStore {
    public func appendAudit(_ record: AuditRecord) async throws { try await appendAudit(record, deliveries: []) }
}

/// Everything the server keeps.
///
/// The contract of every store protocol here, on every engine:
/// - A method that says "atomically" or "in one transaction" makes its change whole or not at all, and concurrent calls
///   see each other's changes in some order: never read in one call, decide in Swift, then write in another.
/// - A closure a method takes (`decide`, `plan`, `budgets`) runs inside the method's transaction and may run more than
///   once: PostgreSQL retries a transaction that loses a serialization conflict from the start, with fresh facts. So it
///   is a pure function of its arguments, like `RefreshRotation.decide` and `CodeSendRule.decide`: no I/O, no captured
///   state it changes, no effect outside the transaction. Whatever follows from the outcome (a security event, waking
///   the outbox worker) is done by the caller after the method returns.
/// - On SQLite a transaction may share one commit with others (group commit), and every call blocks the thread that
///   makes it until SQLite answers (in the server, the request's event loop): see `SQLEngine` in LogintooStore.
/// - A database that cannot be reached, or does not answer in time, throws `StoreUnavailable`.
public typealias AuthorizationServerStore = ClientStore & AccountStore & LoginStore & ChallengeStore & SessionStore
    & TokenStore & KeyStore & OutboxStore & HousekeepingStore & AuditStore & PasskeyStore & AccountAdministrationStore
    & AdminRoleStore & PushedRequestStore & DPoPProofStore
    & AccountSelfServiceStore & DeliveryStore & WebhookStore

extension AccountStore {
    /// The account for `email`, created with `newId` if there is none yet.
    public func findOrCreateAccount(email: String, newId: String, now: Int64) async throws -> Account {
        try await findOrCreateAccount(email: email, formerEmail: nil, newId: newId, now: now)
    }
}
