import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
import Testing

/// The admin console's clients, signing keys and outbox pages (docs/security.md N86): the admin API's operations through
/// forms carrying the console session's CSRF token, audited with the console's admin.
@Suite("The admin console: clients, keys and the outbox")
struct AdminConsoleOperationsTests {
    let access = ClientCredentialsTests()

    /// A server with the console's client, and `admin@example.com` an admin.
    static func server() async throws -> TestServer {
        let server = try await TestServer.make()
        try await AdminConsoleTests.registerConsole(server)
        try await AdminConsoleTests.makeAdmin(server, "admin@example.com")
        return server
    }

    /// A browser signed in to the console as `email`.
    static func admin(_ server: TestServer, _ client: any TestClientProtocol, email: String = "admin@example.com") async throws
        -> Browser {
        let browser = Browser(client)
        let callback = try await AdminConsoleTests.consoleSignIn(server, browser, email: email)
        #expect(callback.status == .seeOther && callback.headers[.location] == "/admin")
        return browser
    }

    /// The text of the element with `id` on `response`'s page.
    static func text(_ response: TestResponse, id: String) throws -> String {
        let page = String(buffer: response.body)
        let start = try #require(page.range(of: "id=\"\(id)\">")).upperBound
        let end = try #require(page[start...].firstIndex(of: "<"))
        return String(page[start..<end])
    }

    static func csrf(_ browser: Browser, _ path: String = "/admin/clients") async throws -> String {
        try Page(try await browser.get(path)).hidden("csrf")
    }

    /// Creates a client through the "New client" form; the answer's client id and its secret, shown once.
    static func create(_ browser: Browser, _ fields: [(String, String)]) async throws -> (id: String, secret: String?) {
        let created = try await browser.post("/admin/clients", form: [("csrf", try await csrf(browser))] + fields)
        #expect(created.status == .ok, "\(String(buffer: created.body))")
        let secretShown = String(buffer: created.body).contains("id=\"admin-client-secret\"")
        return (try text(created, id: "admin-client-id"), secretShown ? try text(created, id: "admin-client-secret") : nil)
    }

    func trail(_ server: TestServer, client id: String) async throws -> [AuditRecord] {
        try await server.store.auditRecords(matching: AuditFilter(clientId: id), before: nil, limit: 20)
    }

