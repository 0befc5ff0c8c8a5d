/// The queue of outgoing deliveries (`Delivery`). Rows are added by the store methods that end sessions, in their own
/// transaction, so a delivery is never lost to a crash between the change and its notice.
public protocol DeliveryStore: Sendable {
    /// Claims up to `limit` due deliveries for `lease` seconds (counting the attempt), so no other instance's worker
    /// tries them meanwhile; abandons those past their expiry first. Logout notices come first, and a few per receiver
    /// at most, so that one slow receiver or a burst of events does not hold the rest back.
    func claimDueDeliveries(now: Int64, limit: Int, lease: Int64) async throws -> [Delivery]
    func markDelivered(id: String, now: Int64) async throws
    /// Failed: tried again at `retryAt`, or abandoned when `retryAt` is nil.
    func markDeliveryFailed(id: String, error: String, retryAt: Int64?, now: Int64) async throws
    /// The newest deliveries, newest first, at most `limit`; `body` left empty.
    func recentDeliveries(limit: Int) async throws -> [Delivery]
}
