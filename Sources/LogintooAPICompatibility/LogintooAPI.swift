import Crypto
import Foundation
import LogintooCore

/// The original Logintoo JSON API (`/auth`, `/otp`, `/token`), answered the way it answered, on the core's guarantees:
/// random codes, attempts counted atomically, the redirect URI checked again at `/otp`, rotating refresh tokens with
/// reuse detection, send throttles, and error descriptions that never repeat what was sent.
public struct LogintooAPI: Sendable {
    public enum Version: String, Sendable, CaseIterable {
        case v2020_11 = "2020-11"
        case v2026_06 = "2026-06"

        /// 2026-06 adds `iss` to the redirect (RFC 9207).
        var redirectCarriesIssuer: Bool { self == .v2026_06 }
    }

    /// The token resource's answer.
    public struct TokenAnswer: Sendable, Encodable, Equatable {
        public var access_token: String
        public var token_type = "Bearer"
        public var expires_in: Int64
        public var refresh_token: String
        public var exp: Int64
        public var rt_exp: Int64
        public var state: String?
        public var language: String?
        public var locale: String?
        public var statusMessage = "200 OK"
    }

    /// Stands in for the browser binding of hosted-page sign-ins: no cookie digest can equal it, so these sign-ins are
    /// reachable only through this API, where the PKCE challenge binds them to whoever holds the verifier.
    static let apiBinding = "logintoo-api"

    let store: any ClientStore & LoginStore
    let signIn: SignInService
    let tokens: TokenService
    let passkeys: PasskeyService
    let policy: Policy
    let clock: any WallClock
    let loginKey: SymmetricKey

    public init(store: any ClientStore & LoginStore, signIn: SignInService, tokens: TokenService, passkeys: PasskeyService,
                policy: Policy, clock: any WallClock, secret: ServerSecret) {
        self.store = store
        self.signIn = signIn
        self.tokens = tokens
        self.passkeys = passkeys
        self.policy = policy
        self.clock = clock
        self.loginKey = secret.key(for: .logintooAPI)
    }

    // MARK: POST /auth

    /// Emails a code for (client, address, challenge) unless one is live already. Answers the same whether or not the
    /// client, redirect URI or address is known, and whether or not a throttle held the email back.
    public func startSignIn(_ body: LogintooAPIBody, clientIP: String, userAgent: String? = nil, acceptLanguage: String? = nil)
        async throws {
        let (clientId, challenge) = try Self.pkceStart(body)
        let email = try body.email()
        let request = try Self.authorizationRequest(body, clientId: clientId, challenge: challenge)
        guard let client = try await store.client(id: clientId), client.accepts(redirectURI: request.redirectUri) else { return }
        let open = try await startLogin(loginId(clientId: clientId, email: email, challenge: challenge), request: request, client: client)
        _ = try await signIn.sendCode(open, email: email, clientIP: clientIP, userAgent: userAgent, acceptLanguage: acceptLanguage,
                                      keepLiveCode: true, offerLink: false)
    }

    // MARK: POST /otp

