import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
import LogintooMail
import Testing

@Suite("A passkey was added: the email and its \"this wasn't me\"")
struct PasskeyNotMeTests {
    static let sameOrigin: HTTPFields = [HTTPField.Name("Sec-Fetch-Site")!: "same-origin"]

    /// A browser signed in to alice with an emailed code that then created a passkey; the authorization code it continued
    /// with.
    static func enrolled(_ server: TestServer, _ browser: Browser, _ authenticator: inout PasskeyAuthenticator) async throws -> String {
        try await PasskeyFlowTests.enroll(server, browser, offer: try await PasskeyFlowTests.codeSignIn(server, browser),
                                          authenticator: &authenticator)
    }

    @Test("adding a passkey emails the account: the passkey's name, when, and a single-use link; no code, token or key")
    func emailIsQueued() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            var authenticator = PasskeyAuthenticator()
            _ = try await Self.enrolled(server, browser, &authenticator)
            let link = try await server.emailedLink("/passkeys/not-me?t=")
            let message = try #require(await server.mailer.messages.last)
            #expect(message.to == "alice@example.com" && message.subject == Words("en")["email.passkey.subject"])
            #expect(message.text.contains("“Passkey”") && message.text.contains("2027-01-15 08:00 UTC"))
            #expect(message.html?.contains("href=\"https://login.example.com\(link)\"") == true)
            let token = try #require(queryItems(link)["t"])
            #expect(Base64URL.decode(token)?.count == 32, "the link's token is 32 random bytes")
            let stored = try #require(try await server.store.passkey(credentialId: Base64URL.encode(authenticator.credentialId)))
            let session = try #require(browser.cookies[PasskeyFlowTests.session])
            for secret in [stored.publicKey, stored.credentialId, session] {
                #expect(!message.text.contains(secret) && message.html?.contains(secret) == false)
            }
            #expect(message.text.split(separator: "\n").allSatisfy { line in
                !line.filter { $0 != " " }.allSatisfy(\.isNumber) || line.isEmpty
            }, "no code")
            let audit = try await server.store.auditRecords(limit: 10, kind: "passkey_added", email: "alice@example.com")
            #expect(audit.count == 1)
        }
    }

    @Test("the email speaks the adding browser's language and names the browser")
    func languageAndBrowser() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let offer = try await PasskeyFlowTests.codeSignIn(server, browser)
            let options = try await browser.postJSON("/passkeys/registration/options", ["csrf": try Page(offer).hidden("csrf")])
            var authenticator = PasskeyAuthenticator()
            let credential = try JSONSerialization.data(withJSONObject: try authenticator.create(try json(options)))
            let agent = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15"
            _ = try await server.context.passkeys.register(
                sessionToken: try #require(browser.cookies[PasskeyFlowTests.session]),
                response: try JSONDecoder().decode(PasskeyRegistrationJSON.self, from: credential), name: "Mein Mac",
                userAgent: agent, acceptLanguage: "de-DE,de;q=0.9,en;q=0.5")
            _ = try await server.emailedLink("/passkeys/not-me?t=")
            let message = try #require(await server.mailer.messages.last)
            let german = Words("de")
            #expect(message.subject == german["email.passkey.subject"])
            #expect(message.text.contains(german["email.passkey.context", ["date": "2027-01-15 08:00 UTC",
                                                                           "browser": try #require(BrowserDescription.coarse(agent))]]))
            #expect(message.text.contains("„Mein Mac“") && message.html?.contains("lang=\"de\"") == true)
        }
    }

    @Test("a scanner's GET and HEAD change nothing; the same-origin POST removes that passkey and ends the account's sessions")
    func notMe() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            var authenticator = PasskeyAuthenticator()
            let code = try await Self.enrolled(server, browser, &authenticator)
            let tokens = try await browser.post("/token", form: [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", "https://site.example.com/callback"),
                ("client_id", server.publicClient.id), ("code_verifier", TestServer.verifier),
            ])
            let refresh = try #require(try json(tokens)["refresh_token"] as? String)
            let link = try await server.emailedLink("/passkeys/not-me?t=")
            let token = try #require(queryItems(link)["t"])
            server.clock.advance(by: 120)  // past the address's send interval
            let otherBrowser = Browser(client)
            _ = try await otherBrowser.signIn(server)

            let scanner = Browser(client)
            for method in [HTTPRequest.Method.get, .head, .get] {
                #expect(try await scanner.send(link, method: method, headers: [:], body: nil).status == .ok)
            }
            let confirmation = Page(try await scanner.get(link)).html
            #expect(confirmation.contains("alice@example.com") && confirmation.contains("action=\"/passkeys/not-me\""))
            let crossSite = try await scanner.post("/passkeys/not-me", form: [("t", token)],
                                                   headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(crossSite.status == .badRequest)
            #expect(try await browser.get("/account").status == .ok, "nothing changed yet")
            #expect(Page(try await browser.get("/account")).html.contains(Base64URL.encode(authenticator.credentialId)))

            let done = try await scanner.post("/passkeys/not-me", form: [("t", token)], headers: Self.sameOrigin)
            #expect(done.status == .ok && Page(done).html.contains(Words("en")["page.passkey.notme.done.title"]))
            #expect(try await browser.get("/account").status == .forbidden, "the session that added it has ended")
            #expect(try await otherBrowser.get("/account").status == .forbidden, "and every other session of the account")
            let refreshed = try await browser.post("/token", form: [
                ("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", server.publicClient.id),
            ])
            #expect(refreshed.status == .badRequest, "the ended session's grant is revoked")
            #expect(try await PasskeyFlowTests.passkeySignIn(server, Browser(client), &authenticator).status == .badRequest,
                    "the passkey no longer signs in")
            #expect(try await server.store.auditRecords(limit: 10, kind: "passkey_removed", email: "alice@example.com").count == 1)
            let ended = try await server.store.auditRecords(limit: 10, kind: "sessions_ended", email: "alice@example.com")
            #expect(ended.count == 1 && ended.first?.detail?.hasPrefix("sessions=2") == true)

            #expect(try await scanner.post("/passkeys/not-me", form: [("t", token)], headers: Self.sameOrigin).status == .badRequest,
                    "the link works once")
            #expect(try await scanner.get(link).status == .notFound)
        }
    }

    @Test("the notice renders in every language: name, time, browser and link in both parts, no placeholder left",
          arguments: Translations.languages)
    func everyLanguage(language: String) throws {
        let link = "https://login.example.com/passkeys/not-me?t=" + String(repeating: "x", count: 43)
        let message = try TemplatedSignInEmailComposer(serverName: "login.example.com").compose(PasskeyAddedEmail(
            to: "alice@example.com", passkeyName: "Laptop", language: language, addedAt: 1_800_000_000, browser: "Firefox (Linux)",
            notMeURL: link))
        let html = try #require(message.html)
        for part in [message.text, html] {
            #expect(part.contains("Laptop") && part.contains("2027-01-15 08:00 UTC") && part.contains("Firefox (Linux)"))
            #expect(part.contains(link) && part.contains("login.example.com") && !part.contains("{"))
        }
        #expect(html.contains("lang=\"\(language)\"") && !message.subject.isEmpty && !message.subject.contains("{"))
    }

    @Test("an unknown or overlong link shows a page and changes nothing")
    func unknown() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let unknown = try await client.execute(uri: "/passkeys/not-me?t=nothing", method: .get)
            #expect(unknown.status == .notFound)
            let without = try await client.execute(uri: "/passkeys/not-me", method: .get)
            #expect(without.status == .notFound)
            let overlong = try await Browser(client).post("/passkeys/not-me", form: [("t", String(repeating: "A", count: 65))],
                                                         headers: Self.sameOrigin)
            #expect(overlong.status == .badRequest)
        }
    }
}
