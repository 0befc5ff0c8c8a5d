import Foundation
import LogintooDPoP

/// A public key from the issuer's JWKS, with the one algorithm it verifies. The algorithm comes from the key (its `alg`,
/// or its type and curve), never from a token.
public struct VerificationKey: Sendable {
    public let kid: String
    public let algorithm: String
    let key: PublicJWK

    /// A JWK as published in a JWKS: its name and use beside the public key members `PublicJWK` reads.
    struct JWK: Decodable {
        var kid: String?
        var use: String?
        var alg: String?
        var members: PublicJWK.Members

        enum CodingKeys: String, CodingKey { case kid, use, alg }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            kid = try container.decodeIfPresent(String.self, forKey: .kid)
            use = try container.decodeIfPresent(String.self, forKey: .use)
            alg = try container.decodeIfPresent(String.self, forKey: .alg)
            members = try PublicJWK.Members(from: decoder)
        }
    }

    /// The usable signing keys of a JWKS document; keys of other types, uses or algorithms are skipped.
    static func keys(fromJWKS data: Data) throws -> [String: VerificationKey] {
        struct Document: Decodable { var keys: [Entry] }
        /// One key; a key this verifier cannot read is skipped rather than failing the whole document.
        struct Entry: Decodable {
            var jwk: JWK?
            init(from decoder: any Decoder) throws { jwk = try? JWK(from: decoder) }
        }
        let document = try JSONDecoder().decode(Document.self, from: data)
        var keys: [String: VerificationKey] = [:]
        for jwk in document.keys.compactMap(\.jwk) {
            if let key = try? VerificationKey(jwk) { keys[key.kid] = key }
        }
        return keys
    }

    init(_ jwk: JWK) throws {
        guard let kid = jwk.kid, jwk.use == nil || jwk.use == "sig" else { throw VerifierError.unusableKey }
        self.kid = kid
        do { key = try PublicJWK(jwk.members) } catch { throw VerifierError.unusableKey }
        // An RSA key signs this issuer's tokens with RS256 only; a JWK's `alg`, when given, must be that algorithm.
        algorithm = switch key.keyType { case "RSA": "RS256"; case "EC": "ES256"; default: "EdDSA" }
        if let alg = jwk.alg, alg != algorithm { throw VerifierError.unusableKey }
    }

    func isValidSignature(_ signature: Data, for input: Data) -> Bool {
        key.isValidSignature(signature, for: input, algorithm: algorithm)
    }
}
