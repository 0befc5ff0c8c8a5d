import LogintooCore
import LogintooStore
import Testing

/// The delivery queue (`DeliveryStore`) and the logout notices the methods that end sessions queue in their own
/// transaction (docs/security.md N93).
@Suite("Deliveries: the queue and the logout notices")
struct DeliveryStoreTests {
    static let receiver = "https://rp.example/backchannel-logout"

    /// A fixture with a client that takes logout tokens, signed in once with the code exchanged (a grant in the session).
    struct SignedIn {
        let fixture: CoreFixture
        let client: Client
        let tokens: TokenService
        let response: TokenResponse
        let account: Account
        let sessionHash: String

        static func make(receiver: String? = DeliveryStoreTests.receiver,
                         scope: [String] = ["openid", "email", "offline_access"]) async throws -> SignedIn {
            var fixture = try await CoreFixture.make()
            fixture.policy.sendInterval = 0
            var settings = ClientSettings()
            settings.backchannelLogoutURI = receiver
            let client = try await ClientRegistry(store: fixture.store, clock: fixture.clock, random: fixture.random)
                .register(name: "RP", redirectURIs: ["https://rp.example/cb"], confidential: false, settings: settings).client
            let tokens = try await fixture.tokens()
            let response = try await fixture.signInAndExchange(client: client, tokens: tokens, scope: scope)
            let account = try #require(try await fixture.store.account(email: "alice@example.com"))
            let grant = try #require(try await fixture.store.grants(accountId: account.id, now: fixture.clock.now()).first)
            return SignedIn(fixture: fixture, client: client, tokens: tokens, response: response, account: account,
                            sessionHash: try #require(grant.sessionHash))
        }

        func notices() async throws -> [BackchannelLogout.Notice] {
            let now = fixture.clock.now()
            return try await fixture.store.claimDueDeliveries(now: now, limit: 100, lease: 60).map {
                try JSONText.decode(BackchannelLogout.Notice.self, from: $0.body)
            }
        }

        var expected: BackchannelLogout.Notice {
            BackchannelLogout.Notice(aud: client.id, sub: account.id, sid: SessionIdentifier.sid(sessionHash: sessionHash))
        }
    }

    @Test("logout queues one notice for the client that took part, naming its session; a second end queues nothing")
    func logoutQueues() async throws {
        let signedIn = try await SignedIn.make()
        let store = signedIn.fixture.store
        #expect(try await store.recentDeliveries(limit: 10).isEmpty, "nothing before the session ends")
        #expect(try await store.endSession(idHash: signedIn.sessionHash, now: signedIn.fixture.clock.now()))
        #expect(try await store.endSession(idHash: signedIn.sessionHash, now: signedIn.fixture.clock.now()) == false)
        let queued = try await store.recentDeliveries(limit: 10)
        #expect(queued.map(\.target) == [Self.receiver])
        #expect(queued.first?.body == "", "the list shows no content")
        #expect(try await signedIn.notices() == [signedIn.expected])
    }

    @Test("a client without a back-channel logout URI gets nothing")
    func silentClient() async throws {
        let signedIn = try await SignedIn.make(receiver: nil)
        _ = try await signedIn.fixture.store.endSession(idHash: signedIn.sessionHash, now: signedIn.fixture.clock.now())
        #expect(try await signedIn.fixture.store.recentDeliveries(limit: 10).isEmpty)
    }

    @Test("sign out everywhere, account disable and account erase each queue the notice")
    func accountOperationsQueue() async throws {
        for operation in ["everywhere", "disable", "erase"] {
            let signedIn = try await SignedIn.make()
            let (store, now, id) = (signedIn.fixture.store, signedIn.fixture.clock.now(), signedIn.account.id)
            switch operation {
            case "everywhere": _ = try await store.endSessions(accountId: id, sessionHash: nil, now: now)
            case "disable": _ = try await store.disableAccount(id: id, now: now)
            default: _ = try await store.eraseAccount(id: id, pseudonym: "erased", now: now)
            }
            #expect(try await signedIn.notices() == [signedIn.expected], "\(operation)")
        }
    }

    @Test("refresh-token reuse queues the notice for the family's client and session")
    func reuseQueues() async throws {
        let signedIn = try await SignedIn.make()
        let first = try #require(signedIn.response.refresh_token)
        _ = try await signedIn.tokens.refresh(client: signedIn.client, refreshToken: first, scope: nil)
        signedIn.fixture.clock.advance(by: 60)
        await #expect(throws: TokenService.refreshTokenReused) {
            _ = try await signedIn.tokens.refresh(client: signedIn.client, refreshToken: first, scope: nil)
        }
        #expect(try await signedIn.notices() == [signedIn.expected])
    }

