/// RFC 6749 §4.1.3 with OAuth 2.1's rules: an authorization code, used once, by the client and redirect URI it was issued
/// for, with the PKCE verifier of its challenge, becomes an access token, an ID token (`openid`) and a refresh token
/// (`offline_access`, or always for the `.logintoo` profile).
public struct AuthorizationCodeGrant: GrantHandler {
    public let grantType = "authorization_code"
    let store: any TokenStore & AccountStore
    let policy: Policy
    let clock: any WallClock
    let random: any RandomSource
    let minter: TokenMinter
    let events: any SecurityEventSink

    /// A handler over `store`, minting with `minter`; replays are reported to `events`.
    public init(store: any TokenStore & AccountStore, policy: Policy, clock: any WallClock, random: any RandomSource,
                minter: TokenMinter, events: any SecurityEventSink) {
        self.store = store
        self.policy = policy
        self.clock = clock
        self.random = random
        self.minter = minter
        self.events = events
    }

    public func issue(_ parameters: some TokenRequestParameters, client: Client, proofKey: String?) async throws -> IssuedTokens {
        try await exchange(client: client, code: parameters["code"], redirectUri: parameters["redirect_uri"],
                           codeVerifier: parameters["code_verifier"], resource: parameters["resource"], proofKey: proofKey)
    }

    /// Exchanges a code. The `.logintoo` profile always issues a refresh token and adds Logintoo's claims. With
    /// `proofKey` (a checked DPoP proof's key) the access token is bound to that key, and so is a public client's grant.
    public func exchange(client: Client, code: String?, redirectUri: String?, codeVerifier: String?,
                         profile: TokenProfile = .oauth, resource: String? = nil, proofKey: String? = nil) async throws
        -> IssuedTokens {
        guard let code, !code.isEmpty else { throw OAuthError.invalidRequest("code is missing") }
        guard let redirectUri else { throw OAuthError.invalidRequest("redirect_uri is missing") }
        try PKCE.checkVerifierSyntax(codeVerifier)
        try DPoPBinding.checkRequired(proofKey: proofKey, client: client, policy: policy)
        let now = clock.now()
        let grantId = random.token(bytes: 16)
        let issued = try await redeemOnce(code, grantId: grantId, now: now)
        try Self.checkUnexpired(issued, now: now)
        try Self.checkIssuedTo(client, issued)
        try Self.checkSameRedirectURI(redirectUri, issued)
        try PKCE.verify(challenge: issued.codeChallenge, verifier: codeVerifier)
        try DPoPBinding.checkCode(issued, proofKey: proofKey)
        let target = try Self.resource(requested: resource, granted: issued.resource, client: client)
        let account = try await activeAccount(issued.accountId)
        return try await issueTokens(for: issued, grantId: grantId, client: client, account: account, profile: profile,
                                     resource: target, proofKey: proofKey, now: now)
    }

    /// RFC 6749 §4.1.2 and §10.5: a code is used once; a second use revokes what the first issued (in the store).
    func redeemOnce(_ code: String, grantId: String, now: Int64) async throws -> AuthorizationCode {
        switch try await store.redeemAuthorizationCode(hash: SecretDigest.sha256(code), grantId: grantId, now: now) {
        case .unknown: throw OAuthError.invalidGrant("the authorization code is invalid")
        case .replayed(let clientId, let accountId, let revokedGrant):
            await events.record(.authorizationCodeReplayed(clientId: clientId, accountId: accountId, grantId: revokedGrant))
            throw OAuthError.invalidGrant("the authorization code was already used; its tokens are revoked")
        case .redeemed(let record): return record
        }
    }

    static func checkUnexpired(_ issued: AuthorizationCode, now: Int64) throws {
        guard issued.expiresAt > now else { throw OAuthError.invalidGrant("the authorization code has expired") }
    }

    /// RFC 6749 §4.1.3: the code was issued to the authenticated client.
    static func checkIssuedTo(_ client: Client, _ issued: AuthorizationCode) throws {
        guard issued.clientId == client.id else { throw OAuthError.invalidGrant("the code was issued to another client") }
    }

    /// RFC 6749 §4.1.3: the redirect URI is the one of the authorization request.
    static func checkSameRedirectURI(_ redirectUri: String, _ issued: AuthorizationCode) throws {
        guard issued.redirectUri == redirectUri else { throw OAuthError.invalidGrant("redirect_uri does not match") }
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

    func activeAccount(_ id: String) async throws -> Account {
        guard let account = try await store.account(id: id), account.disabledAt == nil else { throw TokenService.accountDisabled }
        return account
    }

    /// Mints the tokens and stores the grant (the root of the refresh family) with its first refresh token.
    func issueTokens(for issued: AuthorizationCode, grantId: String, client: Client, account: Account, profile: TokenProfile,
                     resource: String?, proofKey: String?, now: Int64) async throws -> IssuedTokens {
        let scope = Scope.values(of: issued.scope)
        let withRefresh = scope.contains("offline_access") || profile == .logintoo
        let grant = Grant(
            id: grantId, clientId: client.id, accountId: account.id, sessionHash: issued.sessionHash,
            scope: issued.scope, authTime: issued.authTime, createdAt: now,
            expiresAt: now + (withRefresh ? policy.refreshAbsoluteLifetime(for: client) : policy.accessTokenLifetime(for: client)),
            profile: profile, language: issued.language, locale: issued.locale, resource: resource, amr: issued.amr,
            acr: issued.acr, dpopJkt: DPoPBinding.refreshKey(proofKey: proofKey, client: client)
        )
        let access = try minter.accessToken(grant: grant, scope: scope, client: client, account: account, proofKey: proofKey,
                                            now: now)
        let idToken = scope.contains("openid")
            ? try minter.idToken(grant: grant, scope: scope, client: client, account: account, nonce: issued.nonce,
                                 accessToken: access.token, now: now)
            : nil
        let refresh = withRefresh ? minter.refreshToken(grant: grant, parent: nil, client: client, now: now) : nil
        try await store.createGrant(grant, fromCode: issued.codeHash, refreshToken: refresh?.record)
        return IssuedTokens(
            response: TokenResponse(access_token: access.token, token_type: TokenResponse.type(proofKey: proofKey),
                                    expires_in: access.lifetime, scope: issued.scope, id_token: idToken, refresh_token: refresh?.token),
            accessExpiresAt: now + access.lifetime, refreshExpiresAt: refresh?.record.expiresAt, grant: grant, state: issued.state)
    }
}
