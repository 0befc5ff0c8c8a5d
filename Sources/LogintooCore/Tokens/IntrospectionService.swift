/// RFC 7662 token introspection, for confidential clients: what a live token is, told only to a client it concerns.
public struct IntrospectionService: Sendable {
    let accessTokens: LiveAccessTokens
    let store: any TokenStore
    let issuer: String
    let clock: any WallClock

    init(accessTokens: LiveAccessTokens, store: any TokenStore, issuer: String, clock: any WallClock) {
        self.accessTokens = accessTokens
        self.store = store
        self.issuer = issuer
        self.clock = clock
    }

    /// The claims of a live token that concerns `asker` (`IntrospectionAccess`); `{"active": false}` for any other token,
    /// live or not, so the answer tells nothing about tokens of other clients.
    public func introspect(token: String, asker: Client) async throws -> IntrospectionResponse {
        if let claims = try await accessTokens.claims(of: token) {
            guard IntrospectionAccess.allows(asker, toSee: .init(clientId: claims.client_id, audience: claims.aud)) else {
                return .inactive
            }
            return IntrospectionResponse(active: true, scope: claims.scope, client_id: claims.client_id, sub: claims.sub,
                                         exp: claims.exp, iat: claims.iat, iss: claims.iss, aud: claims.aud, jti: claims.jti,
                                         token_type: TokenResponse.type(proofKey: claims.cnf?.jkt), cnf: claims.cnf)
        }
        let now = clock.now()
        if let (record, grant, _) = try await store.refreshToken(hash: SecretDigest.sha256(token)),
           record.retiredAt == nil, record.expiresAt > now, grant.revokedAt == nil, grant.expiresAt > now,
           IntrospectionAccess.allows(asker, toSee: .init(clientId: grant.clientId, audience: nil)) {
            return IntrospectionResponse(active: true, scope: grant.scope, client_id: grant.clientId, sub: grant.accountId,
                                         exp: record.expiresAt, iat: record.createdAt, iss: issuer, token_type: "refresh_token")
        }
        return .inactive
    }
}
