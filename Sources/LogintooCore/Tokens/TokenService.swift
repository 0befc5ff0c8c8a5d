import Crypto
import Foundation

/// The token endpoint's grants, and the services that read tokens back: userinfo, introspection, revocation.
public struct TokenService: Sendable {
    let store: any TokenStore & AccountStore & SessionStore
    let policy: Policy
    let clock: any WallClock
    let random: any RandomSource
    let minter: TokenMinter
    let events: any SecurityEventSink
    public let keys: KeyRingSource
    /// The keys as they are now.
    public var ring: KeyRing { keys.current }

    public init(store: any TokenStore & AccountStore & SessionStore, policy: Policy, clock: any WallClock,
                random: any RandomSource, keys: KeyRingSource, events: any SecurityEventSink = DiscardingEventSink()) {
        self.store = store
        self.events = events
        self.policy = policy
        self.clock = clock
        self.random = random
        self.keys = keys
        self.minter = TokenMinter(keys: keys, policy: policy, random: random)
    }

    public init(store: any TokenStore & AccountStore & SessionStore, policy: Policy, clock: any WallClock,
                random: any RandomSource, ring: KeyRing, events: any SecurityEventSink = DiscardingEventSink()) {
        self.init(store: store, policy: policy, clock: clock, random: random, keys: KeyRingSource(fixed: ring), events: events)
    }

    // MARK: authorization_code

    /// Exchanges a code. The `.logintoo` profile always issues a refresh token and adds Logintoo's claims.
    public func exchangeCode(client: Client, code: String?, redirectUri: String?, codeVerifier: String?,
                             profile: TokenProfile = .oauth, resource: String? = nil) async throws -> IssuedTokens {
        guard let code, !code.isEmpty else { throw OAuthError.invalidRequest("code is missing") }
        guard let redirectUri else { throw OAuthError.invalidRequest("redirect_uri is missing") }
        if let codeVerifier { try Self.checkVerifierSyntax(codeVerifier) }
        let now = clock.now()
        let issued: AuthorizationCode
        let grantId = random.token(bytes: 16)
        switch try await store.redeemAuthorizationCode(hash: SecretDigest.sha256(code), grantId: grantId, now: now) {
        case .unknown: throw OAuthError.invalidGrant("the authorization code is invalid")
        case .replayed(let clientId):
            await events.record(.authorizationCodeReplayed(clientId: clientId))
            throw OAuthError.invalidGrant("the authorization code was already used; its tokens are revoked")
        case .redeemed(let record): issued = record
        }
        guard issued.expiresAt > now else { throw OAuthError.invalidGrant("the authorization code has expired") }
        guard issued.clientId == client.id else { throw OAuthError.invalidGrant("the code was issued to another client") }
        guard issued.redirectUri == redirectUri else { throw OAuthError.invalidGrant("redirect_uri does not match") }
        try Self.checkPKCE(challenge: issued.codeChallenge, verifier: codeVerifier)
        let target = try Self.resource(requested: resource, granted: issued.resource, client: client)
        let account = try await activeAccount(issued.accountId)

        let scope = issued.scope.split(separator: " ").map(String.init)
        let withRefresh = scope.contains("offline_access") || profile == .logintoo
        let grant = Grant(
            id: grantId, clientId: client.id, accountId: account.id, sessionHash: issued.sessionHash,
            scope: issued.scope, authTime: issued.authTime, createdAt: now,
            expiresAt: now + (withRefresh ? policy.refreshAbsoluteLifetime(for: client) : policy.accessTokenLifetime(for: client)),
            profile: profile, language: issued.language, locale: issued.locale, resource: target
        )
        let access = try minter.accessToken(grant: grant, scope: scope, client: client, account: account, now: now)
        let idToken = scope.contains("openid")
            ? try minter.idToken(grant: grant, scope: scope, client: client, account: account, nonce: issued.nonce,
                                 accessToken: access.token, now: now)
            : nil
        var refresh: (token: String, record: RefreshToken)?
        if withRefresh { refresh = newRefreshToken(grant: grant, parent: nil, client: client, now: now) }
        try await store.createGrant(grant, fromCode: issued.codeHash, refreshToken: refresh?.record)
        return IssuedTokens(
            response: TokenResponse(access_token: access.token, expires_in: access.lifetime, scope: issued.scope, id_token: idToken,
                                    refresh_token: refresh?.token),
            accessExpiresAt: now + access.lifetime, refreshExpiresAt: refresh?.record.expiresAt, grant: grant, state: issued.state)
    }

