/// Reads an access token back: valid signature, this issuer, unexpired, not revoked. Shared by userinfo, introspection and
/// the admin API's `AdminAccess`.
struct LiveAccessTokens: Sendable {
    let store: any TokenStore
    let issuer: String
    let clock: any WallClock
    let keys: KeyRingSource

    /// The claims of `token` when it is a live access token of this server; nil otherwise.
    func claims(of token: String) async throws -> AccessTokenClaims? {
        guard let claims = signedClaims(of: token), try await isActive(jti: claims.jti) else { return nil }
        return claims
    }

    /// The claims of `token` when this server signed it as an access token and it has not expired, before asking the
    /// store whether it is still honoured: for a caller that asks that together with what else it reads.
    func signedClaims(of token: String) -> AccessTokenClaims? {
        guard let claims = JWS.verify(token, type: "at+jwt", ring: keys.current, as: AccessTokenClaims.self),
              claims.iss == issuer, claims.exp > clock.now()
        else { return nil }
        return claims
    }

    /// A person's token lives while its grant does and it is not on the deny list; a client's own token has no grant.
    func isActive(jti: String) async throws -> Bool {
        if AccessTokenID.isClientToken(jti) { return try await store.isClientAccessTokenActive(jti: jti) }
        return try await store.isAccessTokenActive(jti: jti, grantId: AccessTokenID.grant(of: jti))
    }
}
