/// A passkey (a WebAuthn discoverable credential) registered to an account. The public key is kept as the COSE bytes
/// the authenticator sent; nothing here is secret.
public struct Passkey: Sendable, Codable, Equatable {
    /// The credential id, base64url.
    public var credentialId: String
    public var accountId: String
    /// The COSE public key, base64url.
    public var publicKey: String
    /// The COSE algorithm number (-7 ES256, -8 EdDSA, -257 RS256).
    public var algorithm: Int
    /// The authenticator's signature counter at the last use (0 for authenticators that keep none).
    public var signCount: Int64
    /// The person's name for it, shown on the account page.
    public var name: String
    public var createdAt: Int64
    public var lastUsedAt: Int64?
    /// Whether the authenticator said the credential is backed up (synced).
    public var backedUp: Bool

    public init(credentialId: String, accountId: String, publicKey: String, algorithm: Int, signCount: Int64, name: String,
                createdAt: Int64, lastUsedAt: Int64? = nil, backedUp: Bool) {
        self.credentialId = credentialId
        self.accountId = accountId
        self.publicKey = publicKey
        self.algorithm = algorithm
        self.signCount = signCount
        self.name = name
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.backedUp = backedUp
    }
}
