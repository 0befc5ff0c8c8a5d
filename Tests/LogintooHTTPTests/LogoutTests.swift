import HTTPTypes
import HummingbirdTesting
import LogintooCore
import Testing

@Suite("RP-initiated logout")
struct LogoutTests {
    func signedIn(_ server: TestServer, _ browser: Browser, email: String = "alice@example.com") async throws
        -> [String: Any] {
        let redirect = try await browser.signIn(server, email: email)
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

    func refreshes(_ browser: Browser, _ server: TestServer, _ tokens: [String: Any]) async throws -> Bool {
        let response = try await browser.post("/token", form: [
            ("grant_type", "refresh_token"), ("refresh_token", try #require(tokens["refresh_token"] as? String)),
            ("client_id", server.publicClient.id)])
        return response.status == .ok
    }

    func hasSession(_ browser: Browser, _ server: TestServer) async throws -> Bool {
        let silent = try await browser.get(server.authorizeURI(extra: [("prompt", "none")]))
        return queryItems(try #require(silent.headers[.location]))["code"] != nil
    }

    @Test("another account's id_token_hint ends nothing: the page asks, and only its CSRF-protected POST signs out")
    func foreignHint() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let victim = Browser(client)
            let victimTokens = try await signedIn(server, victim)
            let attackerTokens = try await signedIn(server, Browser(client), email: "mallory@example.com")
            let foreign = try #require(attackerTokens["id_token"] as? String)
            let page = try await victim.get("/logout?" + URLQuery.encode([
                ("id_token_hint", foreign), ("post_logout_redirect_uri", "https://site.example.com/bye"), ("state", "s1")]))
            #expect(page.status == .ok)
            #expect(page.headers[.setCookie] == nil, "the session cookie is kept")
            #expect(try await hasSession(victim, server), "the session is intact")
            #expect(try await refreshes(victim, server, victimTokens), "and so are its refresh tokens")

            let missing = try await victim.post("/logout", form: [("post_logout_redirect_uri", "https://site.example.com/bye")])
            #expect(missing.status == .badRequest)
            let forged = try await victim.post("/logout", form: [("csrf", "forged"), ("id_token_hint", foreign)])
            #expect(forged.status == .badRequest)
            #expect(try await hasSession(victim, server), "a POST without the page's token ends nothing")

            let confirm = Page(page)
            let confirmed = try await victim.post("/logout", form: [
                ("csrf", try confirm.hidden("csrf")), ("client_id", try confirm.hidden("client_id")),
                ("post_logout_redirect_uri", try confirm.hidden("post_logout_redirect_uri")), ("state", try confirm.hidden("state"))])
            #expect(confirmed.status == .seeOther)
            #expect(confirmed.headers[.location] == "https://site.example.com/bye?state=s1")
            #expect(try await !hasSession(victim, server))
        }
    }

    @Test("a hint for the right account but another session's sid asks")
    func foreignSid() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let tokens = try await signedIn(server, browser)
            let idToken = try #require(tokens["id_token"] as? String)
            let claims = try #require(JWS.verify(idToken, type: "JWT", ring: server.context.ring, as: IDTokenClaims.self))
            let hint = try JWS.sign(HintWithSid(claims: claims, sid: "another"), type: "JWT", with: server.context.ring.signingKey)
            let page = try await browser.get("/logout?" + URLQuery.encode([("id_token_hint", hint)]))
            #expect(page.status == .ok && String(buffer: page.body).contains("name=\"csrf\""))
            #expect(try await hasSession(browser, server))
        }
    }

    @Test("a GET without a live session ends nothing and only clears the cookie")
    func noSession() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let attacker = Browser(client)
            let tokens = try await signedIn(server, attacker, email: "mallory@example.com")
            let hint = try #require(tokens["id_token"] as? String)
            let fresh = Browser(client)
            let response = try await fresh.get("/logout?" + URLQuery.encode([("id_token_hint", hint)]))
            #expect(response.status == .ok)
            #expect(try await hasSession(attacker, server), "the hint's own session is not ended by another browser")
        }
    }
}

/// An ID token of this server for the right account that names a `sid`.
struct HintWithSid: JSONObjectWritable {
    let claims: IDTokenClaims
    let sid: String

    func write(to json: inout JSONObjectWriter) {
        json.field("aud", claims.aud)
        json.field("exp", claims.exp)
        json.field("iat", claims.iat)
        json.field("iss", claims.iss)
        json.field("sid", sid)
        json.field("sub", claims.sub)
    }
}