    // MARK: refresh_token

    public func refresh(client: Client, refreshToken: String?, scope requested: String?,
                        resource: String? = nil) async throws -> IssuedTokens {
        guard let refreshToken, !refreshToken.isEmpty else { throw OAuthError.invalidRequest("refresh_token is missing") }
        let now = clock.now()
        let hash = SecretDigest.sha256(refreshToken)
        guard let (_, known, owner) = try await store.refreshToken(hash: hash), known.clientId == client.id else {
            throw OAuthError.invalidGrant("the refresh token is invalid")
        }
        let granted = known.scope.split(separator: " ").map(String.init)
        var scope = granted
        if let requested {
            guard let asked = Scope.parse(requested), asked.allSatisfy(granted.contains) else {
                throw OAuthError(.invalidScope, "a refresh cannot add scopes beyond the original grant")
            }
            scope = asked
        }
        if let resource, resource != known.resource {
            throw OAuthError(.invalidTarget, "a refresh keeps the resource of the original grant")
        }
        guard let account = owner, account.disabledAt == nil else { throw Self.accountDisabled }
        let next = newRefreshToken(grant: known, parent: hash, client: client, now: now)
        let access = try minter.accessToken(grant: known, scope: scope, client: client, account: account, now: now)
        let (clientId, grace) = (client.id, policy.refreshGrace)
        let outcome = try await store.rotateRefreshToken(hash: hash, replacement: next.record, now: now) { presented in
            RefreshRotation.decide(presented, clientId: clientId, grace: grace, now: now)
        }
        switch outcome {
        case .rotated, .graceRetry:
            if case .graceRetry(let grantId) = outcome {
                await events.record(.refreshTokenGraceRetry(clientId: client.id, grantId: grantId))
            }
            return IssuedTokens(
                response: TokenResponse(access_token: access.token, expires_in: access.lifetime, scope: scope.joined(separator: " "),
                                        refresh_token: next.token),
                accessExpiresAt: now + access.lifetime, refreshExpiresAt: next.record.expiresAt, grant: known, state: nil)
        case .reuseDetected(let grantId):
            await events.record(.refreshTokenReused(clientId: client.id, grantId: grantId))
            throw Self.refreshTokenReused
        case .invalid:
            throw OAuthError.invalidGrant("the refresh token is invalid or expired")
        }
    }

    /// The client a refresh token was issued to, for APIs where the token alone identifies the client.
    public func clientIdOfRefreshToken(_ token: String) async throws -> String? {
        try await store.refreshToken(hash: SecretDigest.sha256(token))?.1.clientId
    }

    static let accountDisabled = OAuthError.invalidGrant("the account is disabled")
    public static let refreshTokenReused = OAuthError.invalidGrant("the refresh token was already used; the whole grant is revoked")
    public static let verifierMismatch = OAuthError.invalidGrant("code_verifier does not match the code_challenge")

    func newRefreshToken(grant: Grant, parent: String?, client: Client, now: Int64) -> (token: String, record: RefreshToken) {
        let token = random.token(bytes: 32)
        let expiry = min(now + policy.refreshIdleLifetime(for: client), grant.expiresAt)
        return (token, RefreshToken(tokenHash: SecretDigest.sha256(token), grantId: grant.id, parentHash: parent, createdAt: now,
                                    expiresAt: expiry))
    }

    func activeAccount(_ id: String) async throws -> Account {
        guard let account = try await store.account(id: id), account.disabledAt == nil else { throw Self.accountDisabled }
        return account
    }

    /// The API a code exchange is for (RFC 8707): the one chosen at authorization, or named now if none was.
    static func resource(requested: String?, granted: String?, client: Client) throws -> String? {
        switch (requested, granted) {
        case (nil, let granted): return granted
        case (let requested?, let granted?):
            guard requested == granted else { throw OAuthError(.invalidTarget, "resource differs from the authorization request") }
            return granted
        case (let requested?, nil):
            guard client.isRegistered(resource: requested) else {
                throw OAuthError(.invalidTarget, "this client is not registered for that resource")
            }
            return requested
        }
    }

    // MARK: PKCE

