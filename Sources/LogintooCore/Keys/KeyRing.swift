import Crypto
import Foundation

/// The keys in use: the one that signs, and every key whose tokens may still be alive (published in the JWKS).
public struct KeyRing: Sendable {
    public let signingKey: SigningKey
    public let verificationKeys: [SigningKey]

    public init(signingKey: SigningKey, verificationKeys: [SigningKey]) {
        self.signingKey = signingKey
        self.verificationKeys = verificationKeys
    }

    public func key(kid: String) -> SigningKey? { verificationKeys.first { $0.kid == kid } }

    /// The JWKS document.
    public func jwks() throws -> JWKS { JWKS(keys: try verificationKeys.map { try $0.publicJWK() }) }

    /// Loads the persisted keys, creating and persisting a first key of `algorithm` when none of that algorithm exists.
    /// Private keys are sealed with the key-encryption key derived from the server secret.
    public static func load(store: any KeyStore, algorithm: SigningAlgorithm, secret: ServerSecret, clock: any WallClock,
                            random: any RandomSource) async throws -> KeyRing {
        let kek = secret.key(for: .keyEncryption)
        var stored = try await store.signingKeys().filter { $0.retiredAt == nil }
        if !stored.contains(where: { $0.alg == algorithm.rawValue }) {
            let key = try SigningKey.generate(algorithm, kid: random.token(bytes: 12))
            let record = StoredSigningKey(kid: key.kid, alg: algorithm.rawValue,
                                          sealedPrivateKey: try Sealing.seal(key.exportPrivateKey(), key: kek), createdAt: clock.now())
            try await store.insertSigningKey(record)
            stored = try await store.signingKeys().filter { $0.retiredAt == nil }
        }
        let keys = try stored.map { record -> SigningKey in
            guard let alg = SigningAlgorithm(rawValue: record.alg) else { throw SigningKeyError.unreadable(record.kid) }
            return try SigningKey(kid: record.kid, algorithm: alg, exported: try Sealing.open(record.sealedPrivateKey, key: kek))
        }
        // The newest key of the configured algorithm signs; the others stay published for tokens they signed.
        let pairs = zip(stored, keys).filter { $0.0.alg == algorithm.rawValue }.sorted { $0.0.createdAt < $1.0.createdAt }
        guard let signing = pairs.last?.1 else { throw SigningKeyError.unreadable(algorithm.rawValue) }
        return KeyRing(signingKey: signing, verificationKeys: keys)
    }
}

/// A JSON Web Key Set.
public struct JWKS: Sendable, Codable, Equatable {
    public var keys: [PublicJWK]
}
