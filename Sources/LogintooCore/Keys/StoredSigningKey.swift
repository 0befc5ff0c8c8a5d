/// A signing key as persisted: the private key sealed with the key-encryption key.
public struct StoredSigningKey: Sendable, Codable, Equatable {
    public var kid: String
    public var alg: String
    public var sealedPrivateKey: String
    public var createdAt: Int64
    public var retiredAt: Int64?
    /// When it starts signing; `nil`: from its creation.
    public var activatesAt: Int64?

    public init(kid: String, alg: String, sealedPrivateKey: String, createdAt: Int64, retiredAt: Int64? = nil,
                activatesAt: Int64? = nil) {
        self.kid = kid
        self.alg = alg
        self.sealedPrivateKey = sealedPrivateKey
        self.createdAt = createdAt
        self.retiredAt = retiredAt
        self.activatesAt = activatesAt
    }
}
