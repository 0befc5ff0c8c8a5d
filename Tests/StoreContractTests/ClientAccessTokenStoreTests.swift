import LogintooCore
import LogintooStore
import SQLKit
import Testing

@Suite("Client access tokens and admin clients in the store")
struct ClientAccessTokenStoreTests {
    @Test("a client's own access token is honoured until it is on the deny list, and revoking one leaves the others")
    func denyList() async throws {
        let fixture = try await CoreFixture.make()
        let store = fixture.store
        let now = fixture.clock.now()
        #expect(try await store.isClientAccessTokenActive(jti: "client:first"))
        try await store.revokeAccessToken(
            AccessTokenRecord(jti: "client:first", grantId: "", clientId: "admin-script", expiresAt: now + 300), now: now)
        #expect(try await store.isClientAccessTokenActive(jti: "client:first") == false)
        #expect(try await store.isClientAccessTokenActive(jti: "client:second"))
        #expect(try await store.isAccessTokenActive(jti: "client:second", grantId: nil) == false,
                "a token without a grant is never live as a person's token")
    }

    @Test("the admin setting is kept with the client; a row written before the setting existed reads as not admin")
    func adminSetting() async throws {
        let fixture = try await CoreFixture.make()
        let registered = try await ClientRegistry(store: fixture.store, clock: fixture.clock, random: fixture.random).register(
            name: "Admin script", redirectURIs: [], confidential: true, settings: ClientSettings(admin: true)).client
        let admin = try #require(try await fixture.store.client(id: registered.id))
        #expect(admin.settings.admin == true && admin.isAdmin)
        try await fixture.store.engine.run { db in
            try await db.raw("UPDATE clients SET settings = '{\"accessTokenLifetime\":60}' WHERE id = \(bind: registered.id)").run()
        }
        let older = try #require(try await SQLStore(engine: fixture.store.engine).client(id: registered.id))
        #expect(older.settings.admin == nil && !older.isAdmin && older.settings.accessTokenLifetime == 60)
    }

    @Test("only a confidential client can be an admin client; an admin client needs no redirect URI")
    func adminRegistration() async throws {
        let fixture = try await CoreFixture.make()
        let registry = ClientRegistry(store: fixture.store, clock: fixture.clock, random: fixture.random)
        await #expect(throws: ClientRegistrationError.invalidSetting(
            "an admin client must be confidential: add --confidential to --admin")) {
            _ = try await registry.register(name: "Public admin", redirectURIs: ["https://app.example.com/cb"], confidential: false,
                                            settings: ClientSettings(admin: true))
        }
        await #expect(throws: ClientRegistrationError.noRedirectURI) {
            _ = try await registry.register(name: "Ordinary", redirectURIs: [], confidential: true)
        }
        var saved = Client(id: "public-admin", name: "Public", secretHash: nil, redirectURIs: ["https://app.example.com/cb"],
                           settings: ClientSettings(admin: true), createdAt: fixture.clock.now())
        #expect(!saved.isAdmin, "the setting on a public client grants nothing")
        saved.secretHash = SecretDigest.sha256("secret")
        #expect(saved.isAdmin)
    }
}
