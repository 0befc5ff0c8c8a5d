import Crypto

/// The emailed one-time code: sending it under throttles, and checking it under attempt budgets.
public struct SignInService: Sendable {
    let store: any LoginStore & ChallengeStore & AccountStore & SessionStore & ClientStore
    let policy: Policy
    let clock: any WallClock
    let random: any RandomSource
    let codeKey: SymmetricKey
    let outboxKey: SymmetricKey
    let composer: any SignInEmailComposer
    let events: any SecurityEventSink

    public init(store: any LoginStore & ChallengeStore & AccountStore & SessionStore & ClientStore, policy: Policy,
                clock: any WallClock, random: any RandomSource, secret: ServerSecret, composer: any SignInEmailComposer,
                events: any SecurityEventSink = DiscardingEventSink()) {
        self.events = events
        self.store = store
        self.policy = policy
        self.clock = clock
        self.random = random
        self.codeKey = secret.key(for: .oneTimeCode)
        self.outboxKey = secret.key(for: .outboxEncryption)
        self.composer = composer
    }

    public enum Failure: Error, Equatable, Sendable {
        /// The sign-in is unknown, belongs to another browser, or is too old: start again from the site.
        case loginNotFound
        case invalidEmail
        case noEmailYet
        /// The client asked for a passkey sign-in (`acr_values=phr`): no code is sent.
        case passkeyRequired
    }

    /// Loads a login transaction that belongs to this browser and is not expired, with its client.
    public func open(loginId: String, browserHash: String) async throws -> OpenLogin {
        guard let login = try await store.login(id: loginId),
              SecretDigest.constantTimeEquals(login.browserHash, browserHash), login.expiresAt > clock.now(),
              let client = try await store.client(id: login.request.clientId)
        else { throw Failure.loginNotFound }
        return OpenLogin(login: login, client: client, browserHash: browserHash)
    }

    /// Saves a new sign-in for `client`, open at once in the browser it is bound to; for the Logintoo JSON API, whose
    /// sign-in ids no one else can make, and which opens a live one instead when there is one.
    package func start(_ login: LoginTransaction, client: Client) async throws -> OpenLogin {
        guard login.request.clientId == client.id else { throw Failure.loginNotFound }
        try await store.saveLogin(login)
        return OpenLogin(login: login, client: client, browserHash: login.browserHash)
    }

    /// Whether a code was queued for sending, refused by a throttle, or not needed because the live one was kept.
    /// The person is shown the same page in every case.
    public enum SendOutcome: Sendable, Equatable { case queued, throttled, keptLiveCode }

