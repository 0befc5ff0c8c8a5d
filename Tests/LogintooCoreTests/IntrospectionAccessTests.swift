import LogintooCore
import Testing

@Suite("Introspection access (docs/security.md I53)")
struct IntrospectionAccessTests {
    func client(_ id: String, resources: [String]? = nil) -> Client {
        Client(id: id, name: id, secretHash: "digest", redirectURIs: ["https://\(id).example.com/cb"],
               settings: ClientSettings(resources: resources), createdAt: 0)
    }

    @Test("a client sees the tokens issued to it, access and refresh")
    func own() {
        #expect(IntrospectionAccess.allows(client("a"), toSee: .init(clientId: "a", audience: "a")))
        #expect(IntrospectionAccess.allows(client("a"), toSee: .init(clientId: "a", audience: "https://api.example.com")))
        #expect(IntrospectionAccess.allows(client("a"), toSee: .init(clientId: "a", audience: nil)))
    }

    @Test("another client sees nothing of them")
    func foreign() {
        #expect(!IntrospectionAccess.allows(client("b"), toSee: .init(clientId: "a", audience: "a")))
        #expect(!IntrospectionAccess.allows(client("b"), toSee: .init(clientId: "a", audience: nil)))
        #expect(!IntrospectionAccess.allows(client("b", resources: ["https://other.example.com"]),
                                            toSee: .init(clientId: "a", audience: "https://api.example.com")))
    }

    @Test("a client registered for the token's resource sees its access tokens, never its refresh tokens")
    func resourceServer() {
        let api = client("rs", resources: ["https://api.example.com"])
        #expect(IntrospectionAccess.allows(api, toSee: .init(clientId: "a", audience: "https://api.example.com")))
        #expect(!IntrospectionAccess.allows(api, toSee: .init(clientId: "a", audience: nil)))
        #expect(!IntrospectionAccess.allows(api, toSee: .init(clientId: "a", audience: "https://api.example.com/")),
                "resources compare exactly")
    }
}
