/// A counter that allows at most `limit` events per `window` seconds, and none sooner than `interval` after the last.
public struct RateLimit: Sendable, Equatable {
    public var key: String
    public var limit: Int
    public var window: Int64
    public var interval: Int64

    public init(key: String, limit: Int, window: Int64, interval: Int64 = 0) {
        self.key = key
        self.limit = limit
        self.window = window
        self.interval = interval
    }
}
