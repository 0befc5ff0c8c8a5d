/// A browser that signed in to an account, remembered by the digest of its long-lived cookie (docs/security.md: known
/// browsers keep their own codes and budgets).
public struct KnownBrowser: Sendable, Codable, Equatable {
    public var tokenHash: String
    public var accountId: String
    public var createdAt: Int64
    public var expiresAt: Int64

    public init(tokenHash: String, accountId: String, createdAt: Int64, expiresAt: Int64) {
        (self.tokenHash, self.accountId, self.createdAt, self.expiresAt) = (tokenHash, accountId, createdAt, expiresAt)
    }
}
