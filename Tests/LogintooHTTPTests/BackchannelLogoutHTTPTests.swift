import Foundation
import HummingbirdTesting
import Logging
import LogintooCore
import LogintooMail
import Synchronization
import Testing

/// Back-channel logout over HTTP (docs/security.md N93): discovery says so, ID tokens carry `sid`, the
/// admin API registers the client's URI, and /logout queues a notice naming the ID token's `sid`.
@Suite("Back-channel logout over HTTP")
struct BackchannelLogoutHTTPTests {
    let admin = AdminAPIOperationsTests()

    func claims(_ jwt: String) throws -> [String: Any] {
        let part = try #require(jwt.split(separator: ".").dropFirst().first)
        let bytes = try #require(Base64URL.decode(part))
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test("discovery says back-channel logout and its sid are supported")
    func discovery() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let document = try json(try await client.execute(uri: "/.well-known/openid-configuration", method: .get))
            #expect(document["backchannel_logout_supported"] as? Bool == true)
            #expect(document["backchannel_logout_session_supported"] as? Bool == true)
            #expect(document["frontchannel_logout_supported"] as? Bool == false)
        }
    }

    @Test("the ID token's sid is the one the logout notice names, and is not the session cookie or its digest")
    func sidMatchesNotice() async throws {
        let server = try await TestServer.make()
        var registered = server.publicClient
        registered.settings.backchannelLogoutURI = "https://site.example.com/backchannel-logout"
        try await server.store.saveClient(registered)
        let clientId = registered.id
        try await server.test { client in
            let browser = Browser(client)
            let tokens = try await LogoutTests().signedIn(server, browser)
            let idToken = try #require(tokens["id_token"] as? String)
            let sid = try #require(try claims(idToken)["sid"] as? String)
            let account = try #require(try await server.store.account(email: "alice@example.com"))
            let sessions = try await server.store.sessions(accountId: account.id, now: server.clock.now())
            #expect(sessions.map { SessionIdentifier.sid(sessionHash: $0.idHash) } == [sid])
            #expect(!sessions.contains { $0.idHash == sid })
            let logout = try await browser.get("/logout?" + URLQuery.encode([("id_token_hint", idToken)]))
            #expect(logout.status == .seeOther || logout.status == .ok)
            let queued = try await server.store.claimDueDeliveries(now: server.clock.now(), limit: 10, lease: 60)
            #expect(queued.map(\.target) == ["https://site.example.com/backchannel-logout"])
            let notice = try JSONText.decode(BackchannelLogout.Notice.self, from: try #require(queued.first).body)
            #expect(notice == BackchannelLogout.Notice(aud: clientId, sub: account.id, sid: sid))
        }
    }

    @Test("the admin API registers a client's back-channel logout URI and refuses one on plain http")
    func adminFields() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let (token, _) = try await admin.adminToken(server, client)
            let created = try await admin.send(client, .post, "/admin/api/clients", token: token, json: """
                {"name": "Shop", "redirect_uris": ["https://shop.example.com/cb"],
                 "backchannel_logout_uri": "https://shop.example.com/bcl", "backchannel_logout_session_required": true}
                """)
            #expect(created.status == .created)
            let id = try #require(created.json["id"] as? String)
            let stored = try #require(try await server.store.client(id: id))
            #expect(stored.settings.backchannelLogoutURI == "https://shop.example.com/bcl")
            #expect(stored.settings.backchannelLogoutSessionRequired == true)
            let shown = try await admin.send(client, .get, "/admin/api/clients/\(id)", token: token)
            #expect(shown.json["backchannel_logout_uri"] as? String == "https://shop.example.com/bcl")
            #expect(shown.json["backchannel_logout_session_required"] as? Bool == true)
            for bad in ["http://shop.example.com/bcl", "https://shop.example.com/bcl#f", "bcl"] {
                let refused = try await admin.send(client, .patch, "/admin/api/clients/\(id)", token: token,
                                                   json: #"{"backchannel_logout_uri": "\#(bad)"}"#)
                #expect(refused.status == .badRequest, "\(bad)")
                #expect((refused.json["error_description"] as? String)?.hasPrefix("backchannel_logout_uri:") == true, "\(refused.raw)")
            }
            let cleared = try await admin.send(client, .patch, "/admin/api/clients/\(id)", token: token,
                                               json: #"{"backchannel_logout_uri": null, "backchannel_logout_session_required": false}"#)
            #expect(cleared.status == .ok && cleared.json["backchannel_logout_uri"] == nil)
            #expect(try await server.store.client(id: id)?.settings.backchannelLogoutSessionRequired == nil)
        }
    }

    @Test("the worker POSTs a fresh logout token as a form, retries a failure 5 s later and then marks it delivered")
    func worker() async throws {
        let server = try await TestServer.make()
        var registered = server.publicClient
        registered.settings.backchannelLogoutURI = "https://site.example.com/backchannel-logout"
        try await server.store.saveClient(registered)
        let posts = Mutex<[(url: String, request: DeliveryComposer.Request)]>([])
        let failing = Mutex(true)
        let composer = DeliveryComposer(logoutTokens: LogoutTokenMinter(keys: server.context.keys, issuer: TestServer.issuer,
                                                                        random: server.random),
                                        webhookKeys: WebhookSigningKeys(store: server.store, secret: server.secret))
        let worker = DeliveryWorker(store: server.store, composer: composer, clock: server.clock, random: server.random,
                                    logger: Logger(label: "test"), post: { url, request in
            posts.withLock { $0.append((url, request)) }
            if failing.withLock({ $0 }) { throw DeliveryRefused(status: 500) }
        })
        try await server.test { client in
            let browser = Browser(client)
            let tokens = try await LogoutTests().signedIn(server, browser)
            let idToken = try #require(tokens["id_token"] as? String)
            _ = try await browser.get("/logout?" + URLQuery.encode([("id_token_hint", idToken)]))
        }
        #expect(try await worker.deliverDue() == 1)
        let pending = try #require(try await server.store.recentDeliveries(limit: 1).first)
        #expect(pending.state == "pending" && pending.attempts == 1 && pending.lastError == "the receiver answered 500")
        #expect(pending.nextAttemptAt == server.clock.now() + 5)
        #expect(try await worker.deliverDue() == 0, "not before the backoff")
        server.clock.advance(by: 5)
        failing.withLock { $0 = false }
        #expect(try await worker.deliverDue() == 1)
        #expect(try await server.store.recentDeliveries(limit: 1).first?.state == "delivered")
        let sent = posts.withLock { $0 }
        #expect(sent.map(\.url) == Array(repeating: "https://site.example.com/backchannel-logout", count: 2))
        #expect(sent.allSatisfy { $0.request.contentType == "application/x-www-form-urlencoded" })
        let bodies = sent.map(\.request.body)
        #expect(bodies[0] != bodies[1], "each attempt signs a fresh token")
        let token = try #require(bodies[1].split(separator: "=", maxSplits: 1).last.map(String.init))
        let claims = try #require(JWS.verify(token, type: "logout+jwt", ring: server.context.ring, as: LogoutTokenClaims.self))
        #expect(claims.aud == registered.id && claims.iat == server.clock.now() && claims.exp == server.clock.now() + 120)
    }
}
