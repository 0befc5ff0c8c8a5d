import Crypto
import Foundation

/// Server-provided DPoP nonces (RFC 9449 §8): an HMAC of the current five-minute period under a key derived from the
/// server secret, so every instance sharing the secret issues and accepts the same nonces without storing any. A nonce
/// is accepted during its period and the next, so one handed out just before a period ends still works.
public struct DPoPNonces: Sendable {
    let key: SymmetricKey
    let clock: any WallClock
    public static let period: Int64 = 300

    public init(secret: ServerSecret, clock: any WallClock) {
        key = secret.key(for: .dpopNonce)
        self.clock = clock
    }

    /// The nonce to hand out now.
    public func current() -> String { nonce(period: clock.now() / Self.period) }

    /// Whether `nonce` is this period's or the last one's.
    public func isCurrent(_ nonce: String) -> Bool {
        let now = clock.now() / Self.period
        return [now, now - 1].contains { SecretDigest.constantTimeEquals(self.nonce(period: $0), nonce) }
    }

    func nonce(period: Int64) -> String {
        Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Data("dpop-nonce\n\(period)".utf8), using: key).prefix(18))
    }
}
