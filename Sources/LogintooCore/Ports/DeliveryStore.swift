/// The queue of outgoing deliveries (`Delivery`). Rows are added by the store methods that end sessions, in their own
/// transaction, so a delivery is never lost to a crash between the change and its notice.
public protocol DeliveryStore: Sendable {
    /// Claims up to `limit` due deliveries for `lease` seconds (counting the attempt), so no other instance's worker
    /// tries them meanwhile; abandons those past their expiry first. Logout notices come first, and no receiver gets
    /// more than `DeliveryClaim.perTarget` less what is `underway` to it (attempts of this worker, by target), so one
    /// slow receiver or a burst of events does not hold the rest back.
    func claimDueDeliveries(now: Int64, limit: Int, lease: Int64, underway: [String: Int]) async throws -> [Delivery]
    func markDelivered(id: String, now: Int64) async throws
    /// Failed: tried again at `retryAt`, or abandoned when `retryAt` is nil.
    func markDeliveryFailed(id: String, error: String, retryAt: Int64?, now: Int64) async throws
    /// The newest deliveries, newest first, at most `limit`; `body` left empty.
    func recentDeliveries(limit: Int) async throws -> [Delivery]
}

extension DeliveryStore {
    /// A claim by a worker with nothing under way.
    public func claimDueDeliveries(now: Int64, limit: Int, lease: Int64) async throws -> [Delivery] {
        try await claimDueDeliveries(now: now, limit: limit, lease: lease, underway: [:])
    }
}

/// The bounds of a claim.
public enum DeliveryClaim {
    /// Attempts to one receiver under way at once, on one instance.
    public static let perTarget = 4
    /// How many due rows of each kind a claim looks at: the oldest, however long the backlog.
    public static let candidates = 500
}