    static let verifierAlphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func checkVerifierSyntax(_ verifier: String) throws {
        guard (43...128).contains(verifier.count), verifier.allSatisfy(verifierAlphabet.contains) else {
            throw OAuthError.invalidRequest("code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~]")
        }
    }

    /// S256 only; a verifier without a stored challenge is refused too (PKCE downgrade).
    public static func checkPKCE(challenge: String?, verifier: String?) throws {
        switch (challenge, verifier) {
        case (nil, nil): return
        case (nil, _?): throw OAuthError.invalidGrant("code_verifier was sent but the authorization request had no code_challenge")
        case (_?, nil): throw OAuthError.invalidGrant("code_verifier is missing")
        case (let challenge?, let verifier?):
            let computed = Base64URL.encode(SHA256.hash(data: Data(verifier.utf8)))
            guard SecretDigest.constantTimeEquals(computed, challenge) else { throw verifierMismatch }
        }
    }

    // MARK: reading tokens back

    /// The claims of a live access token: valid signature, this issuer, unexpired, not revoked.
    public func activeAccessToken(_ token: String) async throws -> AccessTokenClaims? {
        guard let claims = JWS.verify(token, type: "at+jwt", ring: ring, as: AccessTokenClaims.self),
              claims.iss == policy.issuer, claims.exp > clock.now(),
              try await store.isAccessTokenActive(jti: claims.jti, grantId: AccessTokenID.grant(of: claims.jti))
        else { return nil }
        return claims
    }

    /// The account of a live access token meant for the client itself; a token made for an API (its `aud` names that API)
    /// is refused here, as every resource server refuses tokens not made for it.
    public func userInfo(accessToken: String) async throws -> UserInfo? {
        guard let claims = try await activeAccessToken(accessToken), claims.aud == claims.client_id || claims.aud == policy.issuer,
              let account = try await store.account(id: claims.sub), account.disabledAt == nil
        else { return nil }
        let withEmail = claims.scope.split(separator: " ").contains("email")
        return UserInfo(sub: account.id, email: withEmail ? account.email : nil, email_verified: withEmail ? true : nil)
    }

    /// RFC 7662: the claims of a live token that concerns `asker` (`IntrospectionAccess`); `{"active": false}` for any
    /// other token, live or not, so the answer tells nothing about tokens of other clients.
    public func introspect(token: String, asker: Client) async throws -> IntrospectionResponse {
        if let claims = try await activeAccessToken(token) {
            guard IntrospectionAccess.allows(asker, toSee: .init(clientId: claims.client_id, audience: claims.aud)) else {
                return .inactive
            }
            return IntrospectionResponse(active: true, scope: claims.scope, client_id: claims.client_id, sub: claims.sub,
                                         exp: claims.exp, iat: claims.iat, iss: claims.iss, aud: claims.aud, jti: claims.jti,
                                         token_type: "Bearer")
        }
        let now = clock.now()
        if let (record, grant, _) = try await store.refreshToken(hash: SecretDigest.sha256(token)),
           record.retiredAt == nil, record.expiresAt > now, grant.revokedAt == nil, grant.expiresAt > now,
           IntrospectionAccess.allows(asker, toSee: .init(clientId: grant.clientId, audience: nil)) {
            return IntrospectionResponse(active: true, scope: grant.scope, client_id: grant.clientId, sub: grant.accountId,
                                         exp: record.expiresAt, iat: record.createdAt, iss: policy.issuer,
                                         token_type: "refresh_token")
        }
        return .inactive
    }

    /// RFC 7009: revokes a token of this client; anything else is silently ignored.
    public func revoke(token: String, client: Client) async throws {
        let now = clock.now()
        if let (_, grant, _) = try await store.refreshToken(hash: SecretDigest.sha256(token)) {
            if grant.clientId == client.id {
                try await store.revokeGrant(id: grant.id, now: now)
                await events.record(.grantRevoked(clientId: client.id, grantId: grant.id))
            }
            return
        }
        if let claims = JWS.verify(token, type: "at+jwt", ring: ring, as: AccessTokenClaims.self),
           claims.iss == policy.issuer, claims.client_id == client.id {
            try await store.revokeAccessToken(
                AccessTokenRecord(jti: claims.jti, grantId: AccessTokenID.grant(of: claims.jti) ?? "", clientId: claims.client_id,
                                  expiresAt: claims.exp),
                now: now)
        }
    }
}
