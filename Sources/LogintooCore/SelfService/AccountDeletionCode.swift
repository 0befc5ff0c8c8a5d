/// The emailed code that confirms "delete my account", bound to the session that asked: only the browser that asked
/// can use it, and it goes with that session (ended, expired or erased). Kept as the sign-in codes are, as an HMAC
/// salted with `id`.
public struct AccountDeletionCode: Sendable, Codable, Equatable {
    /// The digest of the asking session's cookie.
    public var sessionHash: String
    /// Also the id of the email that carries it.
    public var id: String
    public var codeHash: String
    /// Wrong and right entries so far.
    public var attempts: Int
    public var sentAt: Int64
    public var expiresAt: Int64

    public init(sessionHash: String, id: String, codeHash: String, attempts: Int = 0, sentAt: Int64, expiresAt: Int64) {
        (self.sessionHash, self.id, self.codeHash, self.attempts, self.sentAt, self.expiresAt) =
            (sessionHash, id, codeHash, attempts, sentAt, expiresAt)
    }
}
