/// The authorization endpoint's decisions: validate the request, reuse a live session, or start a sign-in; and issue codes.
public struct AuthorizationService: Sendable {
    let store: any ClientStore & LoginStore & SessionStore & TokenStore & AccountStore & PushedRequestStore
    let policy: Policy
    let clock: any WallClock
    let random: any RandomSource

    public init(store: any ClientStore & LoginStore & SessionStore & TokenStore & AccountStore & PushedRequestStore,
                policy: Policy, clock: any WallClock, random: any RandomSource) {
        self.store = store
        self.policy = policy
        self.clock = clock
        self.random = random
    }

    public enum Decision: Sendable, Equatable {
        /// Send the browser back to the client (with a code or an error).
        case redirect(String)
        /// Show an error page: the client or redirect URI cannot be trusted.
        case errorPage(String)
        /// The person must sign in: continue at the login page of this transaction.
        case signIn(LoginTransaction)
    }

    /// Handles `GET /authorize`. `sessionHash` is the digest of the SSO cookie, `browserHash` that of the browser-binding cookie;
    /// the request is checked against `capabilities`, what discovery says the server supports.
    /// A `request_uri` stands for the request pushed to `/par`, whose parameters replace the query's (RFC 9126 §4).
    public func authorize(parameters query: [(String, String)], sessionHash: String?, browserHash: String,
                          capabilities: ServerCapabilities = .builtIn) async throws -> Decision {
        var parameters = query
        let pushed = query.contains { $0.0 == "request_uri" }
        if pushed {
            guard let taken = try await takePushedRequest(query) else {
                return .errorPage("The request_uri is unknown, expired, already used, or not this application's.")
            }
            parameters = taken
        }
        let clientId = parameters.first { $0.0 == "client_id" }?.1
        let client = try await clientId.asyncMap { try await store.client(id: $0) } ?? nil
        let unpushed = !pushed && client.map { PushedAuthorization.isRequired(for: $0, capabilities: capabilities) } == true
        let request: AuthorizationRequest
        do {
            request = try AuthorizationRequestParser.parse(parameters, client: client, capabilities: capabilities)
        } catch .cannotRedirect(let message) {
            return .errorPage(message)
        } catch .redirect(let error, let uri, let state) {
            return .redirect(errorRedirect(unpushed ? PushedAuthorization.requiredError : error, redirectUri: uri, state: state))
        }
        if unpushed {
            return .redirect(errorRedirect(PushedAuthorization.requiredError, redirectUri: request.redirectUri, state: request.state))
        }
        let now = clock.now()
        if let session = try await reusableSession(for: request, sessionHash: sessionHash, now: now) {
            try await store.touchSession(idHash: session.idHash, now: now)
            return .redirect(try await issueCode(for: request, accountId: session.accountId, session: session))
        }
        if request.prompt.contains("none") {
            return .redirect(errorRedirect(OAuthError(.loginRequired, "the user is not signed in"),
                                           redirectUri: request.redirectUri, state: request.state))
        }
        let login = LoginTransaction(
            id: random.token(bytes: 24), browserHash: browserHash, request: request, createdAt: now,
            expiresAt: now + policy.loginLifetime
        )
        try await store.saveLogin(login)
        return .signIn(login)
    }

    /// RFC 9126 §2: checks the parameters `client` pushed as `/authorize` would check them, keeps them for
    /// `PushedAuthorization.lifetime`, and returns the `request_uri` that stands for them. Refusals are `OAuthError`s.
    public func push(_ parameters: [(String, String)], client: Client,
                     capabilities: ServerCapabilities = .builtIn) async throws -> (requestURI: String, expiresIn: Int64) {
        let kept = try PushedAuthorization.validate(parameters, client: client, capabilities: capabilities)
        let (uri, hash) = PushedAuthorization.newRequestURI(random: random)
        let now = clock.now()
        try await store.savePushedRequest(PushedAuthorizationRequest(
            hash: hash, clientId: client.id, parameters: kept, createdAt: now, expiresAt: now + PushedAuthorization.lifetime))
        return (uri, PushedAuthorization.lifetime)
    }

