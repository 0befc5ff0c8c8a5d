/// RFC 7009 token revocation: a client ends its own tokens; anything else is accepted and ignored.
public struct RevocationService: Sendable {
    let store: any TokenStore
    let issuer: String
    let clock: any WallClock
    let keys: KeyRingSource
    let events: any SecurityEventSink

    init(store: any TokenStore, issuer: String, clock: any WallClock, keys: KeyRingSource, events: any SecurityEventSink) {
        self.store = store
        self.issuer = issuer
        self.clock = clock
        self.keys = keys
        self.events = events
    }

    /// Revokes a token of this client: a refresh token ends its whole grant, an access token only itself (RFC 7009 §2.1).
    public func revoke(token: String, client: Client) async throws {
        let now = clock.now()
        if let (_, grant, _) = try await store.refreshToken(hash: SecretDigest.sha256(token)) {
            if grant.clientId == client.id {
                try await store.revokeGrant(id: grant.id, now: now)
                await events.record(.grantRevoked(clientId: client.id, grantId: grant.id))
            }
            return
        }
        if let claims = JWS.verify(token, type: "at+jwt", ring: keys.current, as: AccessTokenClaims.self),
           claims.iss == issuer, claims.client_id == client.id {
            try await store.revokeAccessToken(
                AccessTokenRecord(jti: claims.jti, grantId: AccessTokenID.grant(of: claims.jti) ?? "", clientId: claims.client_id,
                                  expiresAt: claims.exp),
                now: now)
        }
    }
}
