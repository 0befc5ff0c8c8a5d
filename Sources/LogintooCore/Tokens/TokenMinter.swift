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

    /// A person's access token; bound to the DPoP key `proofKey` (`cnf.jkt`, RFC 9449 §6.1) when there is one.
    public func accessToken(grant: Grant, scope: [String], client: Client, account: Account, proofKey: String? = nil,
                            now: Int64) throws -> (token: String, lifetime: Int64)
    {
        let lifetime = policy.accessTokenLifetime(for: client)
        let withEmail = scope.contains("email") || grant.profile == .logintoo
        var claims = AccessTokenClaims(
            iss: policy.issuer, sub: account.id, aud: grant.resource ?? client.settings.tokenAudience ?? client.id, client_id: client.id,
            scope: scope.joined(separator: " "), iat: now, exp: now + lifetime, jti: AccessTokenID.make(grant: grant.id, random: random),
            auth_time: grant.authTime, email: withEmail ? account.email : nil, email_verified: withEmail ? true : nil,
            cnf: proofKey.map(Confirmation.init)
        )
        if grant.profile == .logintoo, let address = EmailAddress(account.email) {
            claims.email_normalized = address.normalized
            claims.hd = address.domain
            claims.language = grant.language
            claims.locale = grant.locale
        }
        let token = try JWS.sign(claims, type: "at+jwt", with: keys.current.signingKey)
        return (token, lifetime)
    }

    /// An access token a client gets for itself (RFC 6749 §4.4, RFC 9068 §2.2): no person and no grant, so `sub` is the
    /// client, and its `jti` marks it as a client's token, which only the deny list ends early.
    public func clientAccessToken(client: Client, scope: [String], audience: String, lifetime: Int64, now: Int64) throws
        -> String
    {
        let claims = AccessTokenClaims(
            iss: policy.issuer, sub: client.id, aud: audience, client_id: client.id, scope: scope.joined(separator: " "),
            iat: now, exp: now + lifetime, jti: AccessTokenID.makeForClient(random: random))
        return try JWS.sign(claims, type: "at+jwt", with: keys.current.signingKey)
    }

    public func idToken(grant: Grant, scope: [String], client: Client, account: Account, nonce: String?, accessToken: String,
                        now: Int64) throws -> String {
        let ring = keys.current
        let withEmail = scope.contains("email")
        let claims = IDTokenClaims(
            iss: policy.issuer, sub: account.id, aud: client.id, exp: now + policy.accessTokenLifetime(for: client), iat: now,
            auth_time: grant.authTime, nonce: nonce, amr: SignInMethod.amr(stored: grant.amr), acr: grant.acr,
            at_hash: ring.signingKey.halfHash(of: accessToken),
            azp: client.id, email: withEmail ? account.email : nil, email_verified: withEmail ? true : nil,
            sid: grant.sessionHash.map(SessionIdentifier.sid)
        )
        return try JWS.sign(claims, type: "JWT", with: ring.signingKey)
    }
}

extension TokenMinter {
    /// A new refresh token of `grant`'s family: 256 random bits, stored only as its digest (`refreshTokenRecord`).
    func refreshToken(grant: Grant, parent: String?, client: Client, now: Int64) -> (token: String, record: RefreshToken) {
        let token = refreshTokenSecret()
        return (token, refreshTokenRecord(hash: SecretDigest.sha256(token), grant: grant, parent: parent, client: client, now: now))
    }

    /// The stored record of the refresh token with digest `hash`, living until the idle lifetime or the family's end,
    /// whichever comes first.
    func refreshTokenRecord(hash: String, grant: Grant, parent: String?, client: Client, now: Int64) -> RefreshToken {
        RefreshToken(tokenHash: hash, grantId: grant.id, parentHash: parent, createdAt: now,
                     expiresAt: min(now + policy.refreshIdleLifetime(for: client), grant.expiresAt))
    }

    /// A new refresh token's secret: 256 random bits.
    func refreshTokenSecret() -> String { random.token(bytes: 32) }
}

/// An access token's `jti`: its grant's id, a dot, and 128 random bits. Revoking the grant reaches every access token
/// it issued without the server keeping a record of each. A client's own token (`client_credentials`) has no grant: its
/// `jti` is `clientPrefix` and 128 random bits, with no dot, so it never names a grant.
enum AccessTokenID {
    static let clientPrefix = "client:"

    static func make(grant: String, random: any RandomSource) -> String { grant + "." + random.token(bytes: 16) }

    static func makeForClient(random: any RandomSource) -> String { clientPrefix + random.token(bytes: 16) }

    /// Whether `jti` is that of a client's own token (`makeForClient`).
    static func isClientToken(_ jti: String) -> Bool { jti.hasPrefix(clientPrefix) }

    /// The grant named in `jti`; nil for a plain identifier.
    static func grant(of jti: String) -> String? {
        guard let dot = jti.firstIndex(of: "."), dot > jti.startIndex else { return nil }
        return String(jti[..<dot])
    }
}
