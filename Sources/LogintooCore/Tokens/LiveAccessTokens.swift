/// Reads an access token back: valid signature, this issuer, unexpired, not revoked. Shared by userinfo and introspection.
struct LiveAccessTokens: Sendable {
    let store: any TokenStore
    let issuer: String
    let clock: any WallClock
    let keys: KeyRingSource

    /// The claims of `token` when it is a live access token of this server; nil otherwise.
    func claims(of token: String) async throws -> AccessTokenClaims? {
        guard let claims = JWS.verify(token, type: "at+jwt", ring: keys.current, as: AccessTokenClaims.self),
              claims.iss == issuer, claims.exp > clock.now(),
              try await store.isAccessTokenActive(jti: claims.jti, grantId: AccessTokenID.grant(of: claims.jti))
        else { return nil }
        return claims
    }
}
