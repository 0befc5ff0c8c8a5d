/// A signed-in browser at this server (single sign-on). Stored under the digest of the cookie value.
public struct Session: Sendable, Codable, Equatable {
    public var idHash: String
    public var accountId: String
    public var authTime: Int64
    public var createdAt: Int64
    public var lastSeenAt: Int64
    public var expiresAt: Int64
    public var endedAt: Int64?
    /// How the person proved who they are (`SignInMethod`): `amr` values space-separated, and `acr`; `nil` amr reads as
    /// an emailed code (rows from before methods were recorded).
    public var amr: String?
    public var acr: String?
    /// The passkey the person signed in with, whose removal ends the session (written from the sign-in's proof).
    public var passkeyId: String?
    /// Where the session was made (`SessionOrigin`): `nil` when unknown, as for sessions made before it was recorded.
    public var browser: String?
    public var network: String?

    public init(idHash: String, accountId: String, authTime: Int64, createdAt: Int64, lastSeenAt: Int64,
                expiresAt: Int64, endedAt: Int64? = nil, method: SignInMethod = .emailCode, origin: SessionOrigin = .unknown) {
        (self.browser, self.network) = (origin.browser, origin.network)
        self.amr = method.storedAMR
        self.acr = method.acr
        self.idHash = idHash
        self.accountId = accountId
        self.authTime = authTime
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.endedAt = endedAt
    }
}
