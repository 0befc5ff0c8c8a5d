/// An RFC 9068 access token's claims.
public struct AccessTokenClaims: Sendable, Codable, Equatable {
    public var iss: String
    public var sub: String
    public var aud: String
    public var client_id: String
    public var scope: String
    public var iat: Int64
    public var exp: Int64
    public var jti: String
    public var auth_time: Int64?
    public var email: String?
    public var email_verified: Bool?
}

/// An OpenID Connect ID token's claims.
public struct IDTokenClaims: Sendable, Codable, Equatable {
    public var iss: String
    public var sub: String
    public var aud: String
    public var exp: Int64
    public var iat: Int64
    public var auth_time: Int64
    public var nonce: String?
    public var amr: [String]
    public var at_hash: String
    public var azp: String
    public var email: String?
    public var email_verified: Bool?
}

/// The token endpoint's successful answer (RFC 6749 §5.1).
public struct TokenResponse: Sendable, Codable, Equatable {
    public var access_token: String
    public var token_type = "Bearer"
    public var expires_in: Int64
    public var scope: String
    public var id_token: String?
    public var refresh_token: String?
}

/// RFC 7662's answer; an inactive token yields only `active: false`.
public struct IntrospectionResponse: Sendable, Codable, Equatable {
    public var active: Bool
    public var scope: String?
    public var client_id: String?
    public var sub: String?
    public var exp: Int64?
    public var iat: Int64?
    public var iss: String?
    public var aud: String?
    public var jti: String?
    public var token_type: String?

    public static let inactive = IntrospectionResponse(active: false)
}

/// The claims `/userinfo` returns.
public struct UserInfo: Sendable, Codable, Equatable {
    public var sub: String
    public var email: String?
    public var email_verified: Bool?
}
