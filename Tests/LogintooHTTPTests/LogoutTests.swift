import HTTPTypes
import HummingbirdTesting
import LogintooCore
import Testing

@Suite("RP-initiated logout")
struct LogoutTests {
    func signedIn(_ server: TestServer, _ browser: Browser) async throws -> [String: Any] {
        let redirect = try await browser.signIn(server)
        let response = try await browser.post("/token", form: [
            ("grant_type", "authorization_code"), ("code", try #require(queryItems(redirect)["code"])),
            ("redirect_uri", server.publicClient.redirectURIs[0]), ("client_id", server.publicClient.id),
            ("code_verifier", TestServer.verifier),
        ])
        return try json(response)
    }

    @Test("with an id_token_hint: ends the session, revokes its refresh tokens, returns to the registered URI with state")
    func withHint() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let tokens = try await signedIn(server, browser)
            let hint = try #require(tokens["id_token"] as? String)
            let uri = "/logout?" + URLQuery.encode([("id_token_hint", hint), ("post_logout_redirect_uri", "https://site.example.com/bye"),
                                                    ("state", "s9")])
            let response = try await browser.get(uri)
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "https://site.example.com/bye?state=s9")
            let refresh = try await browser.post("/token", form: [
                ("grant_type", "refresh_token"), ("refresh_token", try #require(tokens["refresh_token"] as? String)),
                ("client_id", server.publicClient.id)])
            #expect(try json(refresh)["error"] as? String == "invalid_grant")
            let silent = try await browser.get(server.authorizeURI(extra: [("prompt", "none")]))
            #expect(queryItems(try #require(silent.headers[.location]))["error"] == "login_required")
        }
    }

    @Test("an unregistered post-logout URI is never redirected to")
    func unregistered() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let tokens = try await signedIn(server, browser)
            let hint = try #require(tokens["id_token"] as? String)
            let response = try await browser.get("/logout?" + URLQuery.encode([
                ("id_token_hint", hint), ("post_logout_redirect_uri", "https://evil.example.com/")]))
            #expect(response.status == .badRequest && response.headers[.location] == nil)
            let silent = try await browser.get(server.authorizeURI(extra: [("prompt", "none")]))
            #expect(queryItems(try #require(silent.headers[.location]))["code"] != nil, "nothing changed")
        }
    }

    @Test("without a hint the person confirms with a CSRF-protected form")
    func confirmation() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            _ = try await signedIn(server, browser)
            let page = try await browser.get("/logout")
            #expect(page.status == .ok)
            let forged = try await browser.post("/logout", form: [("csrf", "forged")])
            #expect(forged.status == .badRequest)
            let confirmed = try await browser.post("/logout", form: [("csrf", try Page(page).hidden("csrf"))])
            #expect(confirmed.status == .ok)
            let silent = try await browser.get(server.authorizeURI(extra: [("prompt", "none")]))
            #expect(queryItems(try #require(silent.headers[.location]))["error"] == "login_required")
        }
    }
}
