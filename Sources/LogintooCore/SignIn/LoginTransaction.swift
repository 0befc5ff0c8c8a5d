/// A sign-in in progress: the validated authorization request, waiting for the person to prove their email.
/// Bound to the browser that started it through `browserHash`, the digest of a cookie set on that browser.
public struct LoginTransaction: Sendable, Codable, Equatable {
    public var id: String
    public var browserHash: String
    public var request: AuthorizationRequest
    public var email: String?
    public var createdAt: Int64
    public var expiresAt: Int64

    public init(id: String, browserHash: String, request: AuthorizationRequest, email: String? = nil,
                createdAt: Int64, expiresAt: Int64) {
        self.id = id
        self.browserHash = browserHash
        self.request = request
        self.email = email
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}
