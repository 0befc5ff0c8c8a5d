/// An issued authorization code and everything it is bound to. Stored under the digest of the code.
public struct AuthorizationCode: Sendable, Codable, Equatable {
    public var codeHash: String
    public var clientId: String
    public var redirectUri: String
    public var codeChallenge: String?
    public var nonce: String?
    public var scope: String
    public var accountId: String
    public var sessionHash: String?
    public var authTime: Int64
    public var createdAt: Int64
    public var expiresAt: Int64
    public var consumedAt: Int64?
    /// The grant the code was exchanged for, so that a replay can revoke it.
    public var grantId: String?
    /// Echoed by the Logintoo JSON API's token answer.
    public var state: String?
    /// The language and locale the sign-in asked for, carried to the grant (the Logintoo JSON API's claims and answer).
    public var language: String?
    public var locale: String?
    /// The API the authorization request named, if any (RFC 8707); the token request may then name no other.
    public var resource: String?
    /// How the person proved who they are (`SignInMethod`): `amr` values space-separated, and `acr`; `nil` amr reads as
    /// an emailed code (rows from before methods were recorded).
    public var amr: String?
    public var acr: String?
    /// The thumbprint of the DPoP key the code must be exchanged with (`dpop_jkt`, RFC 9449 §10).
    public var dpopJkt: String?

    public init(codeHash: String, clientId: String, redirectUri: String, codeChallenge: String?, nonce: String?,
                scope: String, accountId: String, sessionHash: String?, authTime: Int64, createdAt: Int64,
                expiresAt: Int64, consumedAt: Int64? = nil, grantId: String? = nil, state: String? = nil,
                language: String? = nil, locale: String? = nil, resource: String? = nil, amr: String? = nil,
                acr: String? = nil, dpopJkt: String? = nil) {
        self.dpopJkt = dpopJkt
        self.amr = amr
        self.acr = acr
        self.codeHash = codeHash
        self.clientId = clientId
        self.redirectUri = redirectUri
        self.codeChallenge = codeChallenge
        self.nonce = nonce
        self.scope = scope
        self.accountId = accountId
        self.sessionHash = sessionHash
        self.authTime = authTime
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.consumedAt = consumedAt
        self.grantId = grantId
        self.state = state
        self.language = language
        self.locale = locale
        self.resource = resource
    }
}