    /// Sends a new code to `email` for this sign-in, replacing the live code of that mailbox in this browser's lane (one per
    /// known browser, one for all unknown browsers; `CodeLane`) and any other of this sign-in; with `keepLiveCode`, a live
    /// code of this sign-in is kept instead and nothing is sent. `CodeSendRule` decides.
    /// `userAgent` and `acceptLanguage` are the asking browser's headers: the email names the browser, and speaks the
    /// sign-in's `ui_locales` or else the browser's language. With `offerLink`, the email carries a magic link too.
    /// `credentials` are the browser's cookies that may show it signed in to this address's account before.
    public func sendCode(_ open: OpenLogin, email rawEmail: String, clientIP: String,
                         userAgent: String? = nil, acceptLanguage: String? = nil, keepLiveCode: Bool = false,
                         offerLink: Bool = true, credentials: BrowserCredentials = BrowserCredentials())
        async throws -> SendOutcome {
        let login = open.login
        let client = open.client
        guard !login.request.requiresPhishingResistance else { throw Failure.passkeyRequired }
        guard let email = EmailAddress(rawEmail)?.value else { throw Failure.invalidEmail }
        let now = clock.now()
        let mailbox = Mailbox.canonical(email)
        let lane = KnownBrowserRule.lane(for: email, evidence: try await evidence(credentials, now: now))
        let code = makeCode(digits: policy.codeDigits(for: client))
        let lifetime = policy.codeLifetime(for: client)
        let challengeId = random.token(bytes: 16)
        let linkToken = offerLink ? random.token(bytes: 16) : nil
        let challenge = Challenge(
            id: challengeId, loginId: login.id, email: email, codeHash: codeDigest(code, challengeId: challengeId),
            createdAt: now, expiresAt: now + lifetime, linkHash: linkToken.map(SecretDigest.sha256), mailbox: mailbox, lane: lane
        )
        let cancelToken = random.token(bytes: 16)
        let cancelLink = CancelLink(tokenHash: SecretDigest.sha256(cancelToken), email: email, mailbox: mailbox,
                                    expiresAt: now + Self.cancelLinkLifetime)
        let content = composer.compose(SignInEmail(
            to: email, code: code, client: client, lifetimeMinutes: Int(lifetime / 60),
            language: Translations.choose(uiLocales: login.request.uiLocales, acceptLanguage: acceptLanguage), requestedAt: now,
            browser: BrowserDescription.coarse(userAgent),
            cancelURL: policy.issuer + "/login/not-me?t=" + cancelToken,
            linkURL: linkToken.map { policy.issuer + "/login/link?t=" + $0 }))
        let message = OutboxMessage(
            id: challengeId, recipient: email, sealedContent: try Sealing.seal(try JSONText.encode(content), key: outboxKey),
            createdAt: now, expiresAt: now + lifetime, nextAttemptAt: now
        )
        let limits = [
            lane.scoped(RateLimit(key: Self.addressSendKey(email), limit: policy.sendsPerAddressPerHour, window: 3600,
                                  interval: policy.sendInterval)),
            RateLimit(key: "send:ip:\(ClientBudget.key(for: clientIP))", limit: policy.sendsPerIPPerHour, window: 3600),
        ]
        switch try await store.issueChallenge(challenge, message: message, limits: limits,
                                              keepingLiveCodeWithin: keepLiveCode ? policy.codeMaxAttempts(for: client) : nil,
                                              cancelLink: cancelLink, now: now,
                                              decide: { [pause = policy.notMePause] in CodeSendRule.decide($0, pause: pause, now: now) }) {
        case .issued:
            await events.record(.codeSent(email: email, clientId: client.id, ip: clientIP))
            return .queued
        case .alreadyLive: return .keptLiveCode
        case .throttled: break
        }
        try await store.setLoginAddress(id: login.id, email: email)
        await events.record(.codeSendThrottled(email: email, clientId: client.id, ip: clientIP))
        return .throttled
    }

    /// Ends a sign-in the person cannot finish the way the client asked (a passkey for `acr_values=phr`): the redirect
    /// that tells the client so (`unmet_authentication_requirements`, with `state` and `iss`).
    public func abandon(_ open: OpenLogin) async throws -> String {
        let login = open.login
        try await store.deleteLogin(id: login.id)
        return AuthorizationService.errorRedirect(
            OAuthError(.unmetAuthenticationRequirements, "a passkey sign-in was required and did not happen"),
            redirectUri: login.request.redirectUri, state: login.request.state, issuer: policy.issuer)
    }

    /// "Use another email": the first address's code and link stop working and the sign-in asks for an address again.
    public func useAnotherEmail(_ open: OpenLogin) async throws {
        try await store.forgetAddress(loginId: open.login.id, now: clock.now())
    }

    /// The result of checking a code.
    public enum VerifyOutcome: Sendable, Equatable {
        case signedIn(SignedIn)
        /// A wrong code; with no attempts left, the code is now burned.
        case wrongCode(attemptsLeft: Int)
        /// No live code: expired, used, replaced, or burned by wrong entries.
        case noLiveCode
        /// Too many failures for this account recently.
        case throttled
        case malformed
        case accountDisabled
    }

