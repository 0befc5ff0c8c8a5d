/// OpenID Connect Core §5.3: the signed-in person's claims, for a live access token made for the client itself.
public struct UserInfoService: Sendable {
    let accessTokens: LiveAccessTokens
    let store: any AccountStore
    let issuer: String

    init(accessTokens: LiveAccessTokens, store: any AccountStore, issuer: String) {
        self.accessTokens = accessTokens
        self.store = store
        self.issuer = issuer
    }

    /// The account of a live access token meant for the client itself; a token made for an API (its `aud` names that API)
    /// is refused here, as every resource server refuses tokens not made for it.
    public func userInfo(accessToken: String) async throws -> UserInfo? {
        guard let claims = try await accessTokens.claims(of: accessToken), claims.aud == claims.client_id || claims.aud == issuer,
              let account = try await store.account(id: claims.sub), account.disabledAt == nil
        else { return nil }
        let withEmail = claims.scope.split(separator: " ").contains("email")
        return UserInfo(sub: account.id, email: withEmail ? account.email : nil, email_verified: withEmail ? true : nil)
    }
}
