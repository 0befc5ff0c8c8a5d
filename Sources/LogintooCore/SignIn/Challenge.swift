/// A one-time code sent to an address for one login transaction. Only its HMAC is stored.
public struct Challenge: Sendable, Codable, Equatable {
    public var id: String
    public var loginId: String
    public var email: String
    public var codeHash: String
    public var createdAt: Int64
    public var expiresAt: Int64
    public var attempts: Int
    public var consumedAt: Int64?
    /// The digest of the magic link's token, while the link can be used.
    public var linkHash: String?
    /// When the magic link was confirmed on another device, for the waiting browser to finish the sign-in.
    public var approvedAt: Int64?
    /// The mailbox the one-live-code rule keys on (`Mailbox.canonical(email)`); mail goes to `email`.
    public var mailbox: String
    /// The lane of the browser that asked (`CodeLane.stored`): one live code per mailbox per lane.
    public var lane: String

    /// The lane of the browser that asked, whose budgets its attempts count against.
    public var codeLane: CodeLane { CodeLane(stored: lane) }

    public init(id: String, loginId: String, email: String, codeHash: String, createdAt: Int64, expiresAt: Int64,
                attempts: Int = 0, consumedAt: Int64? = nil, linkHash: String? = nil, approvedAt: Int64? = nil,
                mailbox: String? = nil, lane: CodeLane = .unknownBrowsers) {
        self.mailbox = mailbox ?? Mailbox.canonical(email)
        self.lane = lane.stored
        self.linkHash = linkHash
        self.approvedAt = approvedAt
        self.id = id
        self.loginId = loginId
        self.email = email
        self.codeHash = codeHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.attempts = attempts
        self.consumedAt = consumedAt
    }
}
