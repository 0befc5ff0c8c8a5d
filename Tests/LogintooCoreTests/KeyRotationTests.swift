import LogintooCore
import Testing

@Suite("Signing-key rotation")
struct KeyRotationTests {
    func source(_ fixture: CoreFixture) async throws -> KeyRingSource {
        let (store, secret, clock, random) = (fixture.store, fixture.secret, fixture.clock, fixture.random)
        return try await KeyRingSource {
            try await KeyRing.load(store: store, algorithm: .es256, secret: secret, clock: clock, random: random)
        }
    }

    @Test("the next key is published before it signs; the old one stays published until its tokens have expired")
    func lifecycle() async throws {
        let fixture = try await CoreFixture.make()
        let keys = try await source(fixture)
        let tokens = TokenService(store: fixture.store, policy: fixture.policy, clock: fixture.clock, random: fixture.random,
                                  keys: keys)
        let client = try await fixture.registerClient().client
        let old = keys.current.signingKey.kid
        let before = try await fixture.signInAndExchange(client: client, tokens: tokens)

        let next = try await KeyLifecycle.rotate(store: fixture.store, algorithm: .es256, secret: fixture.secret,
                                                 clock: fixture.clock, random: fixture.random, delay: 900)
        try await keys.reload()
        #expect(keys.current.signingKey.kid == old)
        #expect(Set(keys.current.verificationKeys.map(\.kid)) == [old, next.kid])

        fixture.clock.advance(by: 900)
        try await keys.reload()
        #expect(keys.current.signingKey.kid == next.kid)
        let after = try await fixture.signInAndExchange(client: client, tokens: tokens)
        #expect(after.access_token != before.access_token)
        #expect(try await tokens.userInfo(accessToken: after.access_token) != nil)
        #expect(keys.current.key(kid: old) != nil, "tokens signed before the switch still verify")

        fixture.clock.advance(by: KeyLifecycle.retention)
        try await keys.reload()
        #expect(keys.current.verificationKeys.map(\.kid) == [next.kid])
    }

    @Test("a rotated-in key starting to sign is recorded for the log, once")
    func activationIsRecorded() async throws {
        let fixture = try await CoreFixture.make()
        let keys = try await source(fixture)
        let events = CapturingEventSink()
        let next = try await KeyLifecycle.rotate(store: fixture.store, algorithm: .es256, secret: fixture.secret,
                                                 clock: fixture.clock, random: fixture.random, delay: 60)
        try await keys.reload(events: events)
        #expect(events.events.isEmpty, "publishing is not yet signing")
        fixture.clock.advance(by: 60)
        try await keys.reload(events: events)
        try await keys.reload(events: events)
        #expect(events.events == [.signingKeyActivated(kid: next.kid, algorithm: "ES256")])
    }

    @Test("on a schedule, each key's successor is published 15 minutes before the key has signed for the period, once")
    func schedule() async throws {
        let fixture = try await CoreFixture.make()
        let keys = try await source(fixture)
        let schedule = KeyRotationSchedule(days: 30)
        let rotate = {
            try await schedule.rotateIfDue(store: fixture.store, algorithm: .es256, secret: fixture.secret, clock: fixture.clock,
                                           random: fixture.random)?.kid
        }
        let start = fixture.clock.now()
        fixture.clock.advance(by: schedule.period - KeyLifecycle.defaultActivationDelay - 1)
        #expect(try await rotate() == nil)
        fixture.clock.advance(by: 1)
        let second = try #require(try await rotate())
        #expect(try await rotate() == nil, "one successor at a time")
        #expect(try await fixture.store.signingKeys().first { $0.kid == second }?.activatesAt == start + schedule.period)

        fixture.clock.advance(by: KeyLifecycle.defaultActivationDelay)
        try await keys.reload()
        #expect(keys.current.signingKey.kid == second)
        fixture.clock.advance(by: schedule.period - KeyLifecycle.defaultActivationDelay - 1)
        #expect(try await rotate() == nil)
        fixture.clock.advance(by: 1)
        #expect(try await rotate() != nil, "the schedule goes on from the second key's activation")
    }

    @Test("states for `key list`: next, active, retiring, expired")
    func states() {
        let make = { (kid: String, created: Int64, activates: Int64?) in
            StoredSigningKey(kid: kid, alg: "ES256", sealedPrivateKey: "", createdAt: created, activatesAt: activates)
        }
        let keys = [make("a", 0, nil), make("b", 100, 200), make("c", 300, 100_000), make("d", 10, 50)]
        let now: Int64 = 1000
        let states = Dictionary(uniqueKeysWithValues: KeyLifecycle.states(keys, now: now).map { ($0.key.kid, $0.state) })
        #expect(states["a"] == .retiring(publishedUntil: 50 + KeyLifecycle.retention))
        #expect(states["d"] == .retiring(publishedUntil: 200 + KeyLifecycle.retention))
        #expect(states["b"] == .active)
        #expect(states["c"] == .next(activatesAt: 100_000))
        let later = Dictionary(uniqueKeysWithValues: KeyLifecycle.states(keys, now: 200 + KeyLifecycle.retention).map {
            ($0.key.kid, $0.state)
        })
        #expect(later["a"] == .expired && later["d"] == .expired && later["b"] == .active)
    }
}

@Suite("Signing-key rotation in the same second")
struct KeyRotationTieTests {
    @Test("a key rotated in at once, in the second the first key was made, is the one that signs")
    func sameSecond() {
        let first = StoredSigningKey(kid: "zzz", alg: "RS256", sealedPrivateKey: "", createdAt: 50)
        let rotated = StoredSigningKey(kid: "aaa", alg: "RS256", sealedPrivateKey: "", createdAt: 50, activatesAt: 50)
        let states = Dictionary(uniqueKeysWithValues: KeyLifecycle.states([first, rotated], now: 50).map { ($0.key.kid, $0.state) })
        #expect(states["aaa"] == .active)
        #expect(states["zzz"] == .retiring(publishedUntil: 50 + KeyLifecycle.retention))
    }
}