    /// Checks the code; on success, the redirect (with `code`) to the client's registered redirect URI.
    public func verifyCode(_ body: LogintooAPIBody, version: Version) async throws -> String {
        let clientId = try body.uuid("client_id")
        let challenge = try body.base64URL("code_challenge")
        let email = try body.email()
        let otp = try body.text("otp")
        guard (1...10).contains(otp.count), otp.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw Failure.badRequest("otp must be the digits of the emailed code")
        }
        guard let open = try await liveLogin(loginId(clientId: clientId, email: email, challenge: challenge)),
              open.client.accepts(redirectURI: open.login.request.redirectUri)
        else { throw Failure.forbidden("there is no sign-in waiting for this code; start again") }
        let outcome = try await signIn.verifyCode(open, code: otp,
                                                  delivery: .logintooAPI(redirectCarriesIssuer: version.redirectCarriesIssuer))
        switch outcome {
        case .signedIn(let signedIn):
            return signedIn.redirect
        case .wrongCode, .malformed:
            throw Failure.unauthorized("the code is not right")
        case .noLiveCode:
            throw Failure.forbidden("the code has expired, was used, or had too many wrong tries; request a new one")
        case .throttled:
            throw Failure.forbidden("too many wrong codes for this address; wait a few minutes")
        case .accountDisabled:
            throw Failure.forbidden("this account is disabled")
        }
    }

    // MARK: /token

    /// `POST /token`: the authorization code for tokens, with Logintoo's claims.
    public func exchangeCode(_ body: LogintooAPIBody) async throws -> TokenAnswer {
        guard try body.text("grant_type") == "authorization_code" else {
            throw Failure.badRequest("grant_type must be authorization_code")
        }
        let code = try body.base64URL("code")
        let redirectUri = try body.uri("redirect_uri")
        let clientId = try body.uuid("client_id")
        let verifier = try body.base64URL("code_verifier")
        let client = try await publicClient(clientId, unknown: .forbidden("the code is invalid, used or expired"))
        do {
            let issued = try await tokens.exchangeCode(client: client, code: code, redirectUri: redirectUri, codeVerifier: verifier,
                                                       profile: .logintoo)
            return try answer(issued, state: issued.state)
        } catch let error as OAuthError where error == TokenService.verifierMismatch {
            throw Failure.unauthorized("code_verifier does not match the code_challenge")
        } catch let error as OAuthError where error.code == .invalidDPoPProof {
            throw Self.dpopBound
        } catch let error as OAuthError where error.code == .invalidGrant {
            throw Failure.forbidden("the code is invalid, used or expired, or was issued for another client or redirect URI")
        }
    }

    /// This API takes no DPoP proofs: a client whose tokens are DPoP-bound, or a grant bound to a key, gets tokens at the
    /// OAuth token endpoint only.
    static let dpopBound = Failure.unauthorized("these tokens are DPoP-bound: use the OAuth token endpoint (/token) with a DPoP proof")

    /// `PATCH /token`: rotates the refresh token. A retired token revokes its whole family.
    public func refresh(_ body: LogintooAPIBody) async throws -> TokenAnswer {
        guard try body.text("grant_type") == "refresh_token" else { throw Failure.badRequest("grant_type must be refresh_token") }
        let token = try body.refreshToken()
        let invalid = Failure.unauthorized("the refresh token is invalid or expired")
        guard let clientId = try await tokens.clientIdOfRefreshToken(token) else { throw invalid }
        let client = try await publicClient(clientId, unknown: invalid)
        do {
            return try answer(try await tokens.refresh(client: client, refreshToken: token, scope: nil), state: nil)
        } catch let error as OAuthError where error == TokenService.refreshTokenReused {
            throw Failure.forbidden("the refresh token was already used; every token of this sign-in is revoked")
        } catch let error as OAuthError where error.code == .invalidDPoPProof {
            throw Self.dpopBound
        } catch let error as OAuthError where error.code == .invalidGrant {
            throw invalid
        }
    }

    /// `DELETE /token`: ends the sign-in the refresh token belongs to. Unknown tokens are accepted silently (RFC 7009).
    /// A public client's token is its own proof; a confidential client's is revoked only when that client authenticates
    /// (RFC 7009 §2.1; docs/security.md I52), with HTTP Basic (`basic`) or `client_id` and `client_secret` in the body, as at
    /// the OAuth endpoints. Without that, nothing changes and the answer is this API's `401 unauthorized_client`.
    public func revoke(_ body: LogintooAPIBody, basic: ClientRegistry.Credentials? = nil) async throws {
        let token = try body.refreshToken()
        guard let clientId = try await tokens.clientIdOfRefreshToken(token), let client = try await store.client(id: clientId) else {
            return
        }
        if client.isConfidential { try await authenticate(client, basic: basic, body: body) }
        try await tokens.revoke(token: token, client: client)
    }

    static let confidentialRevocationUnauthenticated = Failure.unauthorized(
        "this token's client has a secret: authenticate with it (HTTP Basic, or client_id and client_secret) to revoke the token")

    /// Checks that the request carries `client`'s own credentials.
    func authenticate(_ client: Client, basic: ClientRegistry.Credentials?, body: LogintooAPIBody) async throws {
        var posted: ClientRegistry.Credentials?
        if let secret = try body.optionalText("client_secret") { posted = .post(id: try body.text("client_id"), secret: secret) }
        if basic != nil, posted != nil { throw Failure.badRequest("use one client authentication method, not two") }
        guard let credentials = basic ?? posted else { throw Self.confidentialRevocationUnauthenticated }
        let registry = ClientRegistry(store: store, clock: clock, random: tokens.random)
        guard let authenticated = try? await registry.authenticate(credentials), authenticated.id == client.id else {
            throw Self.confidentialRevocationUnauthenticated
        }
    }

    // MARK: helpers

    /// The PKCE start of a sign-in: `client_id`, `code_challenge`, `code_challenge_method` S256, `response_type` code.
    static func pkceStart(_ body: LogintooAPIBody) throws(Failure) -> (clientId: String, challenge: String) {
        let clientId = try body.uuid("client_id")
        let challenge = try body.base64URL("code_challenge")
        guard try body.text("code_challenge_method") == "S256" else { throw Failure.badRequest("code_challenge_method must be S256") }
        guard try body.text("response_type") == "code" else { throw Failure.badRequest("response_type must be code") }
        return (clientId, challenge)
    }

    /// The rest of a sign-in's request: `redirect_uri`, `state`, and the optional `language` and `locale`.
    static func authorizationRequest(_ body: LogintooAPIBody, clientId: String, challenge: String) throws(Failure)
        -> AuthorizationRequest {
        let redirectUri = try body.uri("redirect_uri")
        let state = try body.base64URL("state")
        let (language, locale) = try body.languageAndLocale()
        return AuthorizationRequest(clientId: clientId, redirectUri: redirectUri, scope: [], state: state, codeChallenge: challenge,
                                    uiLocales: locale ?? language, language: language, locale: locale)
    }

    /// Saves sign-in `id` of `client` for `request` unless it is live already (a repeated start continues it).
    func startLogin(_ id: String, request: AuthorizationRequest, client: Client) async throws -> OpenLogin {
        if let live = try await liveLogin(id) { return live }
        let now = clock.now()
        return try await signIn.start(LoginTransaction(
            id: id, browserHash: Self.apiBinding, request: request, createdAt: now, expiresAt: now + policy.loginLifetime), client: client)
    }

    /// This API has no client secrets: only public clients use its token resource.
    func publicClient(_ id: String, unknown: Failure) async throws -> Client {
        guard let client = try await store.client(id: id) else { throw unknown }
        guard !client.isConfidential else {
            throw Failure.unauthorized("this client has a secret and must use the OAuth token endpoint")
        }
        return client
    }

    func answer(_ issued: IssuedTokens, state: String?) throws -> TokenAnswer {
        guard let refreshToken = issued.response.refresh_token, let refreshExpiry = issued.refreshExpiresAt else {
            throw Failure.serverFailure("no refresh token was issued")
        }
        return TokenAnswer(
            access_token: issued.response.access_token, expires_in: issued.response.expires_in, refresh_token: refreshToken,
            exp: issued.accessExpiresAt, rt_exp: refreshExpiry, state: state, language: issued.grant?.language,
            locale: issued.grant?.locale)
    }

    /// One sign-in per (client, address, challenge), under an id nobody can compute without the server secret.
    func loginId(clientId: String, email: String, challenge: String) -> String {
        SecretDigest.hmac("\(clientId)\n\(email)\n\(challenge)", key: loginKey)
    }

    func liveLogin(_ id: String) async throws -> OpenLogin? {
        do {
            return try await signIn.open(loginId: id, browserHash: Self.apiBinding)
        } catch SignInService.Failure.loginNotFound {
            return nil
        }
    }
}
