import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LogintooCore
import LogintooHTTP
import Testing

/// The account page's sessions, sites and "delete my account", over a real socket behind a trusted proxy on loopback, so
/// that each browser signs in from the address it says it forwards for.
@Suite("The account page's sessions, sites and deletion")
struct AccountSessionsTests {
    static let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
    static let iPhone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        + "Version/17.0 Mobile/15E148 Safari/604.1"

    /// The server's routes on a live socket; the loopback peer is a trusted proxy.
    func live(_ server: TestServer, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let proxies = TrustedProxies([IPNetwork("127.0.0.0/8")!, IPNetwork("::1")!])
        let app = Application(router: try buildRouter(server: server.context, trustedProxies: proxies))
        try await app.test(.live, body)
    }

    /// Signs `browser` in as `email` from `userAgent` at `address`; returns the client's tokens. The clock first moves
    /// past the send interval, so that the address may be sent another code.
    func signIn(_ server: TestServer, _ browser: Browser, email: String = "alice@example.com", userAgent: String,
                address: String) async throws -> [String: Any] {
        server.clock.advance(by: Policy(issuer: TestServer.issuer).sendInterval)
        let headers: HTTPFields = [.userAgent: userAgent, HTTPField.Name("X-Forwarded-For")!: address]
        let (tx, csrf) = try await browser.beginLogin(server, authorize: server.authorizeURI(extra: [("prompt", "login")]))
        _ = try await browser.post("/login/email", form: [("tx", tx), ("csrf", csrf), ("email", email)], headers: headers)
        let code = try #require(try await server.deliveredCode(to: email))
        let done = try await browser.post("/login/code", form: [("tx", tx), ("csrf", csrf), ("code", code)], headers: headers)
        #expect(done.status == .seeOther)
        let location = try #require(done.headers[.location])
        let tokens = try await browser.post("/token", form: [
            ("grant_type", "authorization_code"), ("code", try #require(queryItems(location)["code"])),
            ("redirect_uri", server.publicClient.redirectURIs[0]), ("client_id", server.publicClient.id),
            ("code_verifier", TestServer.verifier),
        ])
        return try json(tokens)
    }

    func refreshes(_ browser: Browser, _ server: TestServer, _ tokens: [String: Any]) async throws -> Bool {
        try await browser.post("/token", form: [
            ("grant_type", "refresh_token"), ("refresh_token", try #require(tokens["refresh_token"] as? String)),
            ("client_id", server.publicClient.id),
        ]).status == .ok
    }

    /// The session id the sign-out form of the listed session naming `browserName` posts.
    func sessionId(in page: Page, of browserName: String) throws -> String {
        let rows = page.html.components(separatedBy: "<li").dropFirst()
        let row = try #require(rows.first { $0.contains(browserName) && $0.contains("name=\"session\"") })
        let start = try #require(row.range(of: "name=\"session\" value=\"")).upperBound
        return String(row[start...].prefix { $0 != "\"" })
    }

    @Test("lists the person's sessions with browser, network prefix and this browser; signs out the other one")
    func listAndEndOne() async throws {
        let server = try await TestServer.make()
        try await live(server) { client in
            let laptop = Browser(client), phone = Browser(client)
            let laptopTokens = try await signIn(server, laptop, userAgent: Self.firefox, address: "198.51.100.23")
            let phoneTokens = try await signIn(server, phone, userAgent: Self.iPhone, address: "2001:db8:1234:5678::9")
            let page = Page(try await laptop.get("/account"))
            #expect(page.html.contains("Firefox (Linux)") && page.html.contains("network 198.51.100.0/24"))
            #expect(page.html.contains("Safari (iPhone)") && page.html.contains("network 2001:db8:1234::/48"))
            #expect(!page.html.contains("198.51.100.23") && !page.html.contains("5678"), "never the full address")
            #expect(page.html.contains("signed in 2027-01-15 08:01 UTC") && page.html.contains("last seen 2027-01-15 08:01 UTC"))
            let current = try #require(page.html.components(separatedBy: "<li").first { $0.contains("aria-current") })
            #expect(current.contains("Firefox (Linux)") && current.contains("this browser"))
            #expect(page.html.components(separatedBy: "aria-current").count == 2, "one session is this browser's")
            #expect(page.html.contains("aria-label=\"Sign out Safari (iPhone), network 2001:db8:1234::/48\""))

            let ended = try await laptop.post("/account/sessions/end",
                                              form: [("csrf", try page.hidden("csrf")), ("session", try sessionId(in: page, of: "Safari"))])
            #expect(ended.status == .seeOther && ended.headers[.location] == "/account")
            #expect(try await !refreshes(phone, server, phoneTokens), "what was granted within the session is revoked")
            #expect(try await phone.get("/account").status == .forbidden, "the phone is signed out")
            #expect(try await refreshes(laptop, server, laptopTokens))
            let after = Page(try await laptop.get("/account"))
            #expect(!after.html.contains("Safari (iPhone)") && after.html.contains("Firefox (Linux)"))
            let trail = try await server.store.auditRecords(matching: AuditFilter(kind: "sessions_revoked"), before: nil, limit: 5)
            #expect(trail.map(\.detail) == ["by=self sessions=1 grants=1"])
        }
    }

    @Test("ending this browser's own session signs it out and clears its cookie")
    func endOwn() async throws {
        let server = try await TestServer.make()
        try await live(server) { client in
            let laptop = Browser(client)
            _ = try await signIn(server, laptop, userAgent: Self.firefox, address: "198.51.100.23")
            let page = Page(try await laptop.get("/account"))
            let ended = try await laptop.post("/account/sessions/end",
                                              form: [("csrf", try page.hidden("csrf")), ("session", try sessionId(in: page, of: "Firefox"))])
            #expect(ended.status == .ok && String(buffer: ended.body).contains("You are signed out"))
            #expect(ended.headers[values: .setCookie].contains { $0.hasPrefix("__Host-logintoo-session=;") && $0.contains("Max-Age=0") })
            #expect(try await laptop.get("/account").status == .forbidden)
        }
    }

    @Test("sign out everywhere ends every session of the person, this browser's too")
    func endEverywhere() async throws {
        let server = try await TestServer.make()
        try await live(server) { client in
            let laptop = Browser(client), phone = Browser(client)
            let laptopTokens = try await signIn(server, laptop, userAgent: Self.firefox, address: "198.51.100.23")
            let phoneTokens = try await signIn(server, phone, userAgent: Self.iPhone, address: "203.0.113.5")
            let csrf = try Page(try await phone.get("/account")).hidden("csrf")
            let ended = try await phone.post("/account/sessions/end-all", form: [("csrf", csrf)])
            #expect(ended.status == .ok && String(buffer: ended.body).contains("You are signed out"))
            #expect(try await phone.get("/account").status == .forbidden)
            #expect(try await laptop.get("/account").status == .forbidden)
            #expect(try await !refreshes(laptop, server, laptopTokens))
            #expect(try await !refreshes(phone, server, phoneTokens))
        }
    }

    @Test("another account's session, posted with one's own token, is not found and keeps working; CSRF is required")
    func foreignSessionAndCSRF() async throws {
        let server = try await TestServer.make()
        try await live(server) { client in
            let alice = Browser(client), mallory = Browser(client)
            let aliceTokens = try await signIn(server, alice, userAgent: Self.firefox, address: "198.51.100.23")
            _ = try await signIn(server, mallory, email: "mallory@example.com", userAgent: Self.iPhone, address: "203.0.113.5")
            let alicePage = Page(try await alice.get("/account"))
            let aliceSession = try sessionId(in: alicePage, of: "Firefox")
            let malloryPage = Page(try await mallory.get("/account"))
            #expect(!malloryPage.html.contains(aliceSession) && !malloryPage.html.contains("Firefox"))
            let theirs = try await mallory.post("/account/sessions/end",
                                                form: [("csrf", try malloryPage.hidden("csrf")), ("session", aliceSession)])
            #expect(theirs.status == .notFound)
            let foreignToken = try await mallory.post("/account/sessions/end",
                                                      form: [("csrf", try alicePage.hidden("csrf")), ("session", aliceSession)])
            #expect(foreignToken.status == .forbidden, "another session's CSRF token is refused")
            #expect(try await alice.post("/account/sessions/end", form: [("session", aliceSession)]).status == .forbidden)
            #expect(try await alice.post("/account/sessions/end-all", form: []).status == .forbidden)
            let crossSite = try await alice.post("/account/sessions/end-all", form: [("csrf", try alicePage.hidden("csrf"))],
                                                 headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(crossSite.status == .forbidden)
            #expect(try await mallory.post("/account/delete", form: [("csrf", try alicePage.hidden("csrf"))]).status == .forbidden)
            #expect(try await alice.get("/account").status == .ok)
            #expect(try await refreshes(alice, server, aliceTokens))
            #expect(try await server.store.auditRecords(matching: AuditFilter(kind: "sessions_revoked"), before: nil, limit: 5).isEmpty)
        }
    }

    @Test("lists the sites the person signed in to; signing out of one revokes its grants and keeps the session")
    func signOutOfSite() async throws {
        let server = try await TestServer.make()
        try await live(server) { client in
            let laptop = Browser(client)
            let tokens = try await signIn(server, laptop, userAgent: Self.firefox, address: "198.51.100.23")
            let page = Page(try await laptop.get("/account"))
            #expect(page.html.contains("<strong>Static Site</strong>") && page.html.contains("aria-label=\"Sign out of Static Site\""))
            let unknown = try await laptop.post("/account/sites/sign-out",
                                                form: [("csrf", try page.hidden("csrf")), ("client", server.confidentialClient.id)])
            #expect(unknown.status == .notFound, "a site the person is not signed in to")
            let out = try await laptop.post("/account/sites/sign-out",
                                            form: [("csrf", try page.hidden("csrf")), ("client", server.publicClient.id)])
            #expect(out.status == .seeOther && out.headers[.location] == "/account")
            #expect(try await !refreshes(laptop, server, tokens))
            let after = Page(try await laptop.get("/account"))
            #expect(after.html.contains("You are not signed in to any site.") && after.html.contains("Firefox (Linux)"))
        }
    }

    @Test("delete my account: an emailed code; a wrong one counts, the right one erases the account and signs out")
    func deleteAccount() async throws {
        let server = try await TestServer.make()
        try await live(server) { client in
            let laptop = Browser(client), phone = Browser(client)
            let tokens = try await signIn(server, laptop, userAgent: Self.firefox, address: "198.51.100.23")
            _ = try await signIn(server, phone, userAgent: Self.iPhone, address: "203.0.113.5")
            let csrf = try Page(try await laptop.get("/account")).hidden("csrf")
            let asked = try await laptop.post("/account/delete", form: [("csrf", csrf)])
            #expect(asked.status == .ok && String(buffer: asked.body).contains("We sent a code to alice@example.com"))
            let code = try #require(try await server.deliveredCode())
            let mail = try #require(await server.mailer.messages.last)
            #expect(mail.subject == "Confirm deleting your account" && mail.text.contains(TestServer.issuer + "/account"))
            let again = try await laptop.post("/account/delete", form: [("csrf", csrf)])
            #expect(String(buffer: again.body).contains("less than a minute ago"), "no second email within the send interval")
            #expect(try await server.deliveredCode() == code)

            let phoneCSRF = try Page(try await phone.get("/account")).hidden("csrf")
            let elsewhere = try await phone.post("/account/delete/confirm", form: [("csrf", phoneCSRF), ("code", code)])
            #expect(elsewhere.status == .badRequest, "the code works only in the browser that asked")
            let wrong = String(code.reversed()) == code ? "00000000" : String(code.reversed())
            let refused = try await laptop.post("/account/delete/confirm", form: [("csrf", csrf), ("code", wrong)])
            #expect(refused.status == .badRequest && String(buffer: refused.body).contains("4 attempts left"))
            #expect(try await server.store.account(email: "alice@example.com") != nil)

            let erased = try await laptop.post("/account/delete/confirm", form: [("csrf", csrf), ("code", code)])
            #expect(erased.status == .ok && String(buffer: erased.body).contains("Your account is deleted"))
            #expect(erased.headers[values: .setCookie].contains { $0.hasPrefix("__Host-logintoo-session=;") && $0.contains("Max-Age=0") })
            #expect(try await server.store.account(email: "alice@example.com") == nil)
            #expect(try await laptop.get("/account").status == .forbidden)
            #expect(try await phone.get("/account").status == .forbidden)
            #expect(try await !refreshes(laptop, server, tokens))
            let trail = try await server.store.auditRecords(matching: AuditFilter(kind: "account_erased"), before: nil, limit: 5)
            #expect(trail.map(\.detail) == ["by=self"] && trail.first?.email?.hasPrefix("erased:") == true)
        }
    }

    @Test("a deletion code expires, and a burned one no longer works")
    func expiredAndBurnedCode() async throws {
        let server = try await TestServer.make()
        try await live(server) { client in
            let laptop = Browser(client)
            _ = try await signIn(server, laptop, userAgent: Self.firefox, address: "198.51.100.23")
            let csrf = try Page(try await laptop.get("/account")).hidden("csrf")
            _ = try await laptop.post("/account/delete", form: [("csrf", csrf)])
            let code = try #require(try await server.deliveredCode())
            server.clock.advance(by: Policy(issuer: TestServer.issuer).codeLifetime)
            let late = try await laptop.post("/account/delete/confirm", form: [("csrf", csrf), ("code", code)])
            #expect(late.status == .badRequest && String(buffer: late.body).contains("has expired or was already used"))

            _ = try await laptop.post("/account/delete", form: [("csrf", csrf)])
            let fresh = try #require(try await server.deliveredCode())
            let wrong = fresh == "12345678" ? "87654321" : "12345678"
            for _ in 1...5 { _ = try await laptop.post("/account/delete/confirm", form: [("csrf", csrf), ("code", wrong)]) }
            let burned = try await laptop.post("/account/delete/confirm", form: [("csrf", csrf), ("code", fresh)])
            #expect(String(buffer: burned.body).contains("has expired or was already used"))
            #expect(try await server.store.account(email: "alice@example.com") != nil)
            #expect(try await laptop.get("/account").status == .ok)
        }
    }
}
