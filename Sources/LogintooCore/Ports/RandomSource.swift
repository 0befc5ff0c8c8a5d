import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The source of every random value the server makes: codes, identifiers, tokens, secrets.
public protocol RandomSource: Sendable {
    /// `count` random bytes.
    func bytes(_ count: Int) -> [UInt8]
}

extension RandomSource {
    /// A uniformly distributed integer in `0..<upperBound`, without modulo bias.
    public func uniform(below upperBound: UInt64) -> UInt64 {
        precondition(upperBound > 0)
        let limit = UInt64.max - (UInt64.max % upperBound)
        while true {
            let value = bytes(8).reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
            if value < limit { return value % upperBound }
        }
    }

    /// A token of `byteCount` random bytes, base64url without padding.
    public func token(bytes byteCount: Int = 32) -> String {
        Base64URL.encode(bytes(byteCount))
    }

    /// A random (version 4) UUID in lower-case text, the form client ids take.
    public func uuid() -> String {
        var raw = bytes(16)
        raw[6] = (raw[6] & 0x0F) | 0x40
        raw[8] = (raw[8] & 0x3F) | 0x80
        let hex = raw.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            hex[hex.index(hex.startIndex, offsetBy: range.lowerBound)..<hex.index(hex.startIndex, offsetBy: range.upperBound)]
        }
        return parts.joined(separator: "-")
    }
}

/// The operating system's CSPRNG: on Linux one `getentropy(3)` call (one `getrandom(2)`) for up to 256 of the bytes
/// asked for, where Swift's system generator makes one for every eight (a sign-in asks some fifteen times);
/// elsewhere, or where that call fails, that generator.
public struct SystemRandom: RandomSource {
    public init() {}
    public func bytes(_ count: Int) -> [UInt8] {
        #if canImport(Glibc)
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var filled = 0
            while filled < count {
                let length = min(count - filled, 256)
                if getentropy(buffer.baseAddress! + filled, length) != 0 {
                    // A kernel or a system-call filter without getrandom: Swift's generator falls back to /dev/urandom
                    // (and stops the server when it cannot).
                    var generator = SystemRandomNumberGenerator()
                    for offset in filled..<(filled + length) { buffer[offset] = generator.next() }
                }
                filled += length
            }
            initialized = count
        }
        #else
        var generator = SystemRandomNumberGenerator()
        var out: [UInt8] = []
        out.reserveCapacity(count + 7)
        while out.count < count {
            withUnsafeBytes(of: generator.next() as UInt64) { out.append(contentsOf: $0) }
        }
        return Array(out.prefix(count))
        #endif
    }
}

/// A deterministic generator (SplitMix64) so that tests can predict every code and identifier.
public final class SeededRandom: RandomSource {
    private let state: Mutex<UInt64>

    public init(seed: UInt64) { state = Mutex(seed) }

    public func bytes(_ count: Int) -> [UInt8] {
        state.withLock { state in
            var out: [UInt8] = []
            out.reserveCapacity(count)
            while out.count < count {
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                for shift in stride(from: 56, through: 0, by: -8) where out.count < count {
                    out.append(UInt8(truncatingIfNeeded: z >> UInt64(shift)))
                }
            }
            return out
        }
    }
}
