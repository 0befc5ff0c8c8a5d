/// An email not (yet) delivered, as an operator sees it: never its content.
public struct UndeliveredMessage: Sendable, Codable, Equatable {
    public var id: String
    public var recipient: String
    public var createdAt: Int64
    public var expiresAt: Int64
    public var attempts: Int
    public var nextAttemptAt: Int64
    public var abandonedAt: Int64?
    public var lastError: String?

    public init(id: String, recipient: String, createdAt: Int64, expiresAt: Int64, attempts: Int, nextAttemptAt: Int64,
                abandonedAt: Int64? = nil, lastError: String? = nil) {
        (self.id, self.recipient, self.createdAt, self.expiresAt) = (id, recipient, createdAt, expiresAt)
        (self.attempts, self.nextAttemptAt, self.abandonedAt, self.lastError) = (attempts, nextAttemptAt, abandonedAt, lastError)
    }

    /// `queued` (never tried), `failed` (tried, to be retried) or `abandoned` (given up, content erased).
    public var state: String {
        if abandonedAt != nil { return "abandoned" }
        return attempts == 0 ? "queued" : "failed"
    }

    /// Which undelivered messages an operator asks for.
    public enum Selection: String, Sendable, CaseIterable {
        /// Waiting to be sent or retried.
        case pending
        /// A delivery failed: waiting for a retry, or abandoned.
        case failed
        /// Every message not sent.
        case all
    }
}

/// Whether an operator's "retry" makes a message due now. Only a message still waiting has content to send: a sent
/// one is done, and an abandoned one's sealed content is erased (docs/security.md), so a new code must be asked for.
public enum OutboxRetry: Sendable, Equatable {
    case retried
    case alreadySent
    case abandoned
    case unknown

    /// The facts of the message, read in the transaction that applies the decision.
    public struct Facts: Sendable, Equatable {
        public var sentAt: Int64?
        public var abandonedAt: Int64?
        public var expiresAt: Int64

        public init(sentAt: Int64?, abandonedAt: Int64?, expiresAt: Int64) {
            (self.sentAt, self.abandonedAt, self.expiresAt) = (sentAt, abandonedAt, expiresAt)
        }
    }

    /// `.retried` for a message still waiting whose code has not expired; an expired one counts as abandoned (the
    /// worker abandons it at its next claim).
    public static func decide(_ facts: Facts, now: Int64) -> OutboxRetry {
        if facts.sentAt != nil { return .alreadySent }
        if facts.abandonedAt != nil || facts.expiresAt <= now { return .abandoned }
        return .retried
    }
}