    /// The pushed parameters the query's `request_uri` stands for, taken once, if the query's `client_id` pushed them;
    /// the query's other parameters are ignored (RFC 9126 §4).
    func takePushedRequest(_ query: [(String, String)]) async throws -> [(String, String)]? {
        let values = { (name: String) in query.filter { $0.0 == name }.map(\.1) }
        let (uris, clientIds) = (values("request_uri"), values("client_id"))
        guard uris.count == 1, clientIds.count == 1, let hash = PushedAuthorization.hash(ofRequestURI: uris[0]) else { return nil }
        return try await store.takePushedRequest(hash: hash, clientId: clientIds[0], now: clock.now())?.parameters
    }

    /// A session that satisfies the request's `prompt` and `max_age`, if the browser has one.
    func reusableSession(for request: AuthorizationRequest, sessionHash: String?, now: Int64) async throws -> Session? {
        guard let sessionHash, !request.prompt.contains("login"),
              let session = try await store.liveSession(idHash: sessionHash, idleLifetime: policy.sessionIdleLifetime, now: now),
              let account = try await store.account(id: session.accountId), account.disabledAt == nil
        else { return nil }
        if let maxAge = request.maxAge, now - session.authTime > maxAge { return nil }
        if request.requiresPhishingResistance, session.acr != SignInMethod.phishingResistant { return nil }
        return session
    }

    /// Issues an authorization code bound to the request for a browser already signed in, and returns the redirect that
    /// carries it. A sign-in issues its code in its own completion (`SignInService`).
    public func issueCode(for request: AuthorizationRequest, accountId: String, session: Session) async throws -> String {
        let issued = AuthorizationCodeRedirect(code: random.token(bytes: 32), request: request, accountId: accountId,
                                               session: session, now: clock.now(), policy: policy)
        try await store.saveAuthorizationCode(issued.record)
        return issued.location
    }

    /// How long after signing in a waiting code can be renewed: the time the passkey offer may take.
    public static let renewalWindow: Int64 = 600

    /// A fresh authorization code in place of `code`, which a sign-in issued to this browser's session but which waited
    /// (while the person was offered a passkey) and may have expired; the redirect that carries it, or `nil` when `code`
    /// is not an unused code of the live session `sessionToken` signed in within `renewalWindow`.
    public func renewCode(_ code: String, sessionToken: String) async throws -> String? {
        guard code.utf8.count <= 64, sessionToken.utf8.count <= 64 else { return nil }
        let now = clock.now()
        let sessionHash = SecretDigest.sha256(sessionToken)
        guard try await store.liveSession(idHash: sessionHash, idleLifetime: policy.sessionIdleLifetime, now: now) != nil else {
            return nil
        }
        let fresh = random.token(bytes: 32)
        guard let renewed = try await store.renewAuthorizationCode(
            hash: SecretDigest.sha256(code), sessionHash: sessionHash, signedInSince: now - Self.renewalWindow,
            newHash: SecretDigest.sha256(fresh), now: now, expiresAt: now + policy.authorizationCodeLifetime)
        else { return nil }
        return AuthorizationCodeRedirect.location(code: fresh, redirectUri: renewed.redirectUri, state: renewed.state,
                                                  language: renewed.language, locale: renewed.locale, issuer: policy.issuer)
    }

    /// The redirect that reports an error to the client, with `iss` (RFC 9207).
    public func errorRedirect(_ error: OAuthError, redirectUri: String, state: String?) -> String {
        Self.errorRedirect(error, redirectUri: redirectUri, state: state, issuer: policy.issuer)
    }

    static func errorRedirect(_ error: OAuthError, redirectUri: String, state: String?, issuer: String) -> String {
        var items = [("error", error.code.rawValue), ("error_description", error.detail)]
        if let state { items.append(("state", state)) }
        items.append(("iss", issuer))
        return URLQuery.append(items, to: redirectUri)
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let value): try await transform(value)
        case .none: nil
        }
    }
}
