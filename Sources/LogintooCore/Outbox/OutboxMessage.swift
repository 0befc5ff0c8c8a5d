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

    public init(id: String, recipient: String, sealedContent: String, createdAt: Int64, expiresAt: Int64,
                attempts: Int = 0, nextAttemptAt: Int64) {
        self.id = id
        self.recipient = recipient
        self.sealedContent = sealedContent
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
    }
}
