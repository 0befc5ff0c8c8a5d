/// RFC 6749 §6 with RFC 9700 §4.14.2's rotation: a live refresh token of this client becomes a new access token and the
/// next refresh token of its family; the scope may narrow, never widen; a token used twice revokes the family.
public struct RefreshTokenGrant: GrantHandler {
    public let grantType = "refresh_token"
    let store: any TokenStore
    let policy: Policy
    let clock: any WallClock
    let minter: TokenMinter
    let events: any SecurityEventSink

    /// A handler over `store`, minting with `minter`; reuse and grace retries are reported to `events`.
    public init(store: any TokenStore, policy: Policy, clock: any WallClock, minter: TokenMinter, events: any SecurityEventSink) {
        self.store = store
        self.policy = policy
        self.clock = clock
        self.minter = minter
        self.events = events
    }

    public func issue(_ parameters: some TokenRequestParameters, client: Client, proofKey: String?) async throws -> IssuedTokens {
        try await refresh(client: client, refreshToken: parameters["refresh_token"], scope: parameters["scope"],
                          resource: parameters["resource"], proofKey: proofKey)
    }

    /// Rotates `refreshToken`; `scope` (space separated) narrows the new access token, `resource` must be the grant's.
    /// A grant bound to a DPoP key needs `proofKey` to be that key; the new access token is bound to `proofKey`.
    public func refresh(client: Client, refreshToken: String?, scope requested: String?,
                        resource: String? = nil, proofKey: String? = nil) async throws -> IssuedTokens {
        guard let refreshToken, !refreshToken.isEmpty else { throw OAuthError.invalidRequest("refresh_token is missing") }
        try DPoPBinding.checkRequired(proofKey: proofKey, client: client, policy: policy)
        let now = clock.now()
        let hash = SecretDigest.sha256(refreshToken)
        guard let (_, known, owner) = try await store.refreshToken(hash: hash), known.clientId == client.id else {
            throw OAuthError.invalidGrant("the refresh token is invalid")
        }
        let scope = try Self.narrowedScope(requested, granted: known.scope)
        try Self.checkSameResource(resource, granted: known)
        // An ended grant is said so before its key is asked for: without a live grant there is nothing to prove.
        guard known.revokedAt == nil, known.expiresAt > now else {
            throw OAuthError.invalidGrant("the refresh token is invalid or expired")
        }
        guard let account = owner, account.disabledAt == nil else { throw TokenService.accountDisabled }
        let next = minter.refreshToken(grant: known, parent: hash, client: client, now: now)
        let access = try minter.accessToken(grant: known, scope: scope, client: client, account: account, proofKey: proofKey,
                                            now: now)
        let (clientId, grace) = (client.id, policy.refreshGrace)
        // A public client's grant that began without DPoP is bound by its first refresh with a proof (RFC 9449 §5).
        let binding = known.dpopJkt == nil ? DPoPBinding.refreshKey(proofKey: proofKey, client: client) : nil
        let outcome = try await store.rotateRefreshToken(hash: hash, replacement: next.record, now: now,
                                                         bindingTo: binding) { presented in
            RefreshRotation.decide(presented, clientId: clientId, grace: grace, now: now, proofKey: proofKey)
        }
        switch outcome {
        case .rotated, .graceRetry:
            if case .graceRetry(let grantId) = outcome {
                await events.record(.refreshTokenGraceRetry(clientId: client.id, grantId: grantId))
            }
            return IssuedTokens(
                response: TokenResponse(access_token: access.token, token_type: TokenResponse.type(proofKey: proofKey),
                                        expires_in: access.lifetime, scope: scope.joined(separator: " "), refresh_token: next.token),
                accessExpiresAt: now + access.lifetime, refreshExpiresAt: next.record.expiresAt, grant: known, state: nil)
        case .reuseDetected(let grantId, let accountId):
            await events.record(.refreshTokenReused(clientId: client.id, grantId: grantId, accountId: accountId))
            throw TokenService.refreshTokenReused
        case .keyMismatch(let proofMissing):
            throw DPoPBinding.refusal(proofMissing: proofMissing)
        case .invalid:
            throw OAuthError.invalidGrant("the refresh token is invalid or expired")
        }
    }

    /// The grant and account of `client`'s refresh token `token` without rotating it: the family's current token,
    /// unexpired, its grant unrevoked and its account enabled. A retired token is reuse, as at the token endpoint: the
    /// family is revoked (a thief must not learn here, unnoticed, which tokens still work).
    public func currentGrant(of token: String, client: Client) async throws -> (Grant, Account)? {
        let now = clock.now()
        guard token.utf8.count <= 512, let (record, grant, owner) = try await store.refreshToken(hash: SecretDigest.sha256(token)),
              grant.clientId == client.id, grant.revokedAt == nil, grant.expiresAt > now
        else { return nil }
        if record.retiredAt != nil {
            try await store.revokeGrant(id: grant.id, now: now)
            await events.record(.refreshTokenReused(clientId: client.id, grantId: grant.id, accountId: grant.accountId))
            return nil
        }
        // A bound grant's token is worth nothing without its key, and this call takes no proof.
        guard record.expiresAt > now, grant.dpopJkt == nil, let account = owner, account.disabledAt == nil else { return nil }
        return (grant, account)
    }

    /// RFC 6749 §6: the requested scope, if any, is within the original grant's.
    static func narrowedScope(_ requested: String?, granted: String) throws -> [String] {
        let granted = granted.split(separator: " ").map(String.init)
        guard let requested else { return granted }
        guard let asked = Scope.parse(requested), asked.allSatisfy(granted.contains) else {
            throw OAuthError(.invalidScope, "a refresh cannot add scopes beyond the original grant")
        }
        return asked
    }

    /// RFC 8707 §2.2: a refresh keeps the API of the original grant.
    static func checkSameResource(_ resource: String?, granted: Grant) throws {
        if let resource, resource != granted.resource {
            throw OAuthError(.invalidTarget, "a refresh keeps the resource of the original grant")
        }
    }
}
