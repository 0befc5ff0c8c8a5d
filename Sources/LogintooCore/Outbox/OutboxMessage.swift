/// An email waiting in the outbox. The body is sealed with a server key, and cleared once delivered or abandoned.
public struct OutboxMessage: Sendable, Codable, Equatable {
    public var id: String
    public var recipient: String
    public var sealedContent: String
    public var createdAt: Int64
    /// After this, delivery is pointless (the code has expired) and the message is abandoned.
    public var expiresAt: Int64
    public var attempts: Int
    public var nextAttemptAt: Int64
    /// The trace context of the operation that queued it, as the store keeps it (opaque here), so that the delivery
    /// continues that trace; nil when nothing was traced.
    public var traceContext: String?

    public init(id: String, recipient: String, sealedContent: String, createdAt: Int64, expiresAt: Int64,
                attempts: Int = 0, nextAttemptAt: Int64, traceContext: String? = nil) {
        self.traceContext = traceContext
        self.id = id
        self.recipient = recipient
        self.sealedContent = sealedContent
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
    }
}
