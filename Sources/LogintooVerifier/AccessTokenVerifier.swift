import AsyncHTTPClient
import Foundation
import LogintooDPoP
import NIOFoundationCompat

/// Why a token was refused. The description is safe to log; it never contains the token.
public enum VerifierError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed
    case forbiddenHeader(String)
    case wrongType
    case unknownKey
    case algorithmMismatch
    case badSignature
    case wrongIssuer
    case wrongAudience
    case expired
    case notYetValid
    case missingClaim(String)
    case unusableKey
    case jwksUnavailable(String)
    case discoveryFailed(String)
    /// A logout token that breaks a rule of OpenID Connect Back-Channel Logout 1.0 §2.6 (named in the text).
    case invalidLogoutToken(String)

    public var description: String {
        switch self {
        case .malformed: "the token is not a compact JWS"
        case .forbiddenHeader(let name): "the token's header carries \(name), which is refused"
        case .wrongType: "the token is not an access token (typ at+jwt)"
        case .unknownKey: "the token's key is not one of the issuer's"
        case .algorithmMismatch: "the token's algorithm is not its key's"
        case .badSignature: "the signature does not verify"
        case .wrongIssuer: "the token is from another issuer"
        case .wrongAudience: "the token is for another API"
        case .expired: "the token has expired"
        case .notYetValid: "the token is not valid yet"
        case .missingClaim(let name): "the token lacks the \(name) claim"
        case .unusableKey: "the JWK is not a usable signing key"
        case .jwksUnavailable(let why): "the issuer's keys are unavailable: \(why)"
        case .discoveryFailed(let why): "discovery failed: \(why)"
        case .invalidLogoutToken(let why): "not a valid logout token: \(why)"
        }
    }
}

/// The claims of a verified RFC 9068 access token.
public struct VerifiedAccessToken: Sendable, Equatable {
    public let subject: String
    public let clientId: String
    public let scopes: [String]
    public let email: String?
    public let issuer: String
    public let audience: [String]
    public let expiresAt: Date
    public let tokenId: String?
    /// The thumbprint of the DPoP key the token is bound to (`cnf.jkt`, RFC 9449 §6.1): it is used only with a proof by
    /// that key (`DPoPProofVerifier`). `nil` for a Bearer token.
    public let dpopKeyThumbprint: String?

    public func hasScope(_ scope: String) -> Bool { scopes.contains(scope) }
}

/// Verifies access tokens for one API (the audience) from one issuer, as RFC 9068 says: `typ` `at+jwt`, the exact
/// issuer, the audience, `exp`/`nbf` with a bounded clock skew, and a signature by one of the issuer's keys using that
/// key's algorithm. ID tokens, `none`, HMAC, and `jku`/`x5u`/`jwk`/`x5c`/`crit` headers are refused.
///
/// ```swift
/// let verifier = try await AccessTokenVerifier.discover(issuer: "https://login.example.com",
///                                                       audience: "https://api.example.com")
/// let token = try await verifier.verify(bearerToken)
/// print(token.subject, token.scopes)
/// ```
public struct AccessTokenVerifier: Sendable {
    public let issuer: String
    public let audience: String
    public let leeway: TimeInterval
    let keys: JWKSCache
    let now: @Sendable () -> Date

    /// - Parameter leeway: the clock skew tolerated on `exp`, `nbf` and `iat`, at most 5 minutes.
    public init(issuer: String, audience: String, keys: JWKSCache, leeway: TimeInterval = 60,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.issuer = issuer
        self.audience = audience
        self.keys = keys
        self.leeway = min(max(leeway, 0), 300)
        self.now = now
    }

    /// Sets up from the issuer URL alone: reads its discovery document (whose `issuer` must match exactly) for `jwks_uri`.
    public static func discover(issuer: String, audience: String, client: HTTPClient = .shared) async throws -> AccessTokenVerifier {
        AccessTokenVerifier(issuer: issuer, audience: audience, keys: try await discoverKeys(issuer: issuer, client: client))
    }

