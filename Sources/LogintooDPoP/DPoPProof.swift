import Crypto
import Foundation

/// A DPoP proof (RFC 9449 §4) whose every check passed: its key, its identifier for replay detection, and the nonce it
/// carried. `DPoPProof.check` is the only way to make one.
public struct DPoPProof: Sendable, Equatable {
    /// The RFC 7638 thumbprint of the proof's key: what tokens bound to it name in `cnf.jkt`.
    public let thumbprint: String
    /// The proof's `jti`, unique per key: a second use of it is a replay.
    public let identifier: String
    public let issuedAt: Int64
    /// The server nonce the proof carried, if any; whether it is current is for the caller to say.
    public let nonce: String?

    /// The algorithms a proof may be signed with: asymmetric only.
    public static let algorithms = ["ES256", "EdDSA", "RS256", "PS256"]
    /// How old a proof may be, and how far ahead of this clock its `iat` may lie.
    public static let maxAge: Int64 = 300
    public static let maxClockAhead: Int64 = 60
    /// Proofs are short; anything longer is refused before it is decoded.
    public static let maxLength = 8_192

    /// What a proof is checked against: the request it came with, and the access token it goes with, if any.
    public struct Expectation: Sendable {
        public var method: String
        /// The request's URL as the client addressed it; query and fragment are ignored.
        public var url: String
        /// The access token presented beside the proof, whose hash the proof's `ath` must be.
        public var accessToken: String?
        public var now: Int64

        public init(method: String, url: String, accessToken: String? = nil, now: Int64) {
            self.method = method
            self.url = url
            self.accessToken = accessToken
            self.now = now
        }
    }

    struct Header: Decodable {
        var typ: String?
        var alg: String?
        var jwk: PublicJWK.Members?
        var kid: PublicJWK.AnyMember?
        var jku: PublicJWK.AnyMember?
        var x5u: PublicJWK.AnyMember?
        var x5c: PublicJWK.AnyMember?
        var crit: PublicJWK.AnyMember?
    }

    struct Claims: Decodable {
        var jti: String?
        var htm: String?
        var htu: String?
        var iat: Double?
        var ath: String?
        var nonce: String?
    }

    /// RFC 9449 §4.3: the proof is a JWT of type `dpop+jwt`, signed with a supported asymmetric algorithm by the public
    /// key in its header, for this method and URL, issued within the window, carrying the hash of `accessToken` when
    /// there is one. Nonce and replay checks need state and are the caller's.
    public static func check(_ proof: String, against expected: Expectation) throws(DPoPProofError) -> DPoPProof {
        guard proof.utf8.count <= maxLength else { throw .malformed }
        let parts = proof.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = JOSEBase64URL.decode(parts[0]), let payload = JOSEBase64URL.decode(parts[1]),
              let signature = JOSEBase64URL.decode(parts[2]),
              let header = try? JSONDecoder().decode(Header.self, from: headerBytes)
        else { throw .malformed }
        guard header.typ == "dpop+jwt" else { throw .wrongType }
        guard let alg = header.alg, algorithms.contains(alg) else { throw .unsupportedAlgorithm }
        for (name, present) in [("kid", header.kid != nil), ("jku", header.jku != nil), ("x5u", header.x5u != nil),
                                ("x5c", header.x5c != nil), ("crit", header.crit != nil)] where present {
            throw .forbiddenHeader(name)
        }
        guard let members = header.jwk else { throw .missingKey }
        let key: PublicJWK
        do { key = try PublicJWK(members) } catch { throw .unusableKey(error) }
        guard key.algorithms.contains(alg) else { throw .unsupportedAlgorithm }
        guard key.isValidSignature(signature, for: Data("\(parts[0]).\(parts[1])".utf8), algorithm: alg) else { throw .badSignature }
        guard let claims = try? JSONDecoder().decode(Claims.self, from: payload) else { throw .malformed }
        return try checkClaims(claims, key: key, against: expected)
    }

    static func checkClaims(_ claims: Claims, key: PublicJWK, against expected: Expectation) throws(DPoPProofError) -> DPoPProof {
        guard let jti = claims.jti, !jti.isEmpty, jti.utf8.count <= 256 else { throw .missingClaim("jti") }
        guard let htm = claims.htm else { throw .missingClaim("htm") }
        guard htm == expected.method else { throw .wrongMethod }
        guard let htu = claims.htu else { throw .missingClaim("htu") }
        guard let claimed = RequestTarget(htu), let actual = RequestTarget(expected.url), claimed == actual else { throw .wrongURL }
        guard let iat = claims.iat, iat.isFinite, abs(iat) < 1e15 else { throw .missingClaim("iat") }
        let issuedAt = Int64(iat.rounded(.down))
        guard issuedAt >= expected.now - maxAge, issuedAt <= expected.now + maxClockAhead else { throw .outsideWindow }
        if let token = expected.accessToken {
            guard let ath = claims.ath else { throw .missingClaim("ath") }
            guard ath == accessTokenHash(token) else { throw .wrongAccessTokenHash }
        }
        return DPoPProof(thumbprint: key.thumbprint, identifier: jti, issuedAt: issuedAt, nonce: claims.nonce)
    }

    /// `ath`: the base64url SHA-256 of the access token's ASCII text (RFC 9449 §4.2).
    public static func accessTokenHash(_ token: String) -> String {
        JOSEBase64URL.encode(SHA256.hash(data: Data(token.utf8)))
    }

    /// When a proof issued at `issuedAt` can no longer pass the window: until then its identifier must be remembered.
    public static func windowEnd(issuedAt: Int64) -> Int64 { issuedAt + maxAge + 1 }
}

/// Why a DPoP proof was refused; the description is safe to show the client and to log.
public enum DPoPProofError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed
    case wrongType
    case unsupportedAlgorithm
    case forbiddenHeader(String)
    case missingKey
    case unusableKey(PublicJWKError)
    case badSignature
    case missingClaim(String)
    case wrongMethod
    case wrongURL
    case outsideWindow
    case wrongAccessTokenHash

    public var description: String {
        switch self {
        case .malformed: "the DPoP proof is not a compact JWS with JSON header and claims"
        case .wrongType: "the DPoP proof's typ is not dpop+jwt"
        case .unsupportedAlgorithm: "the DPoP proof's alg is not one of \(DPoPProof.algorithms.joined(separator: ", ")) for its key"
        case .forbiddenHeader(let name): "the DPoP proof's header carries \(name); the key goes in jwk"
        case .missingKey: "the DPoP proof's header has no jwk"
        case .unusableKey(let why): "the DPoP proof's key is refused: \(why)"
        case .badSignature: "the DPoP proof's signature does not verify with its jwk"
        case .missingClaim(let name): "the DPoP proof lacks a valid \(name) claim"
        case .wrongMethod: "the DPoP proof's htm is not this request's method"
        case .wrongURL: "the DPoP proof's htu is not this request's URL"
        case .outsideWindow: "the DPoP proof's iat is too old or too far in the future"
        case .wrongAccessTokenHash: "the DPoP proof's ath is not the hash of the access token presented"
        }
    }
}
