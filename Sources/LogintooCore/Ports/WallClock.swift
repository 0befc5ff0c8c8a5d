import Synchronization

/// The source of the current time, in whole Unix seconds, so that every expiry is exact in tests.
public protocol WallClock: Sendable {
    func now() -> Int64
}

/// The machine's clock.
public struct SystemWallClock: WallClock {
    public init() {}
    public func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec)
    }
}

/// A clock that moves only when told to; for tests and simulations.
public final class ManualClock: WallClock {
    private let current: Mutex<Int64>

    public init(_ start: Int64 = 1_800_000_000) { current = Mutex(start) }

    public func now() -> Int64 { current.withLock { $0 } }

    public func advance(by seconds: Int64) { current.withLock { $0 += seconds } }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