    /// Checks a code; a right one completes the sign-in (`complete`) in a session made at `origin`. The attempt is
    /// counted before the comparison, which takes constant time.
    public func verifyCode(_ open: OpenLogin, code rawCode: String, delivery: SignInDelivery = .browser,
                           origin: SessionOrigin = .unknown) async throws -> VerifyOutcome {
        let login = open.login
        let client = open.client
        guard login.email != nil else { throw Failure.noEmailYet }
        let code = rawCode.filter { !$0.isWhitespace && $0 != "-" }
        guard (6...10).contains(code.count), code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber) else { return .malformed }
        let now = clock.now()
        let policy = self.policy
        let maxAttempts = policy.codeMaxAttempts(for: client)
        let outcome = try await store.beginAttempt(
            loginId: login.id, maxAttempts: maxAttempts, budgets: { Self.budgets(for: $0, policy: policy) }, now: now
        )
        switch outcome {
        case .throttled:
            await events.record(.verificationThrottled(email: login.email ?? "", clientId: client.id))
            return .throttled
        case .noLiveChallenge: return .noLiveCode
        case .allowed(let challenge):
            guard SecretDigest.constantTimeEquals(challenge.codeHash, codeDigest(code, challengeId: challenge.id)) else {
                let left = maxAttempts - challenge.attempts
                await events.record(.codeFailed(email: challenge.email, clientId: client.id, attemptsLeft: left))
                return .wrongCode(attemptsLeft: left)
            }
            return try await complete(login, email: challenge.email, lane: challenge.codeLane, proof: .code(challengeId: challenge.id),
                                      method: .emailCode, delivery: delivery, origin: origin) ?? .noLiveCode
        }
    }

    /// The end of every successful proof, by code, link or passkey, in one transaction (`LoginStore.completeSignIn`):
    /// the proof is used up and the login ended; the failure budget of the code's lane is forgotten (`forgetsFailures`;
    /// a passkey, with no `lane`, forgets none); the account is found or made; a new session starts, recording `method`,
    /// the authorization code for the client is issued and, in a browser, the browser becomes known to the account.
    /// The session records `origin`, written with it (no further statement). `nil` when the proof was used meanwhile.
    func complete(_ login: LoginTransaction, email: String, lane: CodeLane?, proof: SignInProof, method: SignInMethod,
                  delivery: SignInDelivery, origin: SessionOrigin) async throws -> VerifyOutcome? {
        let now = clock.now()
        let forgotten = lane.map { lane in
            Self.forgetsFailures(of: lane, address: email) ? Self.budgets(for: email, policy: self.policy).map { lane.scoped($0).key } : []
        } ?? []
        // Accounts made before domains were converted to A-labels keep their Unicode spelling until their first sign-in.
        let completion = SignInCompletion(
            loginId: login.id, proof: proof, email: email, formerEmail: InternationalDomain.unicodeForm(ofAddress: email),
            newAccountId: random.token(bytes: 16), forgettingLimits: forgotten)
        let sessionToken = random.token(bytes: 32)
        let code = random.token(bytes: 32)
        let knownBrowserToken = delivery.remembersBrowser ? random.token(bytes: 32) : nil
        let policy = self.policy
        let request = login.request
        let made = { @Sendable (account: Account) in
            Self.records(for: account, request: request, sessionToken: sessionToken, code: code, knownBrowserToken: knownBrowserToken,
                         method: method, delivery: delivery, origin: origin, now: now, policy: policy)
        }
        switch try await store.completeSignIn(completion, now: now, records: { made($0).records }) {
        case .proofUsed: return nil
        case .accountDisabled: return .accountDisabled
        case .completed(let account, let records):
            await events.record(.signedIn(email: account.email, accountId: account.id, clientId: request.clientId))
            return .signedIn(SignedIn(
                account: account, sessionToken: sessionToken, session: records.session,
                redirect: made(account).redirect, code: code, knownBrowserToken: knownBrowserToken))
        }
    }

    /// What a completed sign-in writes for `account`, and where it sends the browser; a pure function, as a store's
    /// transaction body must be.
    static func records(for account: Account, request: AuthorizationRequest, sessionToken: String, code: String,
                        knownBrowserToken: String?, method: SignInMethod, delivery: SignInDelivery, origin: SessionOrigin,
                        now: Int64, policy: Policy) -> (records: SignInRecords, redirect: String) {
        let session = Session(
            idHash: SecretDigest.sha256(sessionToken), accountId: account.id, authTime: now, createdAt: now, lastSeenAt: now,
            expiresAt: now + policy.sessionAbsoluteLifetime, method: method, origin: origin)
        let issued = AuthorizationCodeRedirect(code: code, request: request, accountId: account.id, session: session, now: now,
                                               policy: policy, withIssuer: delivery.redirectCarriesIssuer)
        let known = knownBrowserToken.map {
            KnownBrowser(tokenHash: SecretDigest.sha256($0), accountId: account.id, createdAt: now,
                         expiresAt: now + policy.knownBrowserLifetime)
        }
        return (SignInRecords(session: session, code: issued.record, knownBrowser: known), issued.location)
    }

    /// How long an email's "this wasn't me" link works.
    public static let cancelLinkLifetime: Int64 = 86_400

    static let addressSendPrefix = "send:address:"
    /// Keyed on the mailbox, so spellings of one inbox share one send quota (docs/security.md, limits count mailboxes).
    static func addressSendKey(_ email: String) -> String { addressSendPrefix + Mailbox.canonical(email) }

    /// The address a "this wasn't me" link protects, while it can still be used.
    public func cancelLinkEmail(token: String) async throws -> String? {
        guard token.utf8.count <= 64 else { return nil }
        return try await store.cancelLinkEmail(linkHash: SecretDigest.sha256(token), now: clock.now())
    }

    /// "This wasn't me", from the link in a sign-in email: ends the mailbox's pending sign-ins and sends it no code for an
    /// hour from unknown browsers (`CodeSendRule`). The address, or `nil` when the link is unknown, used or expired.
    public func cancelSignIns(token: String) async throws -> String? {
        guard token.utf8.count <= 64 else { return nil }
        let email = try await store.cancelSignIns(linkHash: SecretDigest.sha256(token), now: clock.now())
        if let email { await events.record(.signInsCancelled(email: email)) }
        return email
    }

    /// The failure budgets a challenge's attempts count against: the mailbox's, shared by every unknown browser's codes
    /// and flows, or a known browser's own (docs/security.md: known and unknown browsers).
    /// Whether a sign-in at `address` in `lane` forgets that lane's failures. A known browser's are its own. The failures
    /// unknown browsers share belong to the whole mailbox, so only the mailbox's own address forgets them: an alias
    /// (`bob+evil@` where tags are separate inboxes) may be someone else's, who would otherwise wipe the owner's budget
    /// by signing in to it between guesses.
    static func forgetsFailures(of lane: CodeLane, address: String) -> Bool {
        lane != .unknownBrowsers || Mailbox.canonical(address) == address
    }

    static func budgets(for challenge: Challenge, policy: Policy) -> [RateLimit] {
        budgets(for: challenge.email, policy: policy).map(challenge.codeLane.scoped)
    }

    /// The per-account failure budgets, shared by every code and flow.
    static func budgets(for email: String, policy: Policy) -> [RateLimit] {
        [
            RateLimit(key: "verify:short:\(Mailbox.canonical(email))", limit: policy.shortBudget, window: policy.shortWindow),
            RateLimit(key: "verify:long:\(Mailbox.canonical(email))", limit: policy.longBudget, window: policy.longWindow),
        ]
    }

    func makeCode(digits: Int) -> String {
        var upper: UInt64 = 1
        for _ in 0..<digits { upper *= 10 }
        let value = String(random.uniform(below: upper))
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// The code's HMAC, salted with the challenge id so equal codes never share a digest.
    func codeDigest(_ code: String, challengeId: String) -> String {
        SecretDigest.hmac("\(challengeId):\(code)", key: codeKey)
    }
}
