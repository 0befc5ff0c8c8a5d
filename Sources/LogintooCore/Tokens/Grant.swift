/// What one code exchange granted a client: the root of a refresh-token family and of its access tokens.
public struct Grant: Sendable, Codable, Equatable {
    public var id: String
    public var clientId: String
    public var accountId: String
    public var sessionHash: String?
    public var scope: String
    public var authTime: Int64
    public var createdAt: Int64
    /// The absolute end of the refresh family; no rotated token outlives it.
    public var expiresAt: Int64
    public var revokedAt: Int64?
    /// Which claims its access tokens carry.
    public var profile: TokenProfile
    /// The language and locale of the sign-in, for the `.logintoo` profile's claims and the Logintoo JSON API's answer.
    public var language: String?
    public var locale: String?
    /// The API its access tokens are for (RFC 8707); their `aud`.
    public var resource: String?
    /// How the person proved who they are (`SignInMethod`): `amr` values space-separated, and `acr`; `nil` amr reads as
    /// an emailed code (rows from before methods were recorded).
    public var amr: String?
    public var acr: String?
    /// The thumbprint of the DPoP key a public client's refresh tokens are bound to (RFC 9449 §5): every refresh must
    /// come with a proof signed by it.
    public var dpopJkt: String?

    public init(id: String, clientId: String, accountId: String, sessionHash: String?, scope: String, authTime: Int64,
                createdAt: Int64, expiresAt: Int64, revokedAt: Int64? = nil, profile: TokenProfile = .oauth,
                language: String? = nil, locale: String? = nil, resource: String? = nil, amr: String? = nil,
                acr: String? = nil, dpopJkt: String? = nil) {
        self.dpopJkt = dpopJkt
        self.amr = amr
        self.acr = acr
        self.id = id
        self.clientId = clientId
        self.accountId = accountId
        self.sessionHash = sessionHash
        self.scope = scope
        self.authTime = authTime
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.profile = profile
        self.language = language
        self.locale = locale
        self.resource = resource
    }
}
