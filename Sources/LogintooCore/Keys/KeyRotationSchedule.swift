/// Rotation on a schedule: each signing key signs for `period` seconds, then its successor takes over. The successor
/// is published `KeyLifecycle.defaultActivationDelay` seconds before it signs, as with `logintoo key rotate`.
public struct KeyRotationSchedule: Sendable, Equatable {
    /// How long a key signs before the next one takes over.
    public let period: Int64

    /// - Parameter days: at least 1, so that the lead before activation fits in the period.
    public init(days: Int) {
        precondition(days >= 1, "a key signs for at least a day")
        period = Int64(days) * 86_400
    }

    /// Whether the successor of `algorithm`'s signing key is to be published now; never while one is already waiting.
    public func isDue(_ keys: [StoredSigningKey], algorithm: SigningAlgorithm, now: Int64) -> Bool {
        let states = KeyLifecycle.states(keys, now: now).filter { $0.key.alg == algorithm.rawValue }
        let waiting = states.contains { if case .next = $0.state { true } else { false } }
        guard !waiting, let active = states.first(where: { $0.state == .active })?.key else { return false }
        return (active.activatesAt ?? active.createdAt) + period - KeyLifecycle.defaultActivationDelay <= now
    }

    /// Publishes the successor when it is due, and returns it. Callers on several instances serialize this (one lock),
    /// so that exactly one of them publishes it.
    public func rotateIfDue(store: any KeyStore, algorithm: SigningAlgorithm, secret: ServerSecret, clock: any WallClock,
                            random: any RandomSource, events: any SecurityEventSink = DiscardingEventSink())
        async throws -> StoredSigningKey? {
        guard isDue(try await store.signingKeys(), algorithm: algorithm, now: clock.now()) else { return nil }
        return try await KeyLifecycle.rotate(store: store, algorithm: algorithm, secret: secret, clock: clock, random: random,
                                             events: events)
    }
}
