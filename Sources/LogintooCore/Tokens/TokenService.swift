/// The token endpoint's grants and the services that read tokens back, built once over one store. Each lives in a file of
/// its own (`AuthorizationCodeGrant`, `RefreshTokenGrant`, `UserInfoService`, `IntrospectionService`, `RevocationService`,
/// PKCE in `PKCE`); this value wires them and keeps the entry points the Logintoo JSON API and the tests call.
public struct TokenService: Sendable {
    /// The randomness the services were built over, for a caller that builds a service of its own beside them.
    public let random: any RandomSource
    public let keys: KeyRingSource
    /// The keys as they are now.
    public var ring: KeyRing { keys.current }
    /// `authorization_code`.
    public let authorizationCode: AuthorizationCodeGrant
    /// `refresh_token`.
    public let refreshToken: RefreshTokenGrant
    /// `client_credentials`: admin API tokens for admin clients.
    public let clientCredentials: ClientCredentialsGrant
    /// Every grant, by `grant_type`.
    public let grants: GrantRegistry
    /// `/userinfo`.
    public let userInfoService: UserInfoService
    /// `/introspect`.
    public let introspection: IntrospectionService
    /// `/revoke`.
    public let revocation: RevocationService
    /// The admin API's check of a bearer token.
    public let adminAccess: AdminAccess
    let store: any TokenStore

    public init(store: any TokenStore & AccountStore & SessionStore & ClientStore, policy: Policy, clock: any WallClock,
                random: any RandomSource, keys: KeyRingSource, events: any SecurityEventSink = DiscardingEventSink()) {
        self.store = store
        self.random = random
        self.keys = keys
        let minter = TokenMinter(keys: keys, policy: policy, random: random)
        authorizationCode = AuthorizationCodeGrant(store: store, policy: policy, clock: clock, random: random, minter: minter,
                                                   events: events)
        refreshToken = RefreshTokenGrant(store: store, policy: policy, clock: clock, minter: minter, events: events)
        clientCredentials = ClientCredentialsGrant(policy: policy, clock: clock, minter: minter)
        grants = GrantRegistry([authorizationCode, refreshToken, clientCredentials])
        let accessTokens = LiveAccessTokens(store: store, issuer: policy.issuer, clock: clock, keys: keys)
        adminAccess = AdminAccess(accessTokens: accessTokens, clients: store, audience: policy.adminAudience)
        userInfoService = UserInfoService(accessTokens: accessTokens, store: store, issuer: policy.issuer)
        introspection = IntrospectionService(accessTokens: accessTokens, store: store, issuer: policy.issuer, clock: clock)
        revocation = RevocationService(store: store, issuer: policy.issuer, clock: clock, keys: keys, events: events)
    }

    public init(store: any TokenStore & AccountStore & SessionStore & ClientStore, policy: Policy, clock: any WallClock,
                random: any RandomSource, ring: KeyRing, events: any SecurityEventSink = DiscardingEventSink()) {
        self.init(store: store, policy: policy, clock: clock, random: random, keys: KeyRingSource(fixed: ring), events: events)
    }

    /// Exchanges a code (`AuthorizationCodeGrant`). The `.logintoo` profile always issues a refresh token and adds
    /// Logintoo's claims.
    public func exchangeCode(client: Client, code: String?, redirectUri: String?, codeVerifier: String?,
                             profile: TokenProfile = .oauth, resource: String? = nil) async throws -> IssuedTokens {
        try await authorizationCode.exchange(client: client, code: code, redirectUri: redirectUri, codeVerifier: codeVerifier,
                                             profile: profile, resource: resource)
    }

    /// Rotates a refresh token (`RefreshTokenGrant`).
    public func refresh(client: Client, refreshToken token: String?, scope: String?,
                        resource: String? = nil) async throws -> IssuedTokens {
        try await refreshToken.refresh(client: client, refreshToken: token, scope: scope, resource: resource)
    }

    /// The client a refresh token was issued to, for APIs where the token alone identifies the client.
    public func clientIdOfRefreshToken(_ token: String) async throws -> String? {
        try await store.refreshToken(hash: SecretDigest.sha256(token))?.1.clientId
    }

    /// The claims `/userinfo` answers for `accessToken` (`UserInfoService`).
    public func userInfo(accessToken: String) async throws -> UserInfo? {
        try await userInfoService.userInfo(accessToken: accessToken)
    }

    /// RFC 7662 introspection (`IntrospectionService`).
    public func introspect(token: String, asker: Client) async throws -> IntrospectionResponse {
        try await introspection.introspect(token: token, asker: asker)
    }

    /// RFC 7009 revocation (`RevocationService`).
    public func revoke(token: String, client: Client) async throws {
        try await revocation.revoke(token: token, client: client)
    }

    static let accountDisabled = OAuthError.invalidGrant("the account is disabled")
    public static let refreshTokenReused = OAuthError.invalidGrant("the refresh token was already used; the whole grant is revoked")
    public static let verifierMismatch = PKCE.verifierMismatch

    /// RFC 7636 §4.6 (`PKCE.verify`).
    public static func checkPKCE(challenge: String?, verifier: String?) throws {
        try PKCE.verify(challenge: challenge, verifier: verifier)
    }
}
