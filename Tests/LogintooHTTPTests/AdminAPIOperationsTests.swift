import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
import NIOCore
import Testing

/// The admin API's client, signing-key and outbox operations over HTTP (docs/security.md N85–N88): only an admin token
/// reaches them; clients are created, read, changed, removed and their secrets rotated, and each change counts at once
/// at /authorize and /token; keys are listed and rotated; an undelivered email is retried.
@Suite("The admin API: clients, keys and the outbox")
struct AdminAPIOperationsTests {
    let access = ClientCredentialsTests()
    let accounts = AdminAPITests()

    func send(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, token: String?,
              json body: String? = nil) async throws -> AdminAPITests.Answer {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer " + token }
        if body != nil { headers[.contentType] = "application/json" }
        let response = try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
        return AdminAPITests.Answer(status: response.status, headers: response.headers, raw: String(buffer: response.body))
    }

    func adminToken(_ server: TestServer, _ client: any TestClientProtocol) async throws -> (String, String) {
        let admin = try await access.adminClient(server)
        return (try await access.adminToken(client, admin), admin.client.id)
    }

    func kinds(_ server: TestServer, client id: String) async throws -> [String] {
        try await server.store.auditRecords(matching: AuditFilter(clientId: id), before: nil, limit: 50).map(\.kind)
    }

