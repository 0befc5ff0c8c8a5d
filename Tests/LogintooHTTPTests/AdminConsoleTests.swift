import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
import NIOCore
import Testing

/// The admin console (docs/security.md N86): it signs in through this server as a client, lets only admin accounts in,
/// and every form needs the console session's CSRF token.
@Suite("The admin console")
struct AdminConsoleTests {
    /// The console's client as the server registers it at start.
    static func registerConsole(_ server: TestServer) async throws {
        let console = AdminConsole.client(issuer: TestServer.issuer)
        _ = try await ClientRegistry(store: server.store, clock: server.clock, random: server.random).register(
            name: console.name, redirectURIs: console.redirectURIs, postLogoutRedirectURIs: [], confidential: false,
            settings: ClientSettings(), id: AdminConsole.clientId)
    }

    static func makeAdmin(_ server: TestServer, _ email: String) async throws {
        let roles = AdminRoles(store: server.store, clock: server.clock, random: server.random, events: DiscardingEventSink())
        #expect(try await roles.grant(email: email, actor: "cli"))
    }

    /// Opens `/admin` in `browser` and signs in there as `email` with an emailed code; the callback's answer.
    static func consoleSignIn(_ server: TestServer, _ browser: Browser, email: String) async throws -> TestResponse {
        server.clock.advance(by: 120)
        let start = try await browser.get("/admin")
        #expect(start.status == .seeOther)
        let authorize = try #require(start.headers[.location])
        #expect(authorize.hasPrefix("/authorize?") && authorize.contains("client_id=\(AdminConsole.clientId)"))
        #expect(authorize.contains("max_age=\(AdminConsole.sessionLifetime)"), "an old sign-in is asked again, not looped")
        let redirect = try await browser.signIn(server, authorize: authorize, email: email)
        #expect(redirect.hasPrefix(TestServer.issuer + AdminConsole.callbackPath))
        return try await browser.get(String(redirect.dropFirst(TestServer.issuer.count)))
    }

    static func cookie(_ browser: Browser) -> String? { browser.cookies["__Host-logintoo-admin"] }

    @Test("an admin signs in through the hosted pages, finds an account and disables, enables and erases it")
    func adminFlow() async throws {
        let server = try await TestServer.make()
        try await Self.registerConsole(server)
        try await Self.makeAdmin(server, "admin@example.com")
        try await server.test { client in
            let person = Browser(client)
            _ = try await person.signIn(server, email: "bob@example.com")
            let bob = try #require(try await server.store.account(email: "bob@example.com"))

            let admin = Browser(client)
            let callback = try await Self.consoleSignIn(server, admin, email: "admin@example.com")
            #expect(callback.status == .seeOther && callback.headers[.location] == "/admin")
            #expect(Self.cookie(admin) != nil)
            let home = try await admin.get("/admin?q=BOB")
            #expect(home.status == .ok)
            let page = String(buffer: home.body)
            #expect(page.contains("bob@example.com") && page.contains("/admin/accounts/\(bob.id)"))
            #expect(home.headers[.contentSecurityPolicy] != nil)

            let accountPage = try await admin.get("/admin/accounts/\(bob.id)")
            let csrf = try Page(accountPage).hidden("csrf")
            let disabled = try await admin.post("/admin/accounts/\(bob.id)/disable", form: [("csrf", csrf)])
            #expect(disabled.status == .seeOther)
            #expect(try await server.store.account(id: bob.id)?.disabledAt != nil)
            let audit = try await server.store.auditRecords(limit: 5, kind: "account_disabled", email: "bob@example.com")
            let adminAccount = try #require(try await server.store.account(email: "admin@example.com"))
            #expect(audit.first?.detail?.hasPrefix("by=account:\(adminAccount.id)") == true, "the trail names the admin")

            _ = try await admin.post("/admin/accounts/\(bob.id)/enable", form: [("csrf", csrf)])
            #expect(try await server.store.account(id: bob.id)?.disabledAt == nil)
            let unconfirmed = try await admin.post("/admin/accounts/\(bob.id)/erase", form: [("csrf", csrf)])
            let kept = try await server.store.account(id: bob.id)
            #expect(unconfirmed.status == .badRequest && kept != nil)
            let erased = try await admin.post("/admin/accounts/\(bob.id)/erase", form: [("csrf", csrf), ("confirm", "erase")])
            let gone = try await server.store.account(id: bob.id)
            #expect(erased.status == .seeOther && gone == nil)

            #expect(try await admin.get("/admin/audit?kind=account_erased").status == .ok)
            #expect(String(buffer: try await admin.get("/admin/clients").body).contains(AdminConsole.clientId))
        }
    }

