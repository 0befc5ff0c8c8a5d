/// RP-initiated logout: checks where the person may return to, gathers the facts `LogoutDecision` needs, and carries out
/// its decision (ending the session revokes every grant made within it, docs/security.md B17).
public struct LogoutService: Sendable {
    let store: any SessionStore & ClientStore
    let tokens: TokenService
    let policy: Policy
    let clock: any WallClock
    let events: any SecurityEventSink

    public init(store: any SessionStore & ClientStore, tokens: TokenService, policy: Policy, clock: any WallClock,
                events: any SecurityEventSink) {
        self.store = store
        self.tokens = tokens
        self.policy = policy
        self.clock = clock
        self.events = events
    }

    /// A logout request as the browser sent it.
    public struct Request: Sendable {
        /// The value of the browser's session cookie.
        public var sessionCookie: String?
        /// The `id_token_hint` of a link; ignored on the confirmation form, whose CSRF token already proves who asks.
        public var idTokenHint: String?
        public var clientId: String?
        public var postLogoutRedirectUri: String?
        public var state: String?
        /// `nil` for a link (GET); for the confirmation form (POST), whether it carried this browser's CSRF token.
        public var confirmationCSRFValid: Bool?

        public init(sessionCookie: String?, idTokenHint: String?, clientId: String?, postLogoutRedirectUri: String?,
                    state: String?, confirmationCSRFValid: Bool?) {
            self.sessionCookie = sessionCookie
            self.idTokenHint = idTokenHint
            self.clientId = clientId
            self.postLogoutRedirectUri = postLogoutRedirectUri
            self.state = state
            self.confirmationCSRFValid = confirmationCSRFValid
        }
    }

    /// Where the person goes once signed out: a URI registered by the client, or this server's signed-out page.
    public struct Destination: Sendable, Equatable {
        public var client: Client?
        public var postLogoutRedirectUri: String?
        public var state: String?
    }

    public enum Outcome: Sendable, Equatable {
        /// A hint this server did not sign, a client that differs from the hint's, or a post-logout URI the client did
        /// not register; or a confirmation without this browser's CSRF token. Nothing was changed.
        case refused
        /// Ask the person to confirm.
        case ask(Destination)
        /// Signed out; `endedSession` says whether a live session was ended.
        case signedOut(Destination, endedSession: Bool)
    }

    public func logout(_ request: Request) async throws -> Outcome {
        let hint: IDTokenHint?
        if let token = request.idTokenHint, request.confirmationCSRFValid == nil {
            guard let verified = verifiedHint(token) else { return .refused }
            hint = verified
        } else {
            hint = nil
        }
        guard let destination = try await destination(clientId: request.clientId, hintClientId: hint?.aud,
                                                      postLogoutRedirectUri: request.postLogoutRedirectUri, state: request.state)
        else { return .refused }
        let idHash = request.sessionCookie.map(SecretDigest.sha256)
        let decisionRequest: LogoutDecision.Request = request.confirmationCSRFValid.map { .confirmation(csrfValid: $0) }
            ?? .link(hint: hint.map { LogoutDecision.Hint(sub: $0.sub, sid: $0.sid) })
        let browser = try await browser(idHash)
        switch LogoutDecision.decide(browser: browser, request: decisionRequest) {
        case .refuse:
            return .refused
        case .ask:
            return .ask(destination)
        case .nothingToEnd:
            return .signedOut(destination, endedSession: false)
        case .endSession:
            guard let idHash else { return .signedOut(destination, endedSession: false) }
            let ended = try await store.endSession(idHash: idHash, now: clock.now())
            if ended, case .live(let session) = browser {
                await events.record(.signedOut(accountId: session.accountId, clientId: destination.client?.id))
            }
            return .signedOut(destination, endedSession: ended)
        }
    }

    /// The session the cookie names, as the decision sees it.
    func browser(_ idHash: String?) async throws -> LogoutDecision.Browser {
        guard let idHash else { return .noCookie }
        guard let session = try await store.liveSession(idHash: idHash, idleLifetime: policy.sessionIdleLifetime, now: clock.now())
        else { return .noLiveSession }
        // The `sid` this session's ID tokens carry: a hint from another session of the same account asks.
        return .live(LogoutDecision.Session(accountId: session.accountId, sid: SessionIdentifier.sid(sessionHash: session.idHash)))
    }

    /// The claims of an ID token this server signed (expired hints are accepted, as OpenID Connect allows).
    struct IDTokenHint: Decodable {
        var iss: String
        var sub: String
        var aud: String
        var sid: String?
    }

    func verifiedHint(_ token: String) -> IDTokenHint? {
        guard let claims = JWS.verify(token, type: "JWT", ring: tokens.ring, as: IDTokenHint.self), claims.iss == policy.issuer
        else { return nil }
        return claims
    }

    /// Finds the client and checks the post-logout URI against its registration; `nil` means it cannot be trusted.
    func destination(clientId: String?, hintClientId: String?, postLogoutRedirectUri: String?, state: String?) async throws
        -> Destination? {
        if let clientId, let hintClientId, clientId != hintClientId { return nil }
        var client: Client?
        if let id = hintClientId ?? clientId {
            client = try await store.client(id: id)
            if client == nil { return nil }
        }
        if let uri = postLogoutRedirectUri {
            guard let client, client.postLogoutRedirectURIs.contains(uri) else { return nil }
        }
        return Destination(client: client, postLogoutRedirectUri: postLogoutRedirectUri, state: state)
    }
}