    @Test("a session's clients are remembered while it lasts: its end is told after the grant and the code are purged")
    func participationOutlivesGrants() async throws {
        // Without offline_access the grant ends with the access token; the code is purged a day after it expired.
        let signedIn = try await SignedIn.make(scope: ["openid", "email"])
        let (store, clock) = (signedIn.fixture.store, signedIn.fixture.clock)
        clock.advance(by: 2 * 86_400)
        try await store.purgeExpired(now: clock.now())
        #expect(try await store.grants(accountId: signedIn.account.id, now: 0).isEmpty, "the grant is purged")
        _ = try await store.endSession(idHash: signedIn.sessionHash, now: clock.now())
        #expect(try await signedIn.notices() == [signedIn.expected])
    }

    @Test("after reuse was told, the session's end is told again")
    func reuseThenLogout() async throws {
        let signedIn = try await SignedIn.make()
        let (store, clock) = (signedIn.fixture.store, signedIn.fixture.clock)
        let first = try #require(signedIn.response.refresh_token)
        _ = try await signedIn.tokens.refresh(client: signedIn.client, refreshToken: first, scope: nil)
        clock.advance(by: 60)
        _ = try? await signedIn.tokens.refresh(client: signedIn.client, refreshToken: first, scope: nil)
        #expect(try await signedIn.notices() == [signedIn.expected])
        _ = try await store.endSession(idHash: signedIn.sessionHash, now: clock.now())
        #expect(try await signedIn.notices() == [signedIn.expected], "the logout is a notice of its own")
    }

    @Test("a claimed delivery is leased, retried when due, and done once delivered")
    func claimRetryDeliver() async throws {
        let signedIn = try await SignedIn.make()
        let (store, clock) = (signedIn.fixture.store, signedIn.fixture.clock)
        _ = try await store.endSession(idHash: signedIn.sessionHash, now: clock.now())
        let claimed = try await store.claimDueDeliveries(now: clock.now(), limit: 10, lease: 60)
        let delivery = try #require(claimed.first)
        #expect(claimed.count == 1 && delivery.attempts == 1)
        #expect(try await store.claimDueDeliveries(now: clock.now() + 30, limit: 10, lease: 60).isEmpty, "leased")
        try await store.markDeliveryFailed(id: delivery.id, error: "the receiver answered 500", retryAt: clock.now() + 5,
                                           now: clock.now())
        #expect(try await store.claimDueDeliveries(now: clock.now() + 4, limit: 10, lease: 60).isEmpty)
        let retried = try await store.claimDueDeliveries(now: clock.now() + 5, limit: 10, lease: 60)
        #expect(retried.map(\.attempts) == [2])
        #expect(retried.first?.lastError == "the receiver answered 500")
        try await store.markDelivered(id: delivery.id, now: clock.now() + 6)
        #expect(try await store.claimDueDeliveries(now: clock.now() + 10_000, limit: 10, lease: 60).isEmpty)
        #expect(try await store.recentDeliveries(limit: 10).map(\.state) == ["delivered"])
    }

    @Test("a delivery failed for good, or past its expiry, is abandoned and never claimed again")
    func abandoned() async throws {
        let signedIn = try await SignedIn.make()
        let (store, clock) = (signedIn.fixture.store, signedIn.fixture.clock)
        _ = try await store.endSession(idHash: signedIn.sessionHash, now: clock.now())
        let delivery = try #require(try await store.claimDueDeliveries(now: clock.now(), limit: 10, lease: 60).first)
        try await store.markDeliveryFailed(id: delivery.id, error: "refused", retryAt: nil, now: clock.now())
        #expect(try await store.claimDueDeliveries(now: clock.now() + 10_000, limit: 10, lease: 60).isEmpty)
        #expect(try await store.recentDeliveries(limit: 10).map(\.state) == ["abandoned"])

        let other = try await SignedIn.make()
        _ = try await other.fixture.store.endSession(idHash: other.sessionHash, now: other.fixture.clock.now())
        let expiry = other.fixture.clock.now() + DeliveryRetry.lifetime
        #expect(try await other.fixture.store.claimDueDeliveries(now: expiry, limit: 10, lease: 60).isEmpty)
        let states = try await other.fixture.store.recentDeliveries(limit: 10)
        #expect(states.map(\.state) == ["abandoned"] && states.first?.lastError == "expired before delivery")
    }

    @Test("eight workers claiming at once share the due deliveries: each is claimed by one")
    func concurrentClaims() async throws {
        let signedIn = try await SignedIn.make()
        let (store, clock) = (signedIn.fixture.store, signedIn.fixture.clock)
        var sessions = [signedIn.sessionHash]
        for _ in 0..<4 {
            _ = try await signedIn.fixture.signInAndExchange(client: signedIn.client, tokens: signedIn.tokens)
            let grants = try await store.grants(accountId: signedIn.account.id, now: clock.now())
            sessions = Array(Set(grants.compactMap(\.sessionHash)))
        }
        for hash in sessions { _ = try await store.endSession(idHash: hash, now: clock.now()) }
        let now = clock.now()
        let claims = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<8 { group.addTask { (try? await store.claimDueDeliveries(now: now, limit: 2, lease: 60).map(\.id)) ?? [] } }
            return await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(claims.count == sessions.count && Set(claims).count == claims.count)
    }
}
