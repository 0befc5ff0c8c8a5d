/// A message's delivery state, for `logintoo mail status`: never its content.
public struct OutboxStatus: Sendable, Codable, Equatable {
    public var id: String
    public var recipient: String
    public var createdAt: Int64
    public var attempts: Int
    public var sentAt: Int64?
    public var abandonedAt: Int64?
    public var lastError: String?
    public var provider: String?

    /// `queued` (never tried), `failed` (tried, to be retried), `sent` or `abandoned`.
    public var state: String {
        if sentAt != nil { return "sent" }
        if abandonedAt != nil { return "abandoned" }
        return attempts == 0 ? "queued" : "failed"
    }
}
