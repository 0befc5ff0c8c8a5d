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
    public var email_normalized: String?
    public var hd: String?
    public var language: String?
    public var locale: String?
    /// RFC 9449 §6.1: the DPoP key the token is bound to.
    public var cnf: Confirmation?
}

/// A token's confirmation claim (RFC 7800): here the thumbprint of a DPoP key (RFC 9449 §6.1).
public struct Confirmation: Sendable, Codable, Equatable {
    public var jkt: String
    public init(jkt: String) { self.jkt = jkt }
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
    /// `phr` after a passkey sign-in; absent after an emailed code.
    public var acr: String?
    public var at_hash: String
    public var azp: String
    public var email: String?
    public var email_verified: Bool?
    /// The session the sign-in made (`SessionIdentifier`), which logout tokens name again; absent without one.
    public var sid: String?
}

/// The token endpoint's successful answer (RFC 6749 §5.1).
public struct TokenResponse: Sendable, Codable, Equatable {
    public var access_token: String
    public var token_type = "Bearer"
    public var expires_in: Int64
    public var scope: String
    public var id_token: String?
    public var refresh_token: String?

    /// `DPoP` for a token bound to a proof's key, else `Bearer`.
    public static func type(proofKey: String?) -> String { proofKey == nil ? "Bearer" : "DPoP" }
}

/// What a grant issued, with the details the Logintoo JSON API answers beyond RFC 6749.
public struct IssuedTokens: Sendable, Equatable {
    public var response: TokenResponse
    public var accessExpiresAt: Int64
    public var refreshExpiresAt: Int64?
    /// The person's grant the tokens belong to; `nil` for a client's own token (`client_credentials`).
    public var grant: Grant?
    /// The authorization request's `state`, for a code exchange.
    public var state: String?
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
    /// The DPoP key a bound access token needs (RFC 9449 §6.2).
    public var cnf: Confirmation?

    public static let inactive = IntrospectionResponse(active: false)
}

/// The claims `/userinfo` returns.
public struct UserInfo: Sendable, Codable, Equatable {
    public var sub: String
    public var email: String?
    public var email_verified: Bool?
}

// Fields in sorted order: the same bytes as `JSONText`'s encoder, which sorts keys.

extension AccessTokenClaims: JSONObjectWritable {
    public func write(to json: inout JSONObjectWriter) {
        json.field("aud", aud)
        json.field("auth_time", auth_time)
        json.field("client_id", client_id)
        json.field("cnf", cnf)
        json.field("email", email)
        json.field("email_normalized", email_normalized)
        json.field("email_verified", email_verified)
        json.field("exp", exp)
        json.field("hd", hd)
        json.field("iat", iat)
        json.field("iss", iss)
        json.field("jti", jti)
        json.field("language", language)
        json.field("locale", locale)
        json.field("scope", scope)
        json.field("sub", sub)
    }
}

extension Confirmation: JSONObjectWritable {
    public func write(to json: inout JSONObjectWriter) {
        json.field("jkt", jkt)
    }
}

extension IDTokenClaims: JSONObjectWritable {
    public func write(to json: inout JSONObjectWriter) {
        json.field("acr", acr)
        json.field("amr", amr)
        json.field("at_hash", at_hash)
        json.field("aud", aud)
        json.field("auth_time", auth_time)
        json.field("azp", azp)
        json.field("email", email)
        json.field("email_verified", email_verified)
        json.field("exp", exp)
        json.field("iat", iat)
        json.field("iss", iss)
        json.field("nonce", nonce)
        json.field("sid", sid)
        json.field("sub", sub)
    }
}

extension TokenResponse: JSONObjectWritable {
    public func write(to json: inout JSONObjectWriter) {
        json.field("access_token", access_token)
        json.field("expires_in", expires_in)
        json.field("id_token", id_token)
        json.field("refresh_token", refresh_token)
        json.field("scope", scope)
        json.field("token_type", token_type)
    }
}