    /// The issuer's keys, from the `jwks_uri` of its discovery document (whose `issuer` must match exactly).
    static func discoverKeys(issuer: String, client: HTTPClient) async throws -> JWKSCache {
        let url = issuer.hasSuffix("/") ? issuer + ".well-known/openid-configuration" : issuer + "/.well-known/openid-configuration"
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        guard response.status == .ok else { throw VerifierError.discoveryFailed("\(url) answered \(response.status.code)") }
        struct Metadata: Decodable { var issuer: String; var jwks_uri: String }
        let metadata = try JSONDecoder().decode(Metadata.self, from: Data(buffer: try await response.body.collect(upTo: 1 << 20)))
        guard metadata.issuer == issuer else { throw VerifierError.discoveryFailed("the document names issuer \(metadata.issuer)") }
        return JWKSCache(source: HTTPJWKSSource(url: metadata.jwks_uri, client: client))
    }

    struct Header: Decodable {
        var alg: String
        var typ: String?
        var kid: String?
        var jku: String?
        var x5u: String?
        var jwk: AnyJSON?
        var x5c: AnyJSON?
        var crit: AnyJSON?
    }

    struct Claims: Decodable {
        var iss: String?
        var sub: String?
        var aud: Audience?
        var exp: Double?
        var nbf: Double?
        var iat: Double?
        var client_id: String?
        var scope: String?
        var email: String?
        var jti: String?
        var cnf: Confirmation?
    }

    struct Confirmation: Decodable { var jkt: String? }

    /// `aud` is a string or an array of strings.
    enum Audience: Decodable {
        case one(String), many([String])
        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let one = try? container.decode(String.self) { self = .one(one) } else { self = .many(try container.decode([String].self)) }
        }
        var values: [String] { switch self { case .one(let one): [one]; case .many(let many): many } }
    }

    /// Any JSON value: only its presence matters.
    struct AnyJSON: Decodable { init(from decoder: any Decoder) throws {} }

    public func verify(_ token: String) async throws(VerifierError) -> VerifiedAccessToken {
        let payload = try await Self.signedPayload(of: token, keys: keys) { typ throws(VerifierError) in
            guard let typ = typ?.lowercased(), typ == "at+jwt" || typ == "application/at+jwt" else { throw .wrongType }
        }
        guard let claims = try? JSONDecoder().decode(Claims.self, from: payload) else { throw .malformed }
        return try check(claims)
    }

    /// The payload of a compact JWS signed by one of the issuer's keys with that key's algorithm, after `checkType` has
    /// accepted its `typ`; the headers that would let a token name its own key are refused.
    static func signedPayload(of token: String, keys: JWKSCache, checkType: (String?) throws(VerifierError) -> Void)
        async throws(VerifierError) -> Data {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard token.utf8.count <= 16_384, parts.count == 3, let headerData = JOSEBase64URL.decode(parts[0]),
              let header = try? JSONDecoder().decode(Header.self, from: headerData),
              let payload = JOSEBase64URL.decode(parts[1]), let signature = JOSEBase64URL.decode(parts[2])
        else { throw .malformed }
        for (name, present) in [("jku", header.jku != nil), ("x5u", header.x5u != nil), ("jwk", header.jwk != nil),
                                ("x5c", header.x5c != nil), ("crit", header.crit != nil)] where present {
            throw .forbiddenHeader(name)
        }
        try checkType(header.typ)
        guard let kid = header.kid, let key = await keys.key(kid: kid) else { throw .unknownKey }
        guard header.alg == key.algorithm else { throw .algorithmMismatch }
        guard key.isValidSignature(signature, for: Data("\(parts[0]).\(parts[1])".utf8)) else { throw .badSignature }
        return payload
    }

    func check(_ claims: Claims) throws(VerifierError) -> VerifiedAccessToken {
        guard claims.iss == issuer else { throw .wrongIssuer }
        let audience = claims.aud?.values ?? []
        guard audience.contains(self.audience) else { throw .wrongAudience }
        let current = now().timeIntervalSince1970
        guard let exp = claims.exp else { throw .missingClaim("exp") }
        guard exp > current - leeway else { throw .expired }
        if let nbf = claims.nbf, nbf > current + leeway { throw .notYetValid }
        if let iat = claims.iat, iat > current + leeway { throw .notYetValid }
        guard let subject = claims.sub else { throw .missingClaim("sub") }
        guard let clientId = claims.client_id else { throw .missingClaim("client_id") }
        return VerifiedAccessToken(
            subject: subject, clientId: clientId, scopes: (claims.scope ?? "").split(separator: " ").map(String.init),
            email: claims.email, issuer: issuer, audience: audience, expiresAt: Date(timeIntervalSince1970: exp), tokenId: claims.jti,
            dpopKeyThumbprint: claims.cnf?.jkt)
    }
}
