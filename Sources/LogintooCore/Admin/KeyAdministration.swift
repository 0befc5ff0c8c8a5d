/// The signing keys as an operator sees and rotates them from the admin API, as `logintoo key list` and `key rotate` do.
public struct KeyAdministration: Sendable {
    let store: any KeyStore
    let algorithm: SigningAlgorithm
    let secret: ServerSecret
    let clock: any WallClock
    let random: any RandomSource
    let keys: KeyRingSource
    let events: any SecurityEventSink

    /// Rotation publishes keys of `algorithm` (the one this server signs with), sealed with `secret`'s key-encryption key.
    public init(store: any KeyStore, algorithm: SigningAlgorithm, secret: ServerSecret, clock: any WallClock,
                random: any RandomSource, keys: KeyRingSource, events: any SecurityEventSink) {
        (self.store, self.algorithm, self.secret, self.clock, self.random) = (store, algorithm, secret, clock, random)
        (self.keys, self.events) = (keys, events)
    }

    /// The longest wait before a rotated-in key signs, as `logintoo key rotate --activate-in` allows.
    public static let activationDelays: ClosedRange<Int64> = 0...86_400

    /// One stored key: never its private part.
    public struct Entry: Sendable, Equatable {
        public let kid: String
        public let algorithm: String
        public let state: KeyLifecycle.State
        public let createdAt: Int64
        /// When it signs (or signed) from.
        public let activatesAt: Int64
    }

    /// Every stored key and its state now, by algorithm and activation.
    public func list() async throws -> [Entry] {
        KeyLifecycle.states(try await store.signingKeys(), now: clock.now()).map { key, state in
            Entry(kid: key.kid, algorithm: key.alg, state: state, createdAt: key.createdAt, activatesAt: key.activatesAt ?? key.createdAt)
        }
    }

    /// Publishes a new key now (recorded as `key_published`); it signs `delay` seconds later, on every instance. This
    /// instance publishes it in its JWKS at once; the others within their reload interval.
    public func rotate(activatingIn delay: Int64 = KeyLifecycle.defaultActivationDelay, actor: String) async throws -> Entry {
        let record = try await KeyLifecycle.rotate(store: store, algorithm: algorithm, secret: secret, clock: clock, random: random,
                                                   delay: delay, events: events, actor: actor)
        try await keys.reload(events: events)
        let now = clock.now()
        let activatesAt = record.activatesAt ?? record.createdAt
        return Entry(kid: record.kid, algorithm: record.alg, state: activatesAt > now ? .next(activatesAt: activatesAt) : .active,
                     createdAt: record.createdAt, activatesAt: activatesAt)
    }
}
