import Crypto
import Foundation
import Synchronization

/// Server-provided DPoP nonces (RFC 9449 §8): an HMAC of the current five-minute period under a key derived from the
/// server secret, so every instance sharing the secret issues and accepts the same nonces without storing any. A nonce
/// is accepted during its period and the next, so one handed out just before a period ends still works.
public struct DPoPNonces: Sendable {
    let key: SymmetricKey
    let clock: any WallClock
    /// The nonces of the period last asked about and the one before, computed when the period changes instead of at
    /// every answer of the token endpoint (each of which carries the current nonce when nonces are required).
    let computed = ComputedNonces()
    public static let period: Int64 = 300

    public init(secret: ServerSecret, clock: any WallClock) {
        key = secret.key(for: .dpopNonce)
        self.clock = clock
    }

    /// The nonce to hand out now.
    public func current() -> String { nonces().current }

    /// Whether `nonce` is this period's or the last one's.
    public func isCurrent(_ nonce: String) -> Bool {
        let nonces = nonces()
        return [nonces.current, nonces.previous].contains { SecretDigest.constantTimeEquals($0, nonce) }
    }

    func nonces() -> (current: String, previous: String) {
        computed.nonces(at: clock.now() / Self.period) { nonce(period: $0) }
    }

    func nonce(period: Int64) -> String {
        Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Data("dpop-nonce\n\(period)".utf8), using: key).prefix(18))
    }
}

/// The two nonces `DPoPNonces` accepts, kept for the period they were computed for. A clock that steps to any other
/// period, forward or back, computes them again.
final class ComputedNonces: Sendable {
    private let kept = Mutex<(period: Int64, current: String, previous: String)?>(nil)

    func nonces(at period: Int64, computing nonce: (Int64) -> String) -> (current: String, previous: String) {
        if let kept = kept.withLock({ $0 }), kept.period == period { return (kept.current, kept.previous) }
        let fresh = (period: period, current: nonce(period), previous: nonce(period - 1))
        kept.withLock { $0 = fresh }
        return (fresh.current, fresh.previous)
    }
}
