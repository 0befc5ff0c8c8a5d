import LogintooCore
import LogintooHTTP
import Testing

/// The routes are built from services only (docs/architecture.md, thin HTTP): no store is within their reach.
@Suite("What the routes are built from")
struct ServerContextTests {
    @Test("the routes' context holds services and settings, never a store")
    func noStore() async throws {
        let server = try await TestServer.make()
        let parts = Mirror(reflecting: server.context).children
        #expect(parts.count > 10)
        for part in parts {
            let value = part.value
            let isStore = value is any ClientStore || value is any AccountStore || value is any LoginStore
                || value is any ChallengeStore || value is any SessionStore || value is any TokenStore || value is any KeyStore
                || value is any OutboxStore || value is any HousekeepingStore || value is any AuditStore
            #expect(!isStore, "\(part.label ?? "?") is a store")
        }
    }
}
