import Crypto
import Foundation
import _CryptoExtras

/// A public signing key given as a JWK (RFC 7517), with the algorithms it can verify. Only public members are read, and
/// a JWK that carries private ones (`d`, or an RSA key's primes) is refused: whoever sent it has leaked its key.
public struct PublicJWK: Sendable {
    public let keyType: String
    /// The RFC 7638 thumbprint (SHA-256, base64url): the key's name in `cnf.jkt` and `dpop_jkt`.
    public let thumbprint: String
    let material: Material

    enum Material: Sendable {
        case rsa(_RSA.Signing.PublicKey)
        case p256(P256.Signing.PublicKey)
        case ed25519(Curve25519.Signing.PublicKey)
    }

    /// The members a JWK may have; `d`, `p`, `q`, `dp`, `dq`, `qi`, `oth` and `k` mark a private or symmetric key.
    package struct Members: Decodable {
        var kty: String
        var crv: String?
        var n: String?
        var e: String?
        var x: String?
        var y: String?
        var d: String?
        var p: String?
        var q: String?
        var dp: String?
        var dq: String?
        var qi: String?
        var oth: AnyMember?
        var k: String?
    }

    /// A member whose presence alone matters.
    package struct AnyMember: Decodable { package init(from decoder: any Decoder) throws {} }

    /// The key of a JWK's JSON object; throws `PublicJWKError` for a private, symmetric, unknown or unusable key.
    public init(json: Data) throws(PublicJWKError) {
        let members: Members
        do { members = try JSONDecoder().decode(Members.self, from: json) } catch { throw .malformed }
        try self.init(members)
    }

    package init(_ jwk: Members) throws(PublicJWKError) {
        guard jwk.d == nil, jwk.p == nil, jwk.q == nil, jwk.dp == nil, jwk.dq == nil, jwk.qi == nil, jwk.oth == nil, jwk.k == nil
        else { throw .privateKey }
        keyType = jwk.kty
        do {
            switch (jwk.kty, jwk.crv) {
            case ("RSA", _):
                guard let n = jwk.n, let e = jwk.e, let modulus = JOSEBase64URL.decode(n), let exponent = JOSEBase64URL.decode(e),
                      modulus.count >= 256 else { throw PublicJWKError.unusable }
                material = .rsa(try _RSA.Signing.PublicKey(n: modulus, e: exponent))
                thumbprint = Self.thumbprint(#"{"e":"\#(e)","kty":"RSA","n":"\#(n)"}"#)
            case ("EC", "P-256"):
                guard let x = jwk.x, let y = jwk.y, let xBytes = JOSEBase64URL.decode(x), let yBytes = JOSEBase64URL.decode(y),
                      xBytes.count == 32, yBytes.count == 32 else { throw PublicJWKError.unusable }
                material = .p256(try P256.Signing.PublicKey(rawRepresentation: xBytes + yBytes))
                thumbprint = Self.thumbprint(#"{"crv":"P-256","kty":"EC","x":"\#(x)","y":"\#(y)"}"#)
            case ("OKP", "Ed25519"):
                guard let x = jwk.x, let xBytes = JOSEBase64URL.decode(x), xBytes.count == 32 else { throw PublicJWKError.unusable }
                material = .ed25519(try Curve25519.Signing.PublicKey(rawRepresentation: xBytes))
                thumbprint = Self.thumbprint(#"{"crv":"Ed25519","kty":"OKP","x":"\#(x)"}"#)
            default:
                throw PublicJWKError.unsupported
            }
        } catch let error as PublicJWKError {
            throw error
        } catch {
            throw .unusable
        }
    }

    /// RFC 7638 §3: SHA-256 of the required members in lexicographic order, without whitespace. The members are the
    /// base64url text as received, which decoding has just shown to hold only the base64url alphabet.
    static func thumbprint(_ canonical: String) -> String {
        JOSEBase64URL.encode(SHA256.hash(data: Data(canonical.utf8)))
    }

    /// The JWS algorithms this key verifies.
    public var algorithms: Set<String> {
        switch material {
        case .rsa: ["RS256", "PS256"]
        case .p256: ["ES256"]
        case .ed25519: ["EdDSA"]
        }
    }

    /// Whether `signature` is this key's JWS signature with `algorithm` over `input`.
    public func isValidSignature(_ signature: Data, for input: Data, algorithm: String) -> Bool {
        switch (material, algorithm) {
        case (.rsa(let key), "RS256"):
            key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: input),
                                 padding: .insecurePKCS1v1_5)
        case (.rsa(let key), "PS256"):
            key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: input), padding: .PSS)
        case (.p256(let key), "ES256"):
            (try? P256.Signing.ECDSASignature(rawRepresentation: signature)).map { key.isValidSignature($0, for: input) } ?? false
        case (.ed25519(let key), "EdDSA"):
            key.isValidSignature(signature, for: input)
        default:
            false
        }
    }
}

/// Why a JWK cannot serve as a public signing key.
public enum PublicJWKError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed
    case privateKey
    case unsupported
    case unusable

    public var description: String {
        switch self {
        case .malformed: "the JWK is not a JSON object with kty"
        case .privateKey: "the JWK carries private key material"
        case .unsupported: "the JWK's key type or curve is not supported (RSA, EC P-256, OKP Ed25519)"
        case .unusable: "the JWK's key material is not a valid key"
        }
    }
}
