/// An access token on the deny list: revoked by its client before it expired. Userinfo and introspection refuse it
/// until then.
public struct AccessTokenRecord: Sendable, Codable, Equatable {
    public var jti: String
    public var grantId: String
    public var clientId: String
    public var expiresAt: Int64
    public var revokedAt: Int64?

    public init(jti: String, grantId: String, clientId: String, expiresAt: Int64, revokedAt: Int64? = nil) {
        self.jti = jti
        self.grantId = grantId
        self.clientId = clientId
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}
