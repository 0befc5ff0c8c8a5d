import AsyncHTTPClient
import Foundation

/// What a verified logout token says: which person, which session, and the token's own id.
public struct VerifiedLogoutToken: Sendable, Equatable {
    /// The person signed out (`sub`), when named.
    public let subject: String?
    /// The session that ended (`sid`, as in the ID tokens of that session), when named.
    public let sessionId: String?
    /// `jti`: keep it until `expiresAt` and refuse a token that comes back with it (a replay).
    public let tokenId: String
    public let issuedAt: Date
    public let expiresAt: Date
}

/// Verifies the logout tokens an issuer POSTs to a client's `backchannel_logout_uri` (OpenID Connect Back-Channel
/// Logout 1.0 §2.6): a signature by one of the issuer's keys (its JWKS) with that key's algorithm, `typ` `logout+jwt`,
/// the exact issuer, the client's id in `aud`, `iat` and `exp` within the clock skew, a `jti`, an `events` member naming
/// the back-channel logout event with an object value, `sub` or `sid` or both, and no `nonce` (so an ID token is never
/// taken for one).
///
/// It keeps no state: the caller keeps each accepted `tokenId` until the token's `expiresAt` and refuses one seen
/// before, which stops a captured token from being replayed while it is valid. Answer 200 to a token accepted (or one
/// already acted on), and 400 to one refused.
///
/// ```swift
/// let verifier = try await LogoutTokenVerifier.discover(issuer: "https://login.example.com", clientId: "my-client")
/// let logout = try await verifier.verify(form["logout_token"])
/// guard seen.insert(logout.tokenId) else { return 400 }
/// sessions.end(sid: logout.sessionId, subject: logout.subject)
/// ```
public struct LogoutTokenVerifier: Sendable {
    public static let event = "http://schemas.openid.net/event/backchannel-logout"
    public let issuer: String
    public let clientId: String
    public let leeway: TimeInterval
    let keys: JWKSCache
    let now: @Sendable () -> Date

    /// - Parameter leeway: the clock skew tolerated on `exp` and `iat`, at most 5 minutes.
    public init(issuer: String, clientId: String, keys: JWKSCache, leeway: TimeInterval = 60,
                now: @escaping @Sendable () -> Date = Date.init) {
        (self.issuer, self.clientId, self.keys, self.now) = (issuer, clientId, keys, now)
        self.leeway = min(max(leeway, 0), 300)
    }

    /// Sets up from the issuer URL alone, as `AccessTokenVerifier.discover` does.
    public static func discover(issuer: String, clientId: String, client: HTTPClient = .shared) async throws -> LogoutTokenVerifier {
        LogoutTokenVerifier(issuer: issuer, clientId: clientId,
                            keys: try await AccessTokenVerifier.discoverKeys(issuer: issuer, client: client))
    }

    struct Claims: Decodable {
        var iss: String?
        var aud: AccessTokenVerifier.Audience?
        var iat: Double?
        var exp: Double?
        var jti: String?
        var sub: String?
        var sid: String?
        var events: [String: EventValue]?
        var nonce: AccessTokenVerifier.AnyJSON?
    }

    /// An event's value: it must be a JSON object.
    struct EventValue: Decodable {
        let isObject: Bool
        init(from decoder: any Decoder) throws {
            isObject = (try? decoder.container(keyedBy: AnyKey.self)) != nil
        }
    }

    struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func verify(_ token: String) async throws(VerifierError) -> VerifiedLogoutToken {
        let payload = try await AccessTokenVerifier.signedPayload(of: token, keys: keys) { typ throws(VerifierError) in
            guard let typ = typ?.lowercased(), typ == "logout+jwt" || typ == "application/logout+jwt" else {
                throw .invalidLogoutToken("typ must be logout+jwt")
            }
        }
        guard let claims = try? JSONDecoder().decode(Claims.self, from: payload) else { throw .malformed }
        return try check(claims)
    }

    func check(_ claims: Claims) throws(VerifierError) -> VerifiedLogoutToken {
        guard claims.iss == issuer else { throw .wrongIssuer }
        guard claims.aud?.values.contains(clientId) == true else { throw .wrongAudience }
        let current = now().timeIntervalSince1970
        guard let iat = claims.iat else { throw .missingClaim("iat") }
        guard let exp = claims.exp else { throw .missingClaim("exp") }
        guard exp > current - leeway else { throw .expired }
        guard iat <= current + leeway else { throw .notYetValid }
        guard let jti = claims.jti, !jti.isEmpty else { throw .missingClaim("jti") }
        guard claims.events?[Self.event]?.isObject == true else {
            throw .invalidLogoutToken("events must name \(Self.event) with an object")
        }
        guard claims.sub != nil || claims.sid != nil else { throw .invalidLogoutToken("it names neither sub nor sid") }
        guard claims.nonce == nil else { throw .invalidLogoutToken("it carries a nonce") }
        return VerifiedLogoutToken(subject: claims.sub, sessionId: claims.sid, tokenId: jti,
                                   issuedAt: Date(timeIntervalSince1970: iat), expiresAt: Date(timeIntervalSince1970: exp))
    }
}
