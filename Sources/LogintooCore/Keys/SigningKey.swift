import Crypto
import _CryptoExtras
import Foundation

/// The JWS algorithms the server signs with.
public enum SigningAlgorithm: String, Sendable, Codable, CaseIterable {
    case rs256 = "RS256"
    case es256 = "ES256"
    case edDSA = "EdDSA"
}

/// A private signing key. Signing is synchronous and lock-free, so every core can sign at once.
public struct SigningKey: Sendable {
    enum Material: Sendable {
        case rsa(_RSA.Signing.PrivateKey)
        case p256(P256.Signing.PrivateKey)
        case ed25519(Curve25519.Signing.PrivateKey)
    }

    public let kid: String
    public let algorithm: SigningAlgorithm
    let material: Material
    /// The base64url JWS header of each token type the server signs, encoded once per key.
    let encodedHeaders: [String: String]

    /// A fresh key: RSA 2048-bit, P-256 or Ed25519.
    public static func generate(_ algorithm: SigningAlgorithm, kid: String) throws -> SigningKey {
        switch algorithm {
        case .rs256: try SigningKey(kid: kid, algorithm: algorithm, material: .rsa(try _RSA.Signing.PrivateKey(keySize: .bits2048)))
        case .es256: try SigningKey(kid: kid, algorithm: algorithm, material: .p256(P256.Signing.PrivateKey()))
        case .edDSA: try SigningKey(kid: kid, algorithm: algorithm, material: .ed25519(Curve25519.Signing.PrivateKey()))
        }
    }

    /// The private key as text (PEM, or base64url of the raw Ed25519 key) for sealed storage.
    public func exportPrivateKey() -> String {
        switch material {
        case .rsa(let key): key.pemRepresentation
        case .p256(let key): key.pemRepresentation
        case .ed25519(let key): Base64URL.encode(key.rawRepresentation)
        }
    }

    public init(kid: String, algorithm: SigningAlgorithm, exported: String) throws {
        let material: Material
        switch algorithm {
        case .rs256: material = .rsa(try _RSA.Signing.PrivateKey(pemRepresentation: exported))
        case .es256: material = .p256(try P256.Signing.PrivateKey(pemRepresentation: exported))
        case .edDSA:
            guard let raw = Base64URL.decode(exported) else { throw SigningKeyError.unreadable(kid) }
            material = .ed25519(try Curve25519.Signing.PrivateKey(rawRepresentation: raw))
        }
        try self.init(kid: kid, algorithm: algorithm, material: material)
    }

    init(kid: String, algorithm: SigningAlgorithm, material: Material) throws {
        self.kid = kid
        self.algorithm = algorithm
        self.material = material
        var headers: [String: String] = [:]
        for type in JWS.signedTypes { headers[type] = try JWS.encodedHeader(kid: kid, algorithm: algorithm, type: type) }
        encodedHeaders = headers
    }

    /// The JWS signature of `input` (the ASCII of `header.payload`).
    public func sign(_ input: Data) throws -> Data {
        switch material {
        case .rsa(let key): try key.signature(for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5).rawRepresentation
        case .p256(let key): try key.signature(for: input).rawRepresentation
        case .ed25519(let key): try key.signature(for: input)
        }
    }

    public func isValidSignature(_ signature: Data, for input: Data) -> Bool {
        switch material {
        case .rsa(let key):
            key.publicKey.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: input), padding: .insecurePKCS1v1_5)
        case .p256(let key):
            (try? P256.Signing.ECDSASignature(rawRepresentation: signature)).map { key.publicKey.isValidSignature($0, for: input) } ?? false
        case .ed25519(let key):
            key.publicKey.isValidSignature(signature, for: input)
        }
    }

    /// The public half as a JWK: only public members, with `kid`, `use` and `alg`.
    public func publicJWK() throws -> PublicJWK {
        switch material {
        case .rsa(let key):
            let primitives = try key.publicKey.getKeyPrimitives()
            return PublicJWK(kty: "RSA", kid: kid, alg: algorithm.rawValue, n: Base64URL.encode(primitives.modulus),
                             e: Base64URL.encode(primitives.publicExponent))
        case .p256(let key):
            let raw = key.publicKey.rawRepresentation
            return PublicJWK(kty: "EC", kid: kid, alg: algorithm.rawValue, crv: "P-256",
                             x: Base64URL.encode(raw.prefix(32)), y: Base64URL.encode(raw.suffix(32)))
        case .ed25519(let key):
            return PublicJWK(kty: "OKP", kid: kid, alg: algorithm.rawValue, crv: "Ed25519",
                             x: Base64URL.encode(key.publicKey.rawRepresentation))
        }
    }

    /// The left half of the hash of `value` that OIDC uses for `at_hash`.
    public func halfHash(of value: String) -> String {
        let data = Data(value.utf8)
        switch algorithm {
        case .rs256, .es256: return Base64URL.encode(SHA256.hash(data: data).prefix(16))
        case .edDSA: return Base64URL.encode(SHA512.hash(data: data).prefix(32))
        }
    }
}

/// A public JSON Web Key as published in the JWKS.
public struct PublicJWK: Sendable, Codable, Equatable {
    public var kty: String
    public var kid: String
    public var use = "sig"
    public var alg: String
    public var n: String?
    public var e: String?
    public var crv: String?
    public var x: String?
    public var y: String?

    public init(kty: String, kid: String, alg: String, n: String? = nil, e: String? = nil, crv: String? = nil,
                x: String? = nil, y: String? = nil) {
        self.kty = kty
        self.kid = kid
        self.alg = alg
        self.n = n
        self.e = e
        self.crv = crv
        self.x = x
        self.y = y
    }
}

public enum SigningKeyError: Error, CustomStringConvertible {
    case unreadable(String)
    public var description: String { "signing key \(self) could not be read: is the server secret the one it was sealed with?" }
}
