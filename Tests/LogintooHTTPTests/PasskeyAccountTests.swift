import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
import Testing

@Suite("The account page's passkeys")
struct PasskeyAccountTests {
    @Test("lists the session's passkeys with their dates, renames and removes them; a removed passkey no longer signs in")
    func listRenameRemove() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            var authenticator = PasskeyAuthenticator()
            _ = try await PasskeyFlowTests.enroll(server, browser, offer: try await PasskeyFlowTests.codeSignIn(server, browser),
                                                  authenticator: &authenticator)
            let page = Page(try await browser.get("/account"))
            let id = Base64URL.encode(authenticator.credentialId)
            #expect(page.html.contains("alice@example.com") && page.html.contains("value=\"Passkey\""))
            #expect(page.html.contains("Created 2027-01-15 08:00 UTC") && page.html.contains("never used"))
            let csrf = try page.hidden("csrf")
            let renamed = try await browser.post("/account/passkeys/rename", form: [("csrf", csrf), ("id", id), ("name", "  My laptop\n")])
            #expect(renamed.status == .seeOther && renamed.headers[.location] == "/account")
            #expect(Page(try await browser.get("/account")).html.contains("value=\"My laptop\""))

            let stranger = Browser(client)
            var theirKey = PasskeyAuthenticator()
            _ = try await PasskeyFlowTests.enroll(
                server, stranger, offer: try await PasskeyFlowTests.codeSignIn(server, stranger, email: "mallory@example.com"),
                authenticator: &theirKey)
            let theirs = try Page(try await stranger.get("/account")).hidden("csrf")
            let foreign = try await stranger.post("/account/passkeys/remove", form: [("csrf", theirs), ("id", id)])
            #expect(foreign.status == .notFound, "another account's passkey is not found")
            let forged = try await stranger.post("/account/passkeys/remove", form: [("csrf", csrf), ("id", id)])
            #expect(forged.status == .forbidden, "another session's token is refused")

            let removed = try await browser.post("/account/passkeys/remove", form: [("csrf", csrf), ("id", id)])
            #expect(removed.status == .seeOther)
            #expect(!Page(try await browser.get("/account")).html.contains(id))
            let refused = try await PasskeyFlowTests.passkeySignIn(server, Browser(client), &authenticator)
            #expect(refused.status == .badRequest)
        }
    }

    @Test("without a session the account page says so; with one, the login page links to it")
    func signedOut() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            #expect(try await browser.get("/account").status == .forbidden)
            let (tx, _) = try await browser.beginLogin(server)
            #expect(!Page(try await browser.get("/login?tx=\(tx)")).html.contains("href=\"/account\""))
            #expect(try await PasskeyFlowTests.codeSignIn(server, browser, capable: false).status == .seeOther)
            let (again, _) = try await browser.beginLogin(server, authorize: server.authorizeURI(extra: [("prompt", "login")]))
            #expect(Page(try await browser.get("/login?tx=\(again)")).html.contains("href=\"/account\""))
        }
    }
}