    @Test("an admin creates a client (its secret shown once, working at /token) and a public one whose redirect URI they change")
    func createAndEdit() async throws {
        let server = try await Self.server()
        try await server.test { client in
            let admin = try await Self.admin(server, client)
            let adminAccount = try #require(try await server.store.account(email: "admin@example.com"))
            let list = String(buffer: try await admin.get("/admin/clients").body)
            #expect(list.contains("/admin/clients/\(server.publicClient.id)") && list.contains("id=\"admin-new-client\""))
            let style = try await client.execute(uri: "/assets/admin.css", method: .get)
            #expect(list.contains("href=\"/assets/admin.css\"") && style.status == .ok && String(buffer: style.body).contains("textarea"))

            let (jobId, secret) = try await Self.create(admin, [("name", "Nightly job"), ("confidential", "on"), ("admin", "on")])
            let jobSecret = try #require(secret)
            #expect(try await access.clientCredentials(client, jobId, jobSecret, scope: "admin").status == .ok)
            let jobPage = try await admin.get("/admin/clients/\(jobId)")
            #expect(jobPage.status == .ok && !String(buffer: jobPage.body).contains(jobSecret), "the secret is shown once only")
            for name in ClientFields.names {
                #expect(String(buffer: jobPage.body).contains("name=\"\(name)\""), "the page edits \(name)")
            }
            let created = try await trail(server, client: jobId).first { $0.kind == "client_created" }
            #expect(created?.detail == "by=account:\(adminAccount.id)", "the trail names the console's admin")

            let (appId, none) = try await Self.create(admin, [("name", "App"), ("redirect_uris", "https://old.example.com/cb\r\n")])
            #expect(none == nil, "a public client has no secret")
            let old = try #require(try await server.store.client(id: appId))
            #expect(old.redirectURIs == ["https://old.example.com/cb"] && !old.isConfidential)
            #expect(try await client.execute(uri: server.authorizeURI(client: old), method: .get).status == .seeOther)

            let csrf = try await Self.csrf(admin, "/admin/clients/\(appId)")
            let saved = try await admin.post("/admin/clients/\(appId)", form: [
                ("csrf", csrf), ("name", "App"), ("redirect_uris", "https://new.example.com/cb\nhttps://new.example.com/cb2"),
                ("access_token_lifetime", "600"), ("refresh_sliding", "false"),
            ])
            #expect(saved.status == .seeOther && saved.headers[.location] == "/admin/clients/\(appId)?done=saved")
            let new = try #require(try await server.store.client(id: appId))
            #expect(new.redirectURIs == ["https://new.example.com/cb", "https://new.example.com/cb2"])
            #expect(new.settings.accessTokenLifetime == 600 && new.settings.refreshSliding == false && new.name == "App")
            let refused = try await client.execute(uri: server.authorizeURI(client: old), method: .get)
            #expect(refused.status == .badRequest && refused.headers[.location] == nil, "the old redirect URI is refused at once")
            #expect(try await client.execute(uri: server.authorizeURI(client: new), method: .get).status == .seeOther)
            let updated = try await trail(server, client: appId).first { $0.kind == "client_updated" }
            #expect(updated?.detail == "by=account:\(adminAccount.id) fields=access_token_lifetime,redirect_uris,refresh_sliding",
                    "only the changed fields are sent")
            let unchanged = try await admin.post("/admin/clients/\(appId)", form: [
                ("csrf", csrf), ("name", "App"), ("redirect_uris", "https://new.example.com/cb\nhttps://new.example.com/cb2"),
                ("access_token_lifetime", "600"), ("refresh_sliding", "false"),
            ])
            #expect(unchanged.headers[.location] == "/admin/clients/\(appId)?done=unchanged")
        }
    }

    @Test("a refused field shows its name and reason on the form with 400, and nothing changes")
    func refusedField() async throws {
        let server = try await Self.server()
        try await server.test { client in
            let admin = try await Self.admin(server, client)
            let id = server.publicClient.id
            let csrf = try await Self.csrf(admin, "/admin/clients/\(id)")
            let kept = [("csrf", csrf), ("name", server.publicClient.name), ("redirect_uris", server.publicClient.redirectURIs[0]),
                        ("post_logout_redirect_uris", server.publicClient.postLogoutRedirectURIs[0]),
                        ("resources", server.publicClient.settings.resources!.joined(separator: "\n"))]
            for (field, value, reason) in [("accent_color", "#ffff00", "4.5:1"), ("code_digits", "twelve", "whole number"),
                                           ("code_digits", "12", "between 6 and 10"), ("redirect_uris", "http://evil.example/cb", "use https"),
                                           ("name", "", "1 to 100 characters"), ("refresh_sliding", "maybe", "true, false")] {
                let form = kept.filter { $0.0 != field } + [(field, value)]
                let answer = try await admin.post("/admin/clients/\(id)", form: form)
                let page = String(buffer: answer.body)
                #expect(answer.status == .badRequest, "\(field)=\(value)")
                #expect(page.contains("id=\"error-\(field)\">\(field): ") && page.contains(reason) && page.contains("aria-invalid"),
                        "\(field)=\(value): \(page)")
            }
            #expect(try await server.store.client(id: id) == server.publicClient, "nothing changed")

            let count = try await server.store.clients().count
            let badNew = try await admin.post("/admin/clients", form: [("csrf", csrf), ("name", "Evil"),
                                                                      ("redirect_uris", "http://evil.example/cb")])
            #expect(badNew.status == .badRequest && String(buffer: badNew.body).contains("id=\"error-redirect_uris\""))
            let notAdmin = try await admin.post("/admin/clients", form: [("csrf", csrf), ("name", "Script"), ("admin", "on")])
            #expect(notAdmin.status == .badRequest && String(buffer: notAdmin.body).contains("id=\"error-admin\""),
                    "an admin client must be confidential")
            #expect(try await server.store.clients().count == count, "no client was made")
        }
    }

    @Test("a rotated secret is shown once; the old one fails at /token at once; a public client has none to rotate")
    func secretRotation() async throws {
        let server = try await Self.server()
        try await server.test { client in
            let admin = try await Self.admin(server, client)
            let (id, first) = try await Self.create(admin, [("name", "Script"), ("confidential", "on"), ("admin", "on")])
            let old = try #require(first)
            let csrf = try await Self.csrf(admin, "/admin/clients/\(id)")
            let rotated = try await admin.post("/admin/clients/\(id)/secret", form: [("csrf", csrf)])
            #expect(rotated.status == .ok && rotated.headers[.cacheControl] == "no-store")
            let new = try Self.text(rotated, id: "admin-client-secret")
            let clientPage = String(buffer: try await admin.get("/admin/clients/\(id)").body)
            #expect(new != old && !clientPage.contains(new), "shown once")
            #expect(try await access.clientCredentials(client, id, old, scope: "admin").status == .unauthorized, "the old secret fails")
            #expect(try await access.clientCredentials(client, id, new, scope: "admin").status == .ok)
            #expect(try await trail(server, client: id).contains { $0.kind == "client_secret_rotated" })

            let publicClient = try await admin.post("/admin/clients/\(server.publicClient.id)/secret", form: [("csrf", csrf)])
            #expect(publicClient.status == .conflict && String(buffer: publicClient.body).contains("no secret to rotate"))
            #expect(try await server.store.client(id: server.publicClient.id) == server.publicClient)
        }
    }

    @Test("removing needs the confirmation box; then the client is gone and its removal is in the trail")
    func removal() async throws {
        let server = try await Self.server()
        try await server.test { client in
            let admin = try await Self.admin(server, client)
            let id = server.confidentialClient.id
            let csrf = try await Self.csrf(admin, "/admin/clients/\(id)")
            let unconfirmed = try await admin.post("/admin/clients/\(id)/remove", form: [("csrf", csrf)])
            #expect(unconfirmed.status == .badRequest && String(buffer: unconfirmed.body).contains("Tick the box"))
            #expect(try await server.store.client(id: id) != nil)
            let removed = try await admin.post("/admin/clients/\(id)/remove", form: [("csrf", csrf), ("confirm", "remove")])
            #expect(removed.status == .seeOther && removed.headers[.location] == "/admin/clients?done=removed")
            #expect(try await server.store.client(id: id) == nil)
            #expect(try await access.clientCredentials(client, id, server.confidentialSecret).status == .unauthorized)
            #expect(try await trail(server, client: id).contains { $0.kind == "client_removed" })
            #expect(try await admin.get("/admin/clients/\(id)").status == .notFound)
            #expect(try await admin.post("/admin/clients/\(id)/remove", form: [("csrf", csrf), ("confirm", "remove")]).status
                    == .notFound)
        }
    }

    @Test("the console's own client is shown read-only, and no form changes, rotates or removes it")
    func builtInClient() async throws {
        let server = try await Self.server()
        try await server.test { client in
            let admin = try await Self.admin(server, client)
            let path = "/admin/clients/\(AdminConsole.clientId)"
            let page = try await admin.get(path)
            let html = String(buffer: page.body)
            #expect(page.status == .ok && html.contains("id=\"admin-built-in\""))
            for control in ["admin-client-save", "admin-rotate-secret", "admin-remove-client"] {
                #expect(!html.contains("id=\"\(control)\""), "no \(control)")
            }
            let csrf = try Page(page).hidden("csrf")
            let before = try await server.store.client(id: AdminConsole.clientId)
            for (action, form) in [("", [("name", "Mine"), ("redirect_uris", "https://evil.example/cb")]), ("", []),
                                   ("/secret", []), ("/remove", [("confirm", "remove")]), ("/remove", [])] {
                let refused = try await admin.post(path + action, form: [("csrf", csrf)] + form)
                #expect(refused.status == .conflict && String(buffer: refused.body).contains("built in"), "\(action) \(form)")
            }
            #expect(try await server.store.client(id: AdminConsole.clientId) == before, "unchanged")
        }
    }

    @Test("keys are listed; a rotation publishes the next key, and a bad delay is refused on the form")
    func keys() async throws {
        let server = try await Self.server()
        try await server.test { client in
            let admin = try await Self.admin(server, client)
            let list = try await admin.get("/admin/keys")
            #expect(list.status == .ok && String(buffer: list.body).contains("<strong>active</strong>"))
            #expect(String(buffer: list.body).contains("value=\"\(KeyLifecycle.defaultActivationDelay)\""), "the default delay")
            let csrf = try Page(list).hidden("csrf")
            for delay in ["86401", "-1", "soon"] {
                let refused = try await admin.post("/admin/keys/rotate", form: [("csrf", csrf), ("activate_in", delay)])
                #expect(refused.status == .badRequest && String(buffer: refused.body).contains("id=\"activate-in-error\""), "\(delay)")
            }
            #expect(try await server.store.signingKeys().count == 1, "no key was made")
            let rotated = try await admin.post("/admin/keys/rotate", form: [("csrf", csrf), ("activate_in", "60")])
            #expect(rotated.status == .seeOther && rotated.headers[.location] == "/admin/keys?done=rotated")
            let keys = try await server.store.signingKeys()
            let next = try #require(keys.first { $0.activatesAt == server.clock.now() + 60 })
            let after = String(buffer: try await admin.get("/admin/keys?done=rotated").body)
            #expect(after.contains(next.kid) && after.contains("next, signs from") && after.contains("id=\"admin-notice\""))
            #expect(String(buffer: try await client.execute(uri: "/.well-known/jwks.json", method: .get).body).contains(next.kid))
            let published = try await server.store.auditRecords(matching: AuditFilter(kind: "key_published"), before: nil, limit: 5)
            #expect(published.count == 1)
        }
    }

    @Test("a failed email is listed without its content and retried; a sent one is a 409 notice, an unknown one 404")
    func outboxRetry() async throws {
        let server = try await Self.server()
        try await server.test { client in
            let admin = try await Self.admin(server, client)
            let adminAccount = try #require(try await server.store.account(email: "admin@example.com"))
            let outbox = OutboxTests()
            let mailer = OutboxTests.FlakyMailer()
            let worker = outbox.worker(server, mailer: mailer)
            try await outbox.queue(server)
            #expect(try await worker.deliverDue() == 1)
            let id = try #require(try await server.store.undeliveredMessages(.failed, limit: 5).first?.id)

            let list = try await admin.get("/admin/outbox")
            let page = String(buffer: list.body)
            #expect(list.status == .ok && page.contains("alice@example.com") && page.contains("failed") && page.contains("last error"))
            #expect(page.contains("id=\"admin-retry-\(id)\"") && !page.contains("sealed"))
            let csrf = try Page(list).hidden("csrf")

            await mailer.heal()
            #expect(try await worker.deliverDue() == 0, "not due before its backoff")
            let retried = try await admin.post("/admin/outbox/\(id)/retry", form: [("csrf", csrf)])
            #expect(retried.status == .seeOther && retried.headers[.location] == "/admin/outbox?done=retried")
            #expect(try await worker.deliverDue() == 1, "due at once")
            #expect(await mailer.sent == [id])
            #expect(String(buffer: try await admin.get("/admin/outbox").body).contains("id=\"admin-outbox-empty\""))

            let again = try await admin.post("/admin/outbox/\(id)/retry", form: [("csrf", csrf)])
            #expect(again.status == .conflict && String(buffer: again.body).contains("sent already"))
            #expect(try await admin.post("/admin/outbox/nothing/retry", form: [("csrf", csrf)]).status == .notFound)
            let trail = try await server.store.auditRecords(matching: AuditFilter(kind: "outbox_retried"), before: nil, limit: 5)
            #expect(trail.count == 1 && trail[0].detail == "by=account:\(adminAccount.id)")
        }
    }

    @Test("every new form refuses a missing, forged or foreign CSRF token, and a request without a console session")
    func csrf() async throws {
        let server = try await Self.server()
        try await AdminConsoleTests.makeAdmin(server, "other-admin@example.com")
        try await server.test { client in
            let admin = try await Self.admin(server, client)
            let other = try await Self.admin(server, client, email: "other-admin@example.com")
            let foreign = try await Self.csrf(other)
            let id = server.confidentialClient.id
            let forms: [(String, [(String, String)])] = [
                ("/admin/clients", [("name", "Sneaky"), ("confidential", "on")]),
                ("/admin/clients/\(id)", [("name", "Renamed"), ("redirect_uris", "https://evil.example/cb")]),
                ("/admin/clients/\(id)/secret", []), ("/admin/clients/\(id)/remove", [("confirm", "remove")]),
                ("/admin/keys/rotate", [("activate_in", "0")]), ("/admin/outbox/m1/retry", []),
            ]
            let clients = try await server.store.clients()
            for (path, fields) in forms {
                for token in [[(String, String)](), [("csrf", "forged")], [("csrf", foreign)]] {
                    #expect(try await admin.post(path, form: token + fields).status == .forbidden, "\(path) \(token)")
                }
                let signedOut = try await Browser(client).post(path, form: [("csrf", foreign)] + fields)
                #expect(signedOut.status == .forbidden, "\(path) without a console session")
            }
            #expect(try await server.store.clients() == clients, "no client was made, changed or removed")
            #expect(try await server.store.signingKeys().count == 1, "no key was made")
        }
    }
}
