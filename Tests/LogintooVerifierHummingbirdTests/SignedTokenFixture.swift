import Foundation
import LogintooCore
import LogintooVerifier

/// A JWKS document that is always there and never says how long to cache it.
struct FixedJWKSSource: JWKSSource {
    let document: Data

    func fetch() async throws -> (document: Data, maxAge: Int?) { (document, nil) }
}

/// One issuer key published as a fixed JWKS, a verifier that trusts it, and access tokens signed with it.
struct SignedTokenFixture {
    static let issuer = "https://login.example.com"
    static let audience = "https://api.example.com"
    let key: SigningKey
    let verifier: AccessTokenVerifier

    init() throws {
        key = try SigningKey.generate(.es256, kid: "key-1")
        let jwks = try JSONEncoder().encode(["keys": [try key.publicJWK()]])
        verifier = AccessTokenVerifier(issuer: Self.issuer, audience: Self.audience, keys: JWKSCache(source: FixedJWKSSource(document: jwks)))
    }

    /// An access token for `user-1` with the `openid email notes:write` scopes, expiring `expiresIn` seconds from now
    /// (a negative value gives an expired token).
    /// With `boundTo`, the token is DPoP-bound to that key thumbprint (`cnf.jkt`).
    func token(expiresIn: Int64 = 600, boundTo thumbprint: String? = nil) throws -> String {
        let now = Int64(Date().timeIntervalSince1970)
        let header: [String: Any] = ["alg": key.algorithm.rawValue, "typ": "at+jwt", "kid": key.kid]
        var claims: [String: Any] = ["iss": Self.issuer, "sub": "user-1", "aud": Self.audience, "client_id": "site",
                                     "scope": "openid email notes:write", "iat": now, "exp": now + expiresIn]
        if let thumbprint { claims["cnf"] = ["jkt": thumbprint] }
        let input = Base64URL.encode(try JSONSerialization.data(withJSONObject: header)) + "."
            + Base64URL.encode(try JSONSerialization.data(withJSONObject: claims))
        return input + "." + Base64URL.encode(try key.sign(Data(input.utf8)))
    }
}
