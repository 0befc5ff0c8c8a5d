/// One WebAuthn ceremony in progress: a single-use challenge, kept as its digest, bound to the browser that asked and to
/// what it may do: add a passkey to `accountId`, or complete sign-in `loginId`.
public struct PasskeyCeremony: Sendable, Codable, Equatable {
    public enum Purpose: String, Sendable, Codable { case registration, authentication }

    public var id: String
    public var challengeHash: String
    public var purpose: Purpose
    /// The digest of the browser-binding cookie (authentication) or of the session cookie (registration).
    public var browserHash: String
    public var accountId: String?
    public var loginId: String?
    public var userVerificationRequired: Bool
    public var createdAt: Int64
    public var expiresAt: Int64

    public init(id: String, challengeHash: String, purpose: Purpose, browserHash: String, accountId: String?, loginId: String?,
                userVerificationRequired: Bool, createdAt: Int64, expiresAt: Int64) {
        self.id = id
        self.challengeHash = challengeHash
        self.purpose = purpose
        self.browserHash = browserHash
        self.accountId = accountId
        self.loginId = loginId
        self.userVerificationRequired = userVerificationRequired
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