    @Test("a person who is not an admin is refused, and the console's grant for them is revoked")
    func notAdmin() async throws {
        let server = try await TestServer.make()
        try await Self.registerConsole(server)
        try await server.test { client in
            let browser = Browser(client)
            let callback = try await Self.consoleSignIn(server, browser, email: "mallory@example.com")
            #expect(callback.status == .forbidden && Self.cookie(browser) == nil)
            let mallory = try #require(try await server.store.account(email: "mallory@example.com"))
            let grants = try await server.store.grants(accountId: mallory.id, now: server.clock.now())
            #expect(!grants.contains { $0.clientId == AdminConsole.clientId }, "no live console grant is left")
            #expect(try await browser.get("/admin").status == .seeOther, "still not signed in to the console")
        }
    }

    @Test("forms need the console session's token; a revoked role or an ended session signs the console out")
    func csrfAndRevocation() async throws {
        let server = try await TestServer.make()
        try await Self.registerConsole(server)
        try await Self.makeAdmin(server, "admin@example.com")
        try await Self.makeAdmin(server, "other-admin@example.com")
        try await server.test { client in
            let person = Browser(client)
            _ = try await person.signIn(server, email: "bob@example.com")
            let bob = try #require(try await server.store.account(email: "bob@example.com"))
            let admin = Browser(client)
            _ = try await Self.consoleSignIn(server, admin, email: "admin@example.com")
            let other = Browser(client)
            _ = try await Self.consoleSignIn(server, other, email: "other-admin@example.com")
            let foreign = try Page(try await other.get("/admin/accounts/\(bob.id)")).hidden("csrf")

            for form in [[(String, String)](), [("csrf", "forged")], [("csrf", foreign)]] {
                let refused = try await admin.post("/admin/accounts/\(bob.id)/disable", form: form)
                #expect(refused.status == .forbidden)
            }
            let crossSite = try await admin.post("/admin/accounts/\(bob.id)/disable",
                                                 form: [("csrf", try Page(try await admin.get("/admin")).hidden("csrf"))],
                                                 headers: [HTTPField.Name("Sec-Fetch-Site")!: "cross-site"])
            #expect(crossSite.status == .forbidden)
            #expect(try await server.store.account(id: bob.id)?.disabledAt == nil, "nothing changed")

            let wrongState = try await Browser(client).get("/admin/callback?code=abc&state=def")
            #expect(wrongState.status == .badRequest)

            let session = try #require(Self.cookie(admin))
            let atToken = try await admin.post("/token", form: [("grant_type", "refresh_token"), ("refresh_token", session),
                                                                ("client_id", AdminConsole.clientId)])
            #expect(atToken.status == .badRequest && String(buffer: atToken.body).contains("unauthorized_client"),
                    "the console's session is no refresh token anyone can use")

            let roles = AdminRoles(store: server.store, clock: server.clock, random: server.random, events: DiscardingEventSink())
            #expect(try await roles.revoke(email: "admin@example.com", actor: "cli"))
            #expect(try await admin.get("/admin").status == .seeOther, "the next request starts a sign-in")
            #expect(try await roles.grant(email: "admin@example.com", actor: "cli"))
            #expect(try await admin.get("/admin").status == .seeOther, "granting again brings the old console session back")
            let csrf = try Page(try await other.get("/admin")).hidden("csrf")
            let signedOut = try await other.post("/admin/logout", form: [("csrf", csrf)])
            #expect(signedOut.status == .seeOther)
            #expect(signedOut.headers[values: .setCookie].contains { $0.hasPrefix("__Host-logintoo-admin=;") && $0.contains("Max-Age=0") })
            #expect(try await other.get("/admin").status == .seeOther, "the old cookie's grant is revoked")
        }
    }

    @Test("the admin API cannot change, remove or give a secret to the console's built-in client")
    func builtInClient() async throws {
        let server = try await TestServer.make()
        try await Self.registerConsole(server)
        try await server.test { client in
            let access = ClientCredentialsTests()
            let token = try await access.adminToken(client, try await access.adminClient(server))
            let headers: HTTPFields = [.authorization: "Bearer " + token, .contentType: "application/json"]
            let path = "/admin/api/clients/\(AdminConsole.clientId)"
            let changed = try await client.execute(uri: path, method: .patch, headers: headers,
                                                   body: ByteBuffer(string: #"{"redirect_uris": ["https://evil.example/cb"]}"#))
            #expect(changed.status == .conflict)
            #expect(try await client.execute(uri: path, method: .delete, headers: headers).status == .conflict)
            #expect(try await client.execute(uri: path + "/secret", method: .post, headers: headers).status == .conflict)
            let kept = try await server.store.client(id: AdminConsole.clientId)
            #expect(kept?.redirectURIs == AdminConsole.client(issuer: TestServer.issuer).redirectURIs && kept?.isConfidential == false)
        }
    }
}
