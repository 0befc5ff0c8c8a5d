import LogintooCore
import LogintooStore
import SQLKit
import Testing

/// Pushed authorization requests (RFC 9126) in the store, on SQLite and on PostgreSQL when configured: each is taken
/// once, by the client that pushed it, before it expires (docs/security.md).
@Suite("Pushed authorization request store")
struct PushedRequestStoreTests {
    static let parameters = [("response_type", "code"), ("client_id", "app"), ("scope", "openid email"), ("state", "a=b&c")]

    func pushed(_ fixture: CoreFixture, hash: String = "hash-1", clientId: String = "app") async throws -> PushedAuthorizationRequest {
        let request = PushedAuthorizationRequest(hash: hash, clientId: clientId, parameters: Self.parameters,
                                                 createdAt: fixture.clock.now(), expiresAt: fixture.clock.now() + 60)
        try await fixture.store.savePushedRequest(request)
        return request
    }

    func rows(_ fixture: CoreFixture) async throws -> Int {
        try await fixture.store.engine.run { db in
            try await db.raw("SELECT COUNT(*) AS n FROM pushed_requests").first(decodingColumn: "n", as: Int.self) ?? -1
        }
    }

    @Test("a pushed request comes back with its parameters in order, once")
    func takenOnce() async throws {
        let fixture = try await CoreFixture.make()
        _ = try await pushed(fixture)
        let now = fixture.clock.now()
        let taken = try #require(try await fixture.store.takePushedRequest(hash: "hash-1", clientId: "app", now: now))
        #expect(taken.clientId == "app" && taken.expiresAt == now + 60)
        #expect(taken.parameters.map { "\($0.0)=\($0.1)" } == Self.parameters.map { "\($0.0)=\($0.1)" })
        #expect(try await fixture.store.takePushedRequest(hash: "hash-1", clientId: "app", now: now) == nil)
    }

    @Test("another client cannot take it, and does not use it up for the client that pushed it")
    func otherClient() async throws {
        let fixture = try await CoreFixture.make()
        _ = try await pushed(fixture)
        let now = fixture.clock.now()
        #expect(try await fixture.store.takePushedRequest(hash: "hash-1", clientId: "other", now: now) == nil)
        #expect(try await fixture.store.takePushedRequest(hash: "hash-1", clientId: "app", now: now) != nil)
    }

    @Test("an expired request cannot be taken, and housekeeping deletes it")
    func expired() async throws {
        let fixture = try await CoreFixture.make()
        _ = try await pushed(fixture)
        _ = try await pushed(fixture, hash: "hash-2")
        let expiry = fixture.clock.now() + 60
        #expect(try await fixture.store.takePushedRequest(hash: "hash-1", clientId: "app", now: expiry) == nil)
        try await fixture.store.purgeExpired(now: expiry - 1)
        #expect(try await rows(fixture) == 2, "nothing unexpired is purged")
        try await fixture.store.purgeExpired(now: expiry)
        #expect(try await rows(fixture) == 0)
    }

    @Test("of many takes at once, exactly one gets the request")
    func concurrentTakes() async throws {
        let fixture = try await CoreFixture.make()
        _ = try await pushed(fixture)
        let (store, now) = (fixture.store, fixture.clock.now())
        let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 { group.addTask { try await store.takePushedRequest(hash: "hash-1", clientId: "app", now: now) != nil } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(winners == 1)
    }
}
