/// One refresh token of a family, stored under its digest. `parentHash` links a rotated token to the one it replaced.
public struct RefreshToken: Sendable, Codable, Equatable {
    public var tokenHash: String
    public var grantId: String
    public var parentHash: String?
    public var createdAt: Int64
    public var expiresAt: Int64
    public var retiredAt: Int64?

    public init(tokenHash: String, grantId: String, parentHash: String?, createdAt: Int64, expiresAt: Int64,
                retiredAt: Int64? = nil) {
        self.tokenHash = tokenHash
        self.grantId = grantId
        self.parentHash = parentHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.retiredAt = retiredAt
    }
}
