import Foundation
import LogintooCore
import Testing

/// OpenID Connect Back-Channel Logout 1.0: who is told, what the logout token says, and when a failed delivery is
/// tried again (docs/security.md N93).
@Suite("Back-channel logout")
struct BackchannelLogoutTests {
    func client(_ id: String, uri: String?) -> Client {
        var settings = ClientSettings()
        settings.backchannelLogoutURI = uri
        return Client(id: id, name: id, secretHash: nil, redirectURIs: ["https://\(id).example/cb"], settings: settings, createdAt: 0)
    }

    func parts(_ jwt: String) throws -> (header: [String: Any], payload: [String: Any]) {
        let pieces = jwt.split(separator: ".")
        try #require(pieces.count == 3)
        func object(_ part: Substring) throws -> [String: Any] {
            let bytes = try #require(Base64URL.decode(part))
            return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        }
        return (try object(pieces[0]), try object(pieces[1]))
    }

    @Test("only clients that registered a back-channel logout URI are told, once per session and client")
    func whoIsTold() throws {
        let listening = client("a", uri: "https://a.example/logout")
        let silent = client("b", uri: nil)
        let facts = [
            BackchannelLogout.Facts(sessionHash: "s1", accountId: "acc", client: listening),
            BackchannelLogout.Facts(sessionHash: "s1", accountId: "acc", client: silent),
            BackchannelLogout.Facts(sessionHash: "s1", accountId: "acc", client: listening),
            BackchannelLogout.Facts(sessionHash: "s2", accountId: "acc", client: listening),
        ]
        let deliveries = BackchannelLogout.deliveries(for: facts, now: 100)
        #expect(deliveries.map(\.target) == ["https://a.example/logout", "https://a.example/logout"])
        #expect(Set(deliveries.map(\.id)).count == 2, "one per session and client")
        #expect(deliveries.allSatisfy { $0.kind == BackchannelLogout.kind && $0.nextAttemptAt == 100 && $0.expiresAt == 100 + 86_400 })
        let again = BackchannelLogout.deliveries(for: Array(facts.prefix(1)), now: 500)
        #expect(again.first?.id == deliveries.first?.id, "the id depends on the session and client only, so a second end queues nothing new")
        let notice = try JSONText.decode(BackchannelLogout.Notice.self, from: deliveries[0].body)
        #expect(notice == BackchannelLogout.Notice(aud: "a", sub: "acc", sid: SessionIdentifier.sid(sessionHash: "s1")))
    }

    @Test("sid is neither the session cookie's digest nor the same for two sessions")
    func sidIsOpaque() {
        let hash = SecretDigest.sha256("cookie")
        #expect(SessionIdentifier.sid(sessionHash: hash) != hash)
        #expect(SessionIdentifier.sid(sessionHash: hash) != SessionIdentifier.sid(sessionHash: SecretDigest.sha256("other")))
        #expect(SessionIdentifier.sid(sessionHash: hash) == SessionIdentifier.sid(sessionHash: hash))
    }

