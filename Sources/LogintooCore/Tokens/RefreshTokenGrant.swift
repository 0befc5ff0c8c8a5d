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
        let next = minter.refreshTokenSecret()
        let nextHash = SecretDigest.sha256(next)
        let request = RefreshRequest(client: client, scope: requested, resource: resource, proofKey: proofKey, now: now,
                                     grace: policy.refreshGrace)
        let outcome = try await store.rotateRefreshToken(hash: hash, now: now) { [minter] presented in
            try request.plan(presented, replacement: minter.refreshTokenRecord(hash: nextHash, grant: presented.grant, parent: hash,
                                                                                client: client, now: now))
        }
        switch outcome {
        case .rotated(let presented), .graceRetry(let presented):
            if case .graceRetry = outcome {
                await events.record(.refreshTokenGraceRetry(clientId: client.id, grantId: presented.grant.id))
            }
            return try issue(after: presented, request: request, refreshToken: next, replacing: hash)
        case .reuseDetected(let grantId, let accountId):
            await events.record(.refreshTokenReused(clientId: client.id, grantId: grantId, accountId: accountId))
            throw TokenService.refreshTokenReused
        case .keyMismatch(let proofMissing):
            throw DPoPBinding.refusal(proofMissing: proofMissing)
        case .invalid:
            throw OAuthError.invalidGrant("the refresh token is invalid or expired")
        case .unknown:
            throw OAuthError.invalidGrant("the refresh token is invalid")
        }
    }

    /// The tokens answering a rotation of `presented`, whose checks `request.plan` passed in the rotation's transaction.
    /// Signing after the commit keeps it out of the transaction (on SQLite, out of the one writer's turn); a failure
    /// here leaves the family's new head unanswered, as a lost response does: a retry within the grace recovers it, and
    /// without a grace the retry is reuse.
    private func issue(after presented: PresentedRefreshToken, request: RefreshRequest, refreshToken: String,
                       replacing parent: String) throws -> IssuedTokens
    {
        let (grant, client, now) = (presented.grant, request.client, request.now)
        guard let account = presented.account else { throw TokenService.accountDisabled }
        let scope = try Self.narrowedScope(request.scope, granted: grant.scope)
        let access = try minter.accessToken(grant: grant, scope: scope, client: client, account: account,
                                            proofKey: request.proofKey, now: now)
        let record = minter.refreshTokenRecord(hash: SecretDigest.sha256(refreshToken), grant: grant, parent: parent,
                                               client: client, now: now)
        return IssuedTokens(
            response: TokenResponse(access_token: access.token, token_type: TokenResponse.type(proofKey: request.proofKey),
                                    expires_in: access.lifetime, scope: scope.joined(separator: " "), refresh_token: refreshToken),
            accessExpiresAt: now + access.lifetime, refreshExpiresAt: record.expiresAt, grant: grant, state: nil)
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
        let granted = Scope.values(of: granted)
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

/// A refresh as the token endpoint received it, and the checks it must pass before its token rotates.
struct RefreshRequest: Sendable {
    let client: Client
    /// The scope asked for (space separated), if any.
    let scope: String?
    let resource: String?
    let proofKey: String?
    let now: Int64
    /// How long after its rotation the immediate predecessor may be retried (`Policy.refreshGrace`).
    let grace: Int64

    /// What the rotation writes for `presented`, in the order a client learns why it is refused: another client's
    /// token, a wider scope, another resource, an ended grant, a disabled account; then the rotation rule
    /// (`RefreshRotation.decide`: reuse, the DPoP key, an expired token). Throws the refusals, so nothing is written.
    func plan(_ presented: PresentedRefreshToken, replacement: RefreshToken) throws -> RotationPlan {
        let grant = presented.grant
        guard grant.clientId == client.id else { throw OAuthError.invalidGrant("the refresh token is invalid") }
        _ = try RefreshTokenGrant.narrowedScope(scope, granted: grant.scope)
        try RefreshTokenGrant.checkSameResource(resource, granted: grant)
        // An ended grant is said so before its key is asked for: without a live grant there is nothing to prove.
        guard grant.revokedAt == nil, grant.expiresAt > now else {
            throw OAuthError.invalidGrant("the refresh token is invalid or expired")
        }
        guard let account = presented.account, account.disabledAt == nil else { throw TokenService.accountDisabled }
        let decision = RefreshRotation.decide(presented.facts, clientId: client.id, grace: grace, now: now, proofKey: proofKey)
        // A public client's grant that began without DPoP is bound by its first refresh with a proof (RFC 9449 §5).
        let binding = grant.dpopJkt == nil ? DPoPBinding.refreshKey(proofKey: proofKey, client: client) : nil
        return RotationPlan(decision: decision, replacement: replacement, binding: binding)
    }
}
