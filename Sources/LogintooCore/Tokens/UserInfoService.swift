/// OpenID Connect Core §5.3: the signed-in person's claims, for a live access token made for the client itself.
public struct UserInfoService: Sendable {
    let accessTokens: LiveAccessTokens
    let store: any TokenStore
    let issuer: String

    init(accessTokens: LiveAccessTokens, store: any TokenStore, issuer: String) {
        self.accessTokens = accessTokens
        self.store = store
        self.issuer = issuer
    }

    /// What `/userinfo` answers a presented token.
    public enum Answer: Sendable, Equatable {
        case claims(UserInfo)
        /// Not a live access token of this server made for the client, or its account is disabled.
        case invalidToken
        /// A DPoP-bound token without a proof by its key, or a Bearer token presented with a proof (RFC 9449 §7.1).
        case wrongBinding(String)
    }

    /// The account of a live access token meant for the client itself; a token made for an API (its `aud` names that API)
    /// is refused here, as every resource server refuses tokens not made for it.
    public func userInfo(accessToken: String) async throws -> UserInfo? {
        guard case .claims(let info) = try await answer(accessToken: accessToken, proofKey: nil) else { return nil }
        return info
    }

    /// The answer for `accessToken`, presented with a checked DPoP proof by the key `proofKey`, or as a Bearer token
    /// (`nil`): a bound token needs a proof by its key, an unbound one is a Bearer token only.
    ///
    /// Whether the token is honoured and its account are one read of the store; a client's own token
    /// (`client_credentials`) speaks for no person.
    public func answer(accessToken: String, proofKey: String?) async throws -> Answer {
        guard let claims = accessTokens.signedClaims(of: accessToken), claims.aud == claims.client_id || claims.aud == issuer,
              !AccessTokenID.isClientToken(claims.jti),
              let account = try await store.accountOfActiveAccessToken(jti: claims.jti, grantId: AccessTokenID.grant(of: claims.jti),
                                                                       accountId: claims.sub),
              account.disabledAt == nil
        else { return .invalidToken }
        switch (claims.cnf?.jkt, proofKey) {
        case (nil, nil): break
        case (let bound?, let key?) where bound == key: break
        case (_?, nil): return .wrongBinding("the access token is DPoP-bound: present it with the DPoP scheme and a proof")
        case (_?, _?): return .wrongBinding("the DPoP proof is signed by another key than the token is bound to")
        case (nil, _?): return .wrongBinding("the access token is not DPoP-bound: present it with the Bearer scheme")
        }
        let withEmail = Scope.values(of: claims.scope).contains("email")
        return .claims(UserInfo(sub: account.id, email: withEmail ? account.email : nil, email_verified: withEmail ? true : nil))
    }
}
