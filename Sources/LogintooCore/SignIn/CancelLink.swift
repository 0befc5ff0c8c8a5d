/// The "this wasn't me" link of one sign-in email: its token's digest and the address it protects.
public struct CancelLink: Sendable, Equatable {
    public var tokenHash: String
    public var email: String
    /// The mailbox the pause and the ended sign-ins key on (`Mailbox.canonical(email)`).
    public var mailbox: String
    public var expiresAt: Int64

    public init(tokenHash: String, email: String, mailbox: String? = nil, expiresAt: Int64) {
        (self.tokenHash, self.email, self.mailbox, self.expiresAt) = (tokenHash, email, mailbox ?? Mailbox.canonical(email), expiresAt)
    }
}