    @Test("a logout token is a logout+jwt with the events member, sub and sid, a short life and no nonce", arguments: SigningAlgorithm.allCases)
    func logoutToken(algorithm: SigningAlgorithm) async throws {
        let fixture = try await CoreFixture.make()
        let ring = try await KeyRing.load(store: fixture.store, algorithm: algorithm, secret: fixture.secret, clock: fixture.clock,
                                          random: fixture.random)
        let minter = LogoutTokenMinter(keys: try await KeyRingSource(load: { ring }), issuer: "https://login.example.com",
                                       random: fixture.random)
        let delivery = try #require(BackchannelLogout.deliveries(
            for: [.init(sessionHash: "s1", accountId: "acc", client: client("a", uri: "https://a.example/logout"))], now: 1000).first)
        let composer = DeliveryComposer(logoutTokens: minter, webhookKeys: WebhookSigningKeys(store: fixture.store, secret: fixture.secret))
        let request = try await composer.request(for: delivery, now: 2000)
        #expect(request.contentType == "application/x-www-form-urlencoded")
        let token = try #require(request.body.split(separator: "=", maxSplits: 1).last.map(String.init))
        #expect(request.body.hasPrefix("logout_token="))
        let (header, claims) = try parts(token)
        #expect(header["typ"] as? String == "logout+jwt")
        #expect(header["alg"] as? String == algorithm.rawValue)
        #expect(header["kid"] as? String == ring.signingKey.kid)
        #expect(claims["iss"] as? String == "https://login.example.com")
        #expect(claims["aud"] as? String == "a")
        #expect(claims["sub"] as? String == "acc")
        #expect(claims["sid"] as? String == SessionIdentifier.sid(sessionHash: "s1"))
        #expect(claims["iat"] as? Int64 == 2000, "made at the attempt, not when the session ended")
        #expect(claims["exp"] as? Int64 == 2120)
        #expect((claims["jti"] as? String)?.isEmpty == false)
        #expect(claims["nonce"] == nil)
        let events = try #require(claims["events"] as? [String: Any])
        #expect(events.keys.sorted() == ["http://schemas.openid.net/event/backchannel-logout"])
        #expect((events["http://schemas.openid.net/event/backchannel-logout"] as? [String: Any])?.isEmpty == true)
        #expect(JWS.verify(token, type: "logout+jwt", ring: ring, as: LogoutTokenClaims.self)?.sid == SessionIdentifier.sid(sessionHash: "s1"))
        let second = try await composer.request(for: delivery, now: 2000)
        #expect(second.body != request.body, "a fresh jti at every attempt")
    }

    @Test("a delivery of an unknown kind is refused, not guessed at")
    func unknownKind() async throws {
        let fixture = try await CoreFixture.make()
        let ring = try await KeyRing.load(store: fixture.store, algorithm: .es256, secret: fixture.secret, clock: fixture.clock,
                                          random: fixture.random)
        let composer = DeliveryComposer(logoutTokens: LogoutTokenMinter(keys: try await KeyRingSource(load: { ring }),
                                                                        issuer: "https://login.example.com", random: fixture.random),
                                        webhookKeys: WebhookSigningKeys(store: fixture.store, secret: fixture.secret))
        let delivery = Delivery(id: "d", kind: "carrier_pigeon", target: "https://x.example", body: "{}", createdAt: 0, expiresAt: 10,
                                nextAttemptAt: 0)
        await #expect(throws: DeliveryComposer.UnknownKind.self) { try await composer.request(for: delivery, now: 0) }
    }

    @Test("failed deliveries are retried after 5 s, doubling to an hour, and abandoned a day after they were queued")
    func retrySchedule() {
        #expect(DeliveryRetry.next(after: 1, now: 0, expiresAt: 86_400, jitter: 0) == 5)
        #expect(DeliveryRetry.next(after: 2, now: 0, expiresAt: 86_400, jitter: 0) == 10)
        #expect(DeliveryRetry.next(after: 3, now: 0, expiresAt: 86_400, jitter: 0) == 20)
        #expect(DeliveryRetry.next(after: 30, now: 0, expiresAt: 86_400, jitter: 0) == 3600)
        #expect(DeliveryRetry.next(after: 30, now: 0, expiresAt: 86_400, jitter: 0.99) == Int64(3956), "up to a tenth more")
        #expect(DeliveryRetry.next(after: 10, now: 86_000, expiresAt: 86_400, jitter: 0) == nil, "past the day: abandoned")
        #expect(DeliveryRetry.next(after: 1, now: 0, expiresAt: 86_400, firstWait: 1, jitter: 0) == 1)
    }

    @Test("a client's back-channel logout URI is https, or http on a loopback address, without a fragment")
    func uriRules() {
        for good in ["https://rp.example/logout", "http://127.0.0.1:8080/bcl", "http://[::1]/bcl"] {
            #expect(ClientSettings.isBackchannelLogoutURI(good), "\(good)")
        }
        for bad in ["http://rp.example/logout", "https://rp.example/logout#x", "ftp://rp.example/", "not a url", "https://"] {
            #expect(!ClientSettings.isBackchannelLogoutURI(bad), "\(bad)")
            var settings = ClientSettings()
            settings.backchannelLogoutURI = bad
            #expect(throws: ClientRegistrationError.self) { try settings.validate() }
        }
    }
}
