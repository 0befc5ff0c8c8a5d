import Crypto
import Synchronization
import Foundation

/// The keys in use: the one that signs, and every key whose tokens may still be alive (published in the JWKS).
public struct KeyRing: Sendable {
    public let signingKey: SigningKey
    public let verificationKeys: [SigningKey]
    /// The JWKS, encoded once per ring.
    public let jwksDocument: Data

    public init(signingKey: SigningKey, verificationKeys: [SigningKey]) throws {
        self.signingKey = signingKey
        self.verificationKeys = verificationKeys
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        jwksDocument = try encoder.encode(JWKS(keys: try verificationKeys.map { try $0.publicJWK() }))
    }

    public func key(kid: String) -> SigningKey? { verificationKeys.first { $0.kid == kid } }

    /// The JWKS document.
    public func jwks() throws -> JWKS { JWKS(keys: try verificationKeys.map { try $0.publicJWK() }) }

    /// Loads the persisted keys that are published now (see `KeyLifecycle`), creating and persisting a first key of
    /// `algorithm` when none of that algorithm is active. Private keys are sealed with the key-encryption key.
    public static func load(store: any KeyStore, algorithm: SigningAlgorithm, secret: ServerSecret, clock: any WallClock,
                            random: any RandomSource) async throws -> KeyRing {
        let kek = secret.key(for: .keyEncryption)
        let now = clock.now()
        var states = KeyLifecycle.states(try await store.signingKeys(), now: now)
        if !states.contains(where: { $0.key.alg == algorithm.rawValue && $0.state == .active }) {
            try await store.insertSigningKey(try KeyLifecycle.newKey(algorithm, kek: kek, random: random, now: now, activatesAt: nil))
            states = KeyLifecycle.states(try await store.signingKeys(), now: now)
        }
        var signing: SigningKey?
        var published: [SigningKey] = []
        for (record, state) in states where state != .expired {
            guard let alg = SigningAlgorithm(rawValue: record.alg) else { throw SigningKeyError.unreadable(record.kid) }
            let key = try SigningKey(kid: record.kid, algorithm: alg, exported: try Sealing.open(record.sealedPrivateKey, key: kek))
            published.append(key)
            if state == .active, alg == algorithm { signing = key }
        }
        guard let signing else { throw SigningKeyError.unreadable(algorithm.rawValue) }
        return try KeyRing(signingKey: signing, verificationKeys: published)
    }
}

/// The ring every instance signs and verifies with, reloaded from the store so that rotations reach all instances.
public final class KeyRingSource: Sendable {
    private let ring: Mutex<KeyRing>
    let load: @Sendable () async throws -> KeyRing

    public init(load: @escaping @Sendable () async throws -> KeyRing) async throws {
        self.load = load
        ring = Mutex(try await load())
    }

    /// A source that always holds `ring` (for tests and tools).
    public init(fixed ring: KeyRing) {
        self.ring = Mutex(ring)
        load = { ring }
    }

    public var current: KeyRing { ring.withLock { $0 } }

    /// The current ring's published JWK Set, without a copy of the rest of the ring.
    public var jwksDocument: Data { ring.withLock { $0.jwksDocument } }

    /// Loads the keys again; a change of signing key is recorded in `events`.
    public func reload(events: any SecurityEventSink = DiscardingEventSink()) async throws {
        let fresh = try await load()
        let previous = ring.withLock { ring in
            defer { ring = fresh }
            return ring.signingKey.kid
        }
        if previous != fresh.signingKey.kid {
            await events.record(.signingKeyActivated(kid: fresh.signingKey.kid, algorithm: fresh.signingKey.algorithm.rawValue))
        }
    }
}

/// When a stored key signs and how long it stays published. Among the keys of one algorithm, ordered by activation, a
/// key signs from its activation until the next key's; a key that no longer signs stays published until every token
/// it could have signed has expired.
public enum KeyLifecycle {
    /// Tokens live at most a day (the longest per-client access-token lifetime), plus slack for verifiers' caches.
    public static let retention: Int64 = 86_400 + 900
    /// The default lead between publishing a new key and signing with it: longer than instances take to reload their
    /// keys and resource servers to refresh a cached JWKS.
    public static let defaultActivationDelay: Int64 = 900

    public enum State: Sendable, Equatable {
        /// Published, not signing yet.
        case next(activatesAt: Int64)
        case active
        /// No longer signing; published until then.
        case retiring(publishedUntil: Int64)
        case expired
    }

    public static func states(_ keys: [StoredSigningKey], now: Int64) -> [(key: StoredSigningKey, state: State)] {
        var result: [(key: StoredSigningKey, state: State)] = []
        for alg in Set(keys.map(\.alg)).sorted() {
            // Within one second, the key created later, or scheduled by a rotation, is the newer one.
            let ordered = keys.filter { $0.alg == alg }.sorted {
                ($0.activatesAt ?? $0.createdAt, $0.createdAt, $0.activatesAt == nil ? 0 : 1, $0.kid)
                    < ($1.activatesAt ?? $1.createdAt, $1.createdAt, $1.activatesAt == nil ? 0 : 1, $1.kid)
            }
            for (index, key) in ordered.enumerated() {
                let start = key.activatesAt ?? key.createdAt
                let successor = ordered.dropFirst(index + 1).map { $0.activatesAt ?? $0.createdAt }.first { $0 <= now }
                let end = [successor, key.retiredAt].compactMap { $0 }.min()
                let state: State = if start > now {
                    .next(activatesAt: start)
                } else if let end {
                    end + retention > now ? .retiring(publishedUntil: end + retention) : .expired
                } else {
                    .active
                }
                result.append((key, state))
            }
        }
        return result
    }

    /// A new key of `algorithm`, sealed for storage; it signs from `activatesAt` (at once when nil).
    public static func newKey(_ algorithm: SigningAlgorithm, kek: SymmetricKey, random: any RandomSource, now: Int64,
                              activatesAt: Int64?) throws -> StoredSigningKey {
        let key = try SigningKey.generate(algorithm, kid: random.token(bytes: 12))
        return StoredSigningKey(kid: key.kid, alg: algorithm.rawValue, sealedPrivateKey: try Sealing.seal(key.exportPrivateKey(), key: kek),
                                createdAt: now, activatesAt: activatesAt)
    }

    /// Publishes a new key of `algorithm` now; it starts signing `delay` seconds later, on every instance.
    public static func rotate(store: any KeyStore, algorithm: SigningAlgorithm, secret: ServerSecret, clock: any WallClock,
                              random: any RandomSource, delay: Int64 = defaultActivationDelay,
                              events: any SecurityEventSink = DiscardingEventSink(), actor: String? = nil) async throws
        -> StoredSigningKey {
        let now = clock.now()
        let record = try newKey(algorithm, kek: secret.key(for: .keyEncryption), random: random, now: now, activatesAt: now + delay)
        try await store.insertSigningKey(record)
        await events.record(.signingKeyPublished(kid: record.kid, algorithm: record.alg, activatesAt: now + delay, actor: actor))
        return record
    }
}

/// A JSON Web Key Set.
public struct JWKS: Sendable, Codable, Equatable {
    public var keys: [PublicJWK]
}
