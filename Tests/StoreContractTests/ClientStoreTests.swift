import LogintooCore
import LogintooStore
import Testing

@Suite("Client records")
struct ClientStoreTests {
    @Test("a client changed or removed elsewhere (another instance, the command line) reads as changed at once")
    func changesElsewhereCount() async throws {
        let fixture = try await CoreFixture.make()
        let elsewhere = SQLStore(engine: fixture.store.engine)
        var client = try await fixture.registerClient().client
        #expect(try await fixture.store.client(id: client.id)?.redirectURIs == ["https://app.example.com/callback"])

        client.redirectURIs = ["https://other.example.com/callback"]
        client.settings.accessTokenLifetime = 120
        try await elsewhere.saveClient(client)
        let changed = try #require(try await fixture.store.client(id: client.id))
        #expect(changed.redirectURIs == ["https://other.example.com/callback"] && changed.settings.accessTokenLifetime == 120)

        #expect(try await elsewhere.removeClient(id: client.id))
        #expect(try await fixture.store.client(id: client.id) == nil)
    }
}
