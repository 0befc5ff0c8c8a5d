import Foundation

/// OpenID Connect Back-Channel Logout 1.0: which clients learn that a session ended, and what they are sent.
public enum BackchannelLogout {
    /// `Delivery.kind` of a logout notice.
    public static let kind = "backchannel_logout"

    /// A client that took part in a session now ended (it has a grant made in it, or was given a code in it): the facts
    /// the store gathers in the transaction that ends the session.
    public struct Facts: Sendable, Equatable {
        public var sessionHash: String
        public var accountId: String
        public var client: Client

        public init(sessionHash: String, accountId: String, client: Client) {
            (self.sessionHash, self.accountId, self.client) = (sessionHash, accountId, client)
        }
    }

    /// What a logout notice is made from at each attempt: who it is for and which session and person it names.
    public struct Notice: Sendable, Codable, Equatable {
        public var aud: String
        public var sub: String
        public var sid: String

        public init(aud: String, sub: String, sid: String) { (self.aud, self.sub, self.sid) = (aud, sub, sid) }
    }

    /// The deliveries to queue: one per client that registered a `backchannel_logout_uri`, due at once. The id is a
    /// digest of the session, the client and the `occasion` (none for the session's end; a revoked grant's id for reuse,
    /// after which the session lives on and its end must be told again), so ending one session twice (a second path, a
    /// retried transaction, another instance) queues one notice, and the store inserts it only if it is new.
    public static func deliveries(for facts: [Facts], occasion: String? = nil, now: Int64) -> [Delivery] {
        var seen: Set<String> = []
        return facts.compactMap { fact in
            guard let target = fact.client.settings.backchannelLogoutURI else { return nil }
            let id = "bcl_" + SecretDigest.sha256(kind + "\u{0}" + fact.sessionHash + "\u{0}" + fact.client.id
                                                  + (occasion.map { "\u{0}" + $0 } ?? ""))
            guard seen.insert(id).inserted else { return nil }
            let notice = Notice(aud: fact.client.id, sub: fact.accountId, sid: SessionIdentifier.sid(sessionHash: fact.sessionHash))
            guard let body = try? JSONText.encode(notice) else { return nil }
            return Delivery(id: id, kind: kind, target: target, body: body, createdAt: now,
                            expiresAt: now + DeliveryRetry.lifetime, nextAttemptAt: now)
        }
    }
}

/// The claims of a logout token (OpenID Connect Back-Channel Logout 1.0 §2.4): no `nonce`, an `events` member naming
/// the back-channel logout event, `sub` and `sid` both.
public struct LogoutTokenClaims: Sendable, Codable, Equatable {
    public var iss: String
    public var aud: String
    public var iat: Int64
    public var exp: Int64
    public var jti: String
    public var sub: String?
    public var sid: String?
    public var events: LogoutEvents

    /// §2.4's `events`: one member, the back-channel logout event, whose value is an empty object.
    public struct LogoutEvents: Sendable, Codable, Equatable, JSONObjectWritable {
        public static let backchannelLogout = "http://schemas.openid.net/event/backchannel-logout"
        public var logout = Empty()

        public init() {}

        enum CodingKeys: String, CodingKey { case logout = "http://schemas.openid.net/event/backchannel-logout" }

        public func write(to json: inout JSONObjectWriter) {
            json.field("http://schemas.openid.net/event/backchannel-logout", logout)
        }
    }

    /// `{}`.
    public struct Empty: Sendable, Codable, Equatable, JSONObjectWritable {
        public init() {}
        public func write(to json: inout JSONObjectWriter) {}
    }
}

extension LogoutTokenClaims: JSONObjectWritable {
    public func write(to json: inout JSONObjectWriter) {
        json.field("aud", aud)
        json.field("events", events)
        json.field("exp", exp)
        json.field("iat", iat)
        json.field("iss", iss)
        json.field("jti", jti)
        json.field("sid", sid)
        json.field("sub", sub)
    }
}

/// Makes the request of a logout delivery: a logout token signed with the current key, fresh at each attempt.
public struct LogoutTokenMinter: Sendable {
    /// §2.4 asks for a short life; two minutes covers the receiver's clock skew and the request's time on the wire.
    public static let lifetime: Int64 = 120
    let keys: KeyRingSource
    let issuer: String
    let random: any RandomSource

    public init(keys: KeyRingSource, issuer: String, random: any RandomSource) {
        (self.keys, self.issuer, self.random) = (keys, issuer, random)
    }

    public func token(for notice: BackchannelLogout.Notice, now: Int64) throws -> String {
        let claims = LogoutTokenClaims(iss: issuer, aud: notice.aud, iat: now, exp: now + Self.lifetime,
                                       jti: random.token(bytes: 16), sub: notice.sub, sid: notice.sid, events: .init())
        return try JWS.sign(claims, type: "logout+jwt", with: keys.current.signingKey)
    }

    /// The form body (§2.5) for a queued delivery's facts.
    public func formBody(for delivery: Delivery, now: Int64) throws -> String {
        let notice = try JSONText.decode(BackchannelLogout.Notice.self, from: delivery.body)
        return "logout_token=" + (try token(for: notice, now: now))
    }
}
