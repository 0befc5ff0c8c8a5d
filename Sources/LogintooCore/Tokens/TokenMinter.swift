/// Mints the signed tokens: RFC 9068 access tokens and OpenID Connect ID tokens.
public struct TokenMinter: Sendable {
    let keys: KeyRingSource
    let policy: Policy
    let random: any RandomSource

    public init(keys: KeyRingSource, policy: Policy, random: any RandomSource) {
        self.keys = keys
        self.policy = policy
        self.random = random
    }

    public func accessToken(grant: Grant, scope: [String], client: Client, account: Account, now: Int64) throws
        -> (token: String, record: AccessTokenRecord, lifetime: Int64)
    {
        let lifetime = policy.accessTokenLifetime(for: client)
        let withEmail = scope.contains("email") || grant.profile == .logintoo
        var claims = AccessTokenClaims(
            iss: policy.issuer, sub: account.id, aud: grant.resource ?? client.settings.tokenAudience ?? client.id, client_id: client.id,
            scope: scope.joined(separator: " "), iat: now, exp: now + lifetime, jti: random.token(bytes: 16),
            auth_time: grant.authTime, email: withEmail ? account.email : nil, email_verified: withEmail ? true : nil
        )
        if grant.profile == .logintoo, let address = EmailAddress(account.email) {
            claims.email_normalized = address.normalized
            claims.hd = address.domain
            claims.language = grant.language
            claims.locale = grant.locale
        }
        let token = try JWS.sign(claims, type: "at+jwt", with: keys.current.signingKey)
        return (token, AccessTokenRecord(jti: claims.jti, grantId: grant.id, clientId: client.id, expiresAt: claims.exp), lifetime)
    }

    public func idToken(grant: Grant, scope: [String], client: Client, account: Account, nonce: String?, accessToken: String,
                        now: Int64) throws -> String {
        let ring = keys.current
        let withEmail = scope.contains("email")
        let claims = IDTokenClaims(
            iss: policy.issuer, sub: account.id, aud: client.id, exp: now + policy.accessTokenLifetime(for: client), iat: now,
            auth_time: grant.authTime, nonce: nonce, amr: ["otp"], at_hash: ring.signingKey.halfHash(of: accessToken),
            azp: client.id, email: withEmail ? account.email : nil, email_verified: withEmail ? true : nil
        )
        return try JWS.sign(claims, type: "JWT", with: ring.signingKey)
    }
}
