/// One message to POST to a URL outside the server, queued durably and delivered by a worker with retries: a
/// back-channel logout notice (`BackchannelLogout`) or a security event's webhook (`Webhooks`). `body` holds the facts
/// the message is made from at each attempt, never a credential: a signed message is made fresh for every try, so a
/// retry hours later is not refused as expired.
public struct Delivery: Sendable, Codable, Equatable {
    public var id: String
    /// What the body means and how the worker makes the request from it (`BackchannelLogout.kind`, `Webhooks.kind`).
    public var kind: String
    /// The URL the delivery is POSTed to.
    public var target: String
    public var body: String
    public var createdAt: Int64
    /// No attempt is made from this time on: the delivery is abandoned.
    public var expiresAt: Int64
    public var attempts: Int
    public var nextAttemptAt: Int64
    public var deliveredAt: Int64?
    public var abandonedAt: Int64?
    public var lastError: String?
    /// The trace context of the operation that queued it (as `OutboxMessage.traceContext`), so that its attempts, on
    /// whichever instance makes them, continue that trace.
    public var traceContext: String?
    /// Whom a webhook's payload names (the account id, or the address when the event has no account), so that erasing
    /// the account drops it while it waits; `nil` for logout notices, which name only the account's opaque id.
    public var subject: String?

    public init(id: String, kind: String, target: String, body: String, createdAt: Int64, expiresAt: Int64,
                attempts: Int = 0, nextAttemptAt: Int64, deliveredAt: Int64? = nil, abandonedAt: Int64? = nil,
                lastError: String? = nil, traceContext: String? = nil, subject: String? = nil) {
        (self.id, self.kind, self.target, self.body) = (id, kind, target, body)
        (self.createdAt, self.expiresAt, self.attempts, self.nextAttemptAt) = (createdAt, expiresAt, attempts, nextAttemptAt)
        (self.deliveredAt, self.abandonedAt, self.lastError, self.traceContext) = (deliveredAt, abandonedAt, lastError, traceContext)
        self.subject = subject
    }

    /// `delivered`, `abandoned`, or `pending` (waiting for its next attempt).
    public var state: String {
        deliveredAt != nil ? "delivered" : abandonedAt != nil ? "abandoned" : "pending"
    }
}

/// When a failed delivery is tried again: 5 seconds after the first failure, doubling to at most an hour, with up to a
/// tenth of the wait as jitter so instances and receivers do not beat in step; never once the delivery has expired.
public enum DeliveryRetry {
    /// How long a delivery is tried: a receiver down for most of a day still gets it.
    public static let lifetime: Int64 = 86_400

    /// The time of the next attempt after `attempts` failed ones, or `nil` to abandon it; `jitter` is in 0..<1.
    public static func next(after attempts: Int, now: Int64, expiresAt: Int64, firstWait: Int64 = 5, jitter: Double) -> Int64? {
        let wait = min(firstWait << Int64(min(max(attempts - 1, 0), 20)), 3600)
        let at = now + wait + Int64(Double(wait) * 0.1 * jitter)
        return at < expiresAt ? at : nil
    }
}
