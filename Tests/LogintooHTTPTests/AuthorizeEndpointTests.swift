import HTTPTypes
import HummingbirdTesting
import LogintooCore
import Testing

@Suite("Authorization endpoint")
struct AuthorizeEndpointTests {
    @Test("an unknown client or unregistered redirect URI gets an error page and never a redirect")
    func errorPage() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            for uri in [
                "/authorize?response_type=code&client_id=nope&redirect_uri=https%3A%2F%2Fsite.example.com%2Fcallback",
                server.authorizeURI(extra: [("redirect_uri", "https://evil.example.com/cb")], without: ["redirect_uri"]),
                server.authorizeURI(extra: [("redirect_uri", "https://site.example.com/callback/../x")], without: ["redirect_uri"]),
                server.authorizeURI(without: ["redirect_uri"]),
            ] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .badRequest)
                #expect(response.headers[.location] == nil)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
            }
        }
    }

    @Test("missing or plain PKCE goes back to the client as invalid_request with state and iss", arguments: [
        [("code_challenge_method", "plain")], [],
    ])
    func pkceErrors(extra: [(String, String)]) async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let without: Set<String> = extra.isEmpty ? ["code_challenge", "code_challenge_method"] : ["code_challenge_method"]
            let response = try await client.execute(uri: server.authorizeURI(extra: extra, without: without), method: .get)
            #expect(response.status == .seeOther)
            let location = try #require(response.headers[.location])
            #expect(location.hasPrefix("https://site.example.com/callback?"))
            let items = queryItems(location)
            #expect(items["error"] == "invalid_request" && items["state"] == "st-1" && items["iss"] == TestServer.issuer)
        }
    }

    @Test("a live session skips the code; prompt=login and max_age force it; prompt=none without one is login_required")
    func sessions() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            _ = try await browser.signIn(server)
            let again = try await browser.get(server.authorizeURI())
            let location = try #require(again.headers[.location])
            #expect(location.hasPrefix("https://site.example.com/callback?code="), "SSO: straight back to the client")
            let silent = try await browser.get(server.authorizeURI(extra: [("prompt", "none")]))
            #expect(queryItems(try #require(silent.headers[.location]))["code"] != nil)
            let forced = try await browser.get(server.authorizeURI(extra: [("prompt", "login")]))
            #expect(forced.headers[.location]?.hasPrefix("/login?tx=") == true)
            server.clock.advance(by: 120)
            let aged = try await browser.get(server.authorizeURI(extra: [("max_age", "60")]))
            #expect(aged.headers[.location]?.hasPrefix("/login?tx=") == true)
            let young = try await browser.get(server.authorizeURI(extra: [("max_age", "600")]))
            #expect(young.headers[.location]?.hasPrefix("https://site.example.com/callback?code=") == true)

            let stranger = Browser(client)
            let none = try await stranger.get(server.authorizeURI(extra: [("prompt", "none")]))
            let items = queryItems(try #require(none.headers[.location]))
            #expect(items["error"] == "login_required" && items["iss"] == TestServer.issuer)
        }
    }

    @Test("the authorization endpoint answers no CORS, and malformed input is a 400, never a 500")
    func hygiene() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let response = try await client.execute(uri: server.authorizeURI(), method: .get,
                                                    headers: [.origin: "https://site.example.com"])
            #expect(response.headers[.accessControlAllowOrigin] == nil)
            let malformed = try await client.execute(uri: "/authorize?client_id=%ZZ", method: .get)
            #expect(malformed.status == .badRequest)
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            let ready = try await client.execute(uri: "/readyz", method: .get)
            #expect(ready.status == .ok)
        }
    }
}
