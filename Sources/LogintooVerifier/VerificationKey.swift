import Crypto
import Foundation
import _CryptoExtras

/// A public key from the issuer's JWKS, with the one algorithm it verifies. The algorithm comes from the key (its `alg`,
/// or its type and curve), never from a token.
public struct VerificationKey: Sendable {
    public let kid: String
    public let algorithm: String
    let material: Material

    enum Material: Sendable {
        case rsa(_RSA.Signing.PublicKey)
        case p256(P256.Signing.PublicKey)
        case ed25519(Curve25519.Signing.PublicKey)
    }

    /// A JWK as published in a JWKS: only the public members are read.
    struct JWK: Decodable {
        var kty: String
        var kid: String?
        var use: String?
        var alg: String?
        var crv: String?
        var n: String?
        var e: String?
        var x: String?
        var y: String?
    }

    /// The usable signing keys of a JWKS document; keys of other types, uses or algorithms are skipped.
    static func keys(fromJWKS data: Data) throws -> [String: VerificationKey] {
        struct Document: Decodable { var keys: [JWK] }
        let document = try JSONDecoder().decode(Document.self, from: data)
        var keys: [String: VerificationKey] = [:]
        for jwk in document.keys {
            if let key = try? VerificationKey(jwk) { keys[key.kid] = key }
        }
        return keys
    }

    init(_ jwk: JWK) throws {
        guard let kid = jwk.kid, jwk.use == nil || jwk.use == "sig" else { throw VerifierError.unusableKey }
        self.kid = kid
        switch (jwk.kty, jwk.crv) {
        case ("RSA", _):
            guard let n = jwk.n.flatMap(Base64URL.decode), let e = jwk.e.flatMap(Base64URL.decode), n.count >= 256 else {
                throw VerifierError.unusableKey
            }
            material = .rsa(try _RSA.Signing.PublicKey(n: n, e: e))
            algorithm = "RS256"
        case ("EC", "P-256"):
            guard let x = jwk.x.flatMap(Base64URL.decode), let y = jwk.y.flatMap(Base64URL.decode) else { throw VerifierError.unusableKey }
            material = .p256(try P256.Signing.PublicKey(rawRepresentation: x + y))
            algorithm = "ES256"
        case ("OKP", "Ed25519"):
            guard let x = jwk.x.flatMap(Base64URL.decode) else { throw VerifierError.unusableKey }
            material = .ed25519(try Curve25519.Signing.PublicKey(rawRepresentation: x))
            algorithm = "EdDSA"
        default:
            throw VerifierError.unusableKey
        }
        if let alg = jwk.alg, alg != algorithm { throw VerifierError.unusableKey }
    }

    func isValidSignature(_ signature: Data, for input: Data) -> Bool {
        switch material {
        case .rsa(let key):
            key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: input),
                                 padding: .insecurePKCS1v1_5)
        case .p256(let key):
            (try? P256.Signing.ECDSASignature(rawRepresentation: signature)).map { key.isValidSignature($0, for: input) } ?? false
        case .ed25519(let key):
            key.isValidSignature(signature, for: input)
        }
    }
}

/// Base64url without padding (RFC 7515 §2).
enum Base64URL {
    static func decode(_ text: some StringProtocol) -> Data? {
        guard text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else { return nil }
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