    @Test("every client, key and outbox route refuses no token, a person's token and a garbage one, changing nothing")
    func refusals() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let (_, _, personToken) = try await accounts.person(server, client)
            let id = server.publicClient.id
            let routes: [(HTTPRequest.Method, String)] = [
                (.post, "/admin/api/clients"), (.get, "/admin/api/clients/\(id)"), (.patch, "/admin/api/clients/\(id)"),
                (.delete, "/admin/api/clients/\(id)"), (.post, "/admin/api/clients/\(id)/secret"), (.get, "/admin/api/keys"),
                (.post, "/admin/api/keys/rotate"), (.get, "/admin/api/outbox"), (.post, "/admin/api/outbox/m1/retry"),
                (.get, "/admin/api/deliveries"),
            ]
            let keysBefore = try await server.store.signingKeys().count
            for (method, path) in routes {
                for token in [nil, personToken, "not-a-token"] as [String?] {
                    let answer = try await send(client, method, path, token: token, json: #"{"name":"Intruder"}"#)
                    #expect(answer.status == .unauthorized && answer.json["error"] as? String == "invalid_token", "\(method) \(path)")
                }
            }
            #expect(try await server.store.clients().count == 2, "no client was made, none removed")
            #expect(try await server.store.signingKeys().count == keysBefore)
        }
    }

    @Test("an admin creates a client with every setting, reads it (no secret), changes it and removes it; the trail names the admin")
    func clientLifecycle() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let (token, adminId) = try await adminToken(server, client)
            let created = try await send(client, .post, "/admin/api/clients", token: token, json: """
                {"name": "Shop", "redirect_uris": ["https://shop.example.com/cb"], "confidential": true,
                 "access_token_lifetime": 600, "refresh_idle_lifetime": 86400, "refresh_absolute_lifetime": 604800,
                 "refresh_sliding": false, "code_digits": 6, "code_lifetime": 600, "code_max_attempts": 3,
                 "token_audience": "https://api.shop.example.com", "reply_to": "help@shop.example.com",
                 "email_subject": "Your Shop code", "logo_url": "https://shop.example.com/logo.png",
                 "resources": ["https://api.shop.example.com"], "accent_color": "#2457d6", "sender_name": "Shop"}
                """)
            #expect(created.status == .created && created.headers[.cacheControl] == "no-store")
            let id = try #require(created.json["id"] as? String)
            let secret = try #require(created.json["client_secret"] as? String)
            let stored = try #require(try await server.store.client(id: id))
            #expect(stored.secretHash == SecretDigest.sha256(secret) && !stored.isAdmin)
            #expect(stored.settings == ClientSettings(
                accessTokenLifetime: 600, refreshIdleLifetime: 86_400, refreshAbsoluteLifetime: 604_800, refreshSliding: false,
                codeDigits: 6, codeLifetime: 600, codeMaxAttempts: 3, tokenAudience: "https://api.shop.example.com",
                replyTo: "help@shop.example.com", emailSubject: "Your Shop code", logoURL: "https://shop.example.com/logo.png",
                resources: ["https://api.shop.example.com"], accentColor: "#2457d6", senderName: "Shop"))

            let shown = try await send(client, .get, "/admin/api/clients/\(id)", token: token)
            #expect(shown.status == .ok && shown.json["code_digits"] as? Int == 6 && shown.json["sender_name"] as? String == "Shop")
            #expect(shown.json["confidential"] as? Bool == true && !shown.raw.contains(secret) && !shown.raw.contains("secret"))

            let changed = try await send(client, .patch, "/admin/api/clients/\(id)", token: token,
                                         json: ##"{"name": "Shop 2", "code_digits": null, "accent_color": "#112233"}"##)
            #expect(changed.status == .ok && changed.json["name"] as? String == "Shop 2" && changed.json["code_digits"] == nil)
            #expect(changed.json["client_secret"] == nil, "a change shows no secret")
            let after = try #require(try await server.store.client(id: id))
            #expect(after.settings.codeDigits == nil && after.settings.accentColor == "#112233" && after.settings.codeMaxAttempts == 3)

            let removed = try await send(client, .delete, "/admin/api/clients/\(id)", token: token)
            #expect(removed.status == .ok && removed.json["removed"] as? Bool == true)
            #expect(try await server.store.client(id: id) == nil)
            for (method, path) in [(HTTPRequest.Method.get, ""), (.patch, ""), (.delete, ""), (.post, "/secret")] {
                let gone = try await send(client, method, "/admin/api/clients/\(id)\(path)", token: token, json: #"{"name":"x"}"#)
                #expect(gone.status == .notFound && gone.json["error"] as? String == "not_found", "\(method) \(path)")
            }
            let trail = try await server.store.auditRecords(matching: AuditFilter(clientId: id), before: nil, limit: 10)
            #expect(trail.map(\.kind) == ["client_removed", "client_updated", "client_created"])
            #expect(trail.allSatisfy { $0.detail?.hasPrefix("by=client:\(adminId)") == true })
            #expect(trail[1].detail == "by=client:\(adminId) fields=accent_color,code_digits,name")
        }
    }

    @Test("bad input is refused with 400 naming the field, and nothing is saved")
    func badInput() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let (token, _) = try await adminToken(server, client)
            let cases: [(String, String)] = [
                (#"{"redirect_uris": ["https://a.example.com/cb"]}"#, "name"),
                (#"{"name": "", "redirect_uris": ["https://a.example.com/cb"]}"#, "name"),
                (#"{"name": "A"}"#, "redirect_uris"),
                (#"{"name": "A", "redirect_uris": ["http://a.example.com/cb"]}"#, "redirect_uris"),
                (#"{"name": "A", "redirect_uris": "https://a.example.com/cb"}"#, "redirect_uris"),
                (#"{"name": "A", "redirect_uris": ["https://a.example.com/cb"], "post_logout_redirect_uris": ["x"]}"#,
                 "post_logout_redirect_uris"),
                (#"{"name": "A", "redirect_uris": ["https://a.example.com/cb"], "code_digits": 5}"#, "code_digits"),
                (#"{"name": "A", "redirect_uris": ["https://a.example.com/cb"], "code_lifetime": 6.5}"#, "code_lifetime"),
                (#"{"name": "A", "redirect_uris": ["https://a.example.com/cb"], "accent_color": "red"}"#, "accent_color"),
                (#"{"name": "A", "redirect_uris": ["https://a.example.com/cb"], "sender_name": "a@b"}"#, "sender_name"),
                (#"{"name": "A", "redirect_uris": ["https://a.example.com/cb"], "resources": ["not a uri"]}"#, "resources"),
                (#"{"name": "A", "admin": true}"#, "admin"),
                (##"{"name": "A", "redirect_uris": ["https://a.example.com/cb"], "colour": "#000000"}"##, "colour"),
                (#"{"name": "A", "redirect_uris": ["https://a.example.com/cb"], "confidential": "yes"}"#, "confidential"),
            ]
            for (body, field) in cases {
                let answer = try await send(client, .post, "/admin/api/clients", token: token, json: body)
                #expect(answer.status == .badRequest && answer.json["error"] as? String == "invalid_request", "\(body)")
                #expect((answer.json["error_description"] as? String)?.hasPrefix(field + ":") == true, "\(body): \(answer.raw)")
            }
            for body in ["", "[]", "{\"name\": \"A\", \"name\": \"B\"}", "{"] {
                let answer = try await send(client, .post, "/admin/api/clients", token: token, json: body)
                #expect(answer.status == .badRequest, "\(body)")
            }
            let id = server.publicClient.id
            for (body, field) in [(#"{"secret_hash": "x"}"#, "secret_hash"), (#"{"redirect_uris": []}"#, "redirect_uris"),
                                  (#"{"admin": true}"#, "admin"), (#"{"refresh_sliding": 1}"#, "refresh_sliding")] {
                let answer = try await send(client, .patch, "/admin/api/clients/\(id)", token: token, json: body)
                #expect(answer.status == .badRequest && (answer.json["error_description"] as? String)?.hasPrefix(field + ":") == true,
                        "\(body): \(answer.raw)")
            }
            #expect(try await server.store.client(id: id) == server.publicClient, "nothing changed")
            #expect(try await server.store.clients().count == 3, "no client was made")
            let publicSecret = try await send(client, .post, "/admin/api/clients/\(id)/secret", token: token)
            #expect(publicSecret.status == .conflict && publicSecret.json["error"] as? String == "conflict")
        }
    }

    @Test("a rotated secret works at /token and the old one fails at once; a client made by the API gets admin tokens")
    func secretRotation() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let (token, _) = try await adminToken(server, client)
            let created = try await send(client, .post, "/admin/api/clients", token: token,
                                         json: #"{"name": "Nightly job", "confidential": true, "admin": true}"#)
            #expect(created.status == .created && created.json["admin"] as? Bool == true)
            let id = try #require(created.json["id"] as? String)
            let old = try #require(created.json["client_secret"] as? String)
            #expect(try await access.clientCredentials(client, id, old, scope: "admin").status == .ok)

            let rotated = try await send(client, .post, "/admin/api/clients/\(id)/secret", token: token)
            #expect(rotated.status == .ok && rotated.headers[.cacheControl] == "no-store")
            let new = try #require(rotated.json["client_secret"] as? String)
            #expect(new != old)
            #expect(try await access.clientCredentials(client, id, old, scope: "admin").status == .unauthorized, "the old secret fails")
            let fresh = try await access.clientCredentials(client, id, new, scope: "admin")
            #expect(fresh.status == .ok)
            let newToken = try #require(try json(fresh)["access_token"] as? String)
            #expect(try await send(client, .get, "/admin/api/keys", token: newToken).status == .ok, "the new client reaches the API")
            #expect(try await kinds(server, client: id).first == "client_secret_rotated")

            let demoted = try await send(client, .patch, "/admin/api/clients/\(id)", token: token, json: #"{"confidential": false}"#)
            #expect(demoted.status == .badRequest && (demoted.json["error_description"] as? String)?.hasPrefix("admin:") == true,
                    "an admin client stays confidential")
        }
    }

    @Test("the calling admin client cannot remove itself or take away its own admin setting; another admin client can")
    func ownAdminAccess() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let (token, adminId) = try await adminToken(server, client)
            for (method, body) in [(HTTPRequest.Method.delete, nil), (.patch, #"{"admin": false}"#), (.patch, #"{"admin": null}"#)] {
                let refused = try await send(client, method, "/admin/api/clients/\(adminId)", token: token, json: body)
                #expect(refused.status == .conflict && refused.json["error"] as? String == "conflict", "\(method) \(body ?? "")")
            }
            #expect(try await server.store.client(id: adminId)?.isAdmin == true)
            #expect(try await send(client, .patch, "/admin/api/clients/\(adminId)", token: token, json: #"{"name": "Renamed"}"#).status
                    == .ok)
            let (other, _) = try await adminToken(server, client)
            #expect(try await send(client, .delete, "/admin/api/clients/\(adminId)", token: other).status == .ok)
            #expect(try await send(client, .get, "/admin/api/keys", token: token).status == .unauthorized, "its tokens stop")
        }
    }

    @Test("a changed redirect URI counts at /authorize at once; making a client confidential shows its new secret once")
    func redirectChange() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let (token, _) = try await adminToken(server, client)
            let created = try await send(client, .post, "/admin/api/clients", token: token,
                                         json: #"{"name": "App", "redirect_uris": ["https://old.example.com/cb"]}"#)
            let id = try #require(created.json["id"] as? String)
            #expect(created.json["client_secret"] == nil && created.json["confidential"] as? Bool == false)
            let old = try #require(try await server.store.client(id: id))
            #expect(try await client.execute(uri: server.authorizeURI(client: old), method: .get).status == .seeOther)

            let changed = try await send(client, .patch, "/admin/api/clients/\(id)", token: token,
                                         json: #"{"redirect_uris": ["https://new.example.com/cb"]}"#)
            #expect(changed.status == .ok)
            let refused = try await client.execute(uri: server.authorizeURI(client: old), method: .get)
            #expect(refused.status == .badRequest && refused.headers[.location] == nil, "the old redirect URI is refused, never redirected to")
            let new = try #require(try await server.store.client(id: id))
            #expect(try await client.execute(uri: server.authorizeURI(client: new), method: .get).status == .seeOther)

            let confidential = try await send(client, .patch, "/admin/api/clients/\(id)", token: token, json: #"{"confidential": true}"#)
            let secret = try #require(confidential.json["client_secret"] as? String)
            #expect(try await server.store.client(id: id)?.secretHash == SecretDigest.sha256(secret))
        }
    }

    @Test("removing a client stops its people's refresh tokens at once")
    func removalRevokes() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let (token, _) = try await adminToken(server, client)
            let created = try await send(client, .post, "/admin/api/clients", token: token,
                                         json: #"{"name": "App", "redirect_uris": ["https://app.example.com/cb"]}"#)
            let appId = try #require(created.json["id"] as? String)
            let app = try #require(try await server.store.client(id: appId))
            let redirect = try await Browser(client).signIn(server, authorize: server.authorizeURI(client: app))
            let issued = try await server.context.tokens.exchangeCode(
                client: app, code: queryItems(redirect)["code"], redirectUri: app.redirectURIs[0], codeVerifier: TestServer.verifier)
            let refresh = try #require(issued.response.refresh_token)
            #expect(try await send(client, .delete, "/admin/api/clients/\(app.id)", token: token).status == .ok)
            let form = [("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", app.id)]
            #expect(try await access.postForm(client, "/token", form).status != .ok, "at /token")
            let account = try #require(try await server.store.account(email: "alice@example.com"))
            #expect(try await server.store.grants(accountId: account.id, now: server.clock.now()).isEmpty, "its grant is revoked")
        }
    }

    @Test("keys are listed without private parts; a rotation publishes the next key at once, and bad delays are refused")
    func keys() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let (token, _) = try await adminToken(server, client)
            let listed = try #require(try await send(client, .get, "/admin/api/keys", token: token).json["keys"] as? [[String: Any]])
            #expect(listed.count == 1 && listed[0]["state"] as? String == "active" && listed[0]["alg"] as? String == "ES256")
            for body in [#"{"activate_in": 86401}"#, #"{"activate_in": -1}"#, #"{"activate_in": "60"}"#, #"{"delay": 60}"#] {
                let refused = try await send(client, .post, "/admin/api/keys/rotate", token: token, json: body)
                #expect(refused.status == .badRequest, "\(body)")
            }
            let rotated = try await send(client, .post, "/admin/api/keys/rotate", token: token, json: #"{"activate_in": 60}"#)
            #expect(rotated.status == .created && rotated.json["state"] as? String == "next")
            let kid = try #require(rotated.json["kid"] as? String)
            #expect(rotated.json["activates_at"] as? Int == Int(server.clock.now() + 60))
            let after = try await send(client, .get, "/admin/api/keys", token: token)
            let states = (after.json["keys"] as? [[String: Any]] ?? []).map { "\($0["kid"] ?? "") \($0["state"] ?? "")" }
            #expect(states.contains("\(kid) next") && states.filter { $0.hasSuffix(" active") }.count == 1)
            #expect(!after.raw.contains("sealed") && !after.raw.contains("\"d\""), "no private key")
            let jwks = String(buffer: try await client.execute(uri: "/.well-known/jwks.json", method: .get).body)
            #expect(jwks.contains(kid), "published in this instance's JWKS at once")
            let defaulted = try await send(client, .post, "/admin/api/keys/rotate", token: token)
            #expect(defaulted.json["activates_at"] as? Int == Int(server.clock.now() + KeyLifecycle.defaultActivationDelay))
            let published = try await server.store.auditRecords(matching: AuditFilter(kind: "key_published"), before: nil, limit: 5)
            #expect(published.count == 2)
            #expect(published.allSatisfy { $0.detail?.contains(" by=client:") == true }, "the trail names the admin client")
        }
    }

    @Test("a failed email is listed (never its content), retried at once and then delivered; a sent one is 409, an unknown 404")
    func outboxRetry() async throws {
        let server = try await TestServer.make()
        let outbox = OutboxTests()
        let mailer = OutboxTests.FlakyMailer()
        let worker = outbox.worker(server, mailer: mailer)
        try await outbox.queue(server)
        #expect(try await worker.deliverDue() == 1)
        try await server.test { client in
            let (token, adminId) = try await adminToken(server, client)
            let failed = try await send(client, .get, "/admin/api/outbox?state=failed", token: token)
            let messages = try #require(failed.json["messages"] as? [[String: Any]])
            #expect(messages.count == 1 && messages[0]["recipient"] as? String == "alice@example.com")
            #expect(messages[0]["state"] as? String == "failed" && messages[0]["attempts"] as? Int == 1)
            #expect((messages[0]["last_error"] as? String)?.isEmpty == false)
            #expect((messages[0]["next_attempt_at"] as? Int ?? 0) > Int(server.clock.now()), "waiting for its backoff")
            #expect(!failed.raw.contains("sealed") && !failed.raw.contains("content"))
            let id = try #require(messages[0]["id"] as? String)
            let pending = try await send(client, .get, "/admin/api/outbox?state=pending", token: token)
            #expect((pending.json["messages"] as? [[String: Any]])?.count == 1)
            #expect(try await send(client, .get, "/admin/api/outbox?state=sent", token: token).status == .badRequest)

            await mailer.heal()
            #expect(try await worker.deliverDue() == 0, "not due before its backoff")
            let retried = try await send(client, .post, "/admin/api/outbox/\(id)/retry", token: token)
            #expect(retried.status == .ok && retried.json["retried"] as? Bool == true)
            #expect(try await worker.deliverDue() == 1, "due at once")
            #expect(await mailer.sent == [id])
            #expect((try await send(client, .get, "/admin/api/outbox", token: token).json["messages"] as? [Any])?.isEmpty == true)

            let again = try await send(client, .post, "/admin/api/outbox/\(id)/retry", token: token)
            #expect(again.status == .conflict && again.json["error"] as? String == "conflict")
            #expect(try await send(client, .post, "/admin/api/outbox/nothing/retry", token: token).status == .notFound)
            let trail = try await server.store.auditRecords(matching: AuditFilter(kind: "outbox_retried"), before: nil, limit: 5)
            #expect(trail.count == 1 && trail[0].subject == id && trail[0].detail == "by=client:\(adminId)")
        }
    }

    @Test("the deliveries list shows a webhook's state, target and attempts, never its payload")
    func deliveries() async throws {
        let server = try await TestServer.make()
        _ = try await WebhookAdministration(store: server.store, secret: server.secret, clock: server.clock, random: server.random,
                                            events: server.context.events)
            .add(url: "https://hooks.example/in?token=receivers-own", events: ["account.enabled"], actor: "cli")
        await server.context.events.record(.accountEnabled(email: "alice@example.com", accountId: "acc-1", actor: "cli"))
        try await server.test { client in
            let (token, _) = try await adminToken(server, client)
            let listed = try await send(client, .get, "/admin/api/deliveries?limit=10", token: token)
            let deliveries = try #require(listed.json["deliveries"] as? [[String: Any]])
            #expect(deliveries.count == 1)
            #expect(deliveries[0]["kind"] as? String == "webhook" && deliveries[0]["target"] as? String == "https://hooks.example/in")
            #expect(deliveries[0]["state"] as? String == "pending" && deliveries[0]["attempts"] as? Int == 0)
            #expect(deliveries[0]["next_attempt_at"] as? Int == Int(server.clock.now()))
            #expect((deliveries[0]["id"] as? String)?.hasPrefix("msg_") == true)
            #expect(!listed.raw.contains("alice@example.com") && !listed.raw.contains("payload"), "never the content")
            #expect(!listed.raw.contains("receivers-own"), "nor a token in the target's query")
            #expect(try await send(client, .get, "/admin/api/deliveries?limit=0", token: token).status == .badRequest)
        }
    }

    @Test("an abandoned email cannot be retried: its content is erased")
    func abandonedRetry() async throws {
        let server = try await TestServer.make()
        let outbox = OutboxTests()
        let worker = outbox.worker(server, mailer: OutboxTests.FlakyMailer())
        try await outbox.queue(server)
        server.clock.advance(by: 3600)
        _ = try await worker.deliverDue()
        try await server.test { client in
            let (token, _) = try await adminToken(server, client)
            let failed = try #require(try await send(client, .get, "/admin/api/outbox?state=failed", token: token)
                .json["messages"] as? [[String: Any]])
            #expect(failed.count == 1 && failed[0]["state"] as? String == "abandoned" && failed[0]["next_attempt_at"] == nil)
            let id = try #require(failed[0]["id"] as? String)
            #expect(try await send(client, .post, "/admin/api/outbox/\(id)/retry", token: token).status == .conflict)
        }
    }
}
