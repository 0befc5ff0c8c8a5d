import Foundation
import LogintooCore
import Testing

/// Security events as Standard Webhooks: the signature, the secrets, which endpoint gets which event, and what a payload
/// may say (docs/security.md N95).
@Suite("Webhooks")
struct WebhookTests {
    func endpoint(_ id: String, events: [String], url: String = "https://hooks.example/in") -> WebhookEndpoint {
        WebhookEndpoint(id: id, url: url, events: events, sealedSecret: "", createdAt: 0)
    }

    @Test("the signature is the one the Standard Webhooks reference libraries compute")
    func referenceSignature() throws {
        let secret = try WebhookSecret(text: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        #expect(WebhookSignature.sign(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330,
                                      body: #"{"test": 2432232314}"#, key: secret.bytes)
                == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        let headers = WebhookSignature.headers(id: "msg_1", timestamp: 10, body: "{}", keys: [secret.bytes])
        #expect(headers["webhook-id"] == "msg_1" && headers["webhook-timestamp"] == "10")
        #expect(headers["webhook-signature"] != WebhookSignature.headers(id: "msg_1", timestamp: 11, body: "{}", keys: [secret.bytes])["webhook-signature"],
                "each attempt is signed at its own time")
        let other = WebhookSecret(random: SeededRandom(seed: 5))
        #expect(WebhookSignature.headers(id: "msg_1", timestamp: 10, body: "{}", keys: [other.bytes, secret.bytes])["webhook-signature"]
                == WebhookSignature.sign(id: "msg_1", timestamp: 10, body: "{}", key: other.bytes) + " "
                + WebhookSignature.sign(id: "msg_1", timestamp: 10, body: "{}", key: secret.bytes),
                "during a rotation, one signature per secret, space-separated")
    }

    @Test("a secret is whsec_ and the base64 of 24 to 64 bytes", arguments: [
        "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_", "whsec_not base64!", "whsec_" + Data(repeating: 1, count: 16).base64EncodedString(),
        "whsec_" + Data(repeating: 1, count: 65).base64EncodedString(),
    ])
    func badSecrets(text: String) {
        #expect(throws: WebhookEndpointError.badSecret) { try WebhookSecret(text: text) }
    }

    @Test("a fresh secret is 32 random bytes and reads back from its text")
    func freshSecret() throws {
        let secret = WebhookSecret(random: SeededRandom(seed: 3))
        #expect(secret.bytes.count == 32 && secret.text.hasPrefix("whsec_"))
        #expect(try WebhookSecret(text: secret.text) == secret)
    }

    @Test("an endpoint's URL follows the redirect URI rules and its events are known kinds, or *")
    func validation() throws {
        #expect(try WebhookEndpoint.validate(url: "https://hooks.example/in", events: ["sign_in.succeeded,account.disabled"])
                == ["account.disabled", "sign_in.succeeded"])
        #expect(try WebhookEndpoint.validate(url: "http://127.0.0.1:8080/in", events: ["sign_in.succeeded", "*"]) == ["*"])
        for url in ["https://192.0.2.10/in", "https://[2001:db8::1]/in", "https://hooks.example.com:8443/in", "https://localhost:9/in"] {
            #expect(throws: Never.self, "\(url)") { try WebhookEndpoint.validate(url: url, events: ["*"]) }
        }
        for url in ["http://hooks.example/in", "https://hooks.example/in#x", "https://user@hooks.example/in", "ftp://hooks.example",
                    "https://hooks.example:99999/in", "https://169.254.169.254/latest", "https://[fe80::1]/in",
                    "https://[::ffff:169.254.169.254]/x", "https://[::ffff:a9fe:a9fe]/x", "https://2852039166/x",
                    "https://0xa9.0xfe.0xa9.0xfe/x", "https://169.254.169.0254/x", "https://[fd00:ec2::254]/x",
                    "https://[64:ff9b::a9fe:a9fe]/x", "https://[::a9fe:a9fe]/x", "https://[::ffff:0:a9fe:a9fe]/x",
                    "https://0.0.0.0/x", "https://[::]/x", "https://[64:ff9b::0.0.0.0]/x", "https://[fe80::1%25eth0]/x"] {
            #expect(throws: WebhookEndpointError.badURL(url)) { try WebhookEndpoint.validate(url: url, events: ["*"]) }
        }
        #expect(throws: WebhookEndpointError.noEvents) { try WebhookEndpoint.validate(url: "https://h.example", events: [" , "]) }
        #expect(throws: WebhookEndpointError.unknownEvent("sign_in.sucess")) {
            try WebhookEndpoint.validate(url: "https://h.example", events: ["sign_in.sucess"])
        }
    }

    @Test("an event makes one delivery per endpoint that asked for it, each with its own id and the same payload")
    func deliveries() throws {
        let event = try #require(SecurityEvent.signedIn(email: "alice@example.com", accountId: "acc1", clientId: "c1").webhookEvent)
        let endpoints = [endpoint("wh_all", events: ["*"]), endpoint("wh_signin", events: ["sign_in.succeeded"], url: "https://b.example/in"),
                         endpoint("wh_other", events: ["account.disabled"])]
        let made = Webhooks.deliveries(for: event, at: 1_800_000_000, endpoints: endpoints, random: SeededRandom(seed: 1))
        #expect(made.map(\.target) == ["https://hooks.example/in", "https://b.example/in"])
        #expect(made.allSatisfy { $0.kind == "webhook" && $0.id.hasPrefix("msg_") && $0.expiresAt == 1_800_086_400 })
        #expect(Set(made.map(\.id)).count == 2)
        let bodies = try made.map { try JSONText.decode(Webhooks.Body.self, from: $0.body) }
        #expect(bodies.map(\.endpoint) == ["wh_all", "wh_signin"])
        #expect(bodies[0].payload == bodies[1].payload)
        let payload = try #require(try JSONSerialization.jsonObject(with: Data(bodies[0].payload.utf8)) as? [String: Any])
        #expect(payload["type"] as? String == "sign_in.succeeded")
        #expect(payload["timestamp"] as? String == "2027-01-15T08:00:00Z")
        #expect(payload["data"] as? [String: String] == ["account_id": "acc1", "email": "alice@example.com", "client_id": "c1"])
        #expect(Webhooks.deliveries(for: event, at: 0, endpoints: [endpoints[2]], random: SeededRandom(seed: 1)).isEmpty)
    }

    @Test("the events an endpoint may ask for, and those it may not")
    func mapping() {
        let lockout = AccountLockout(sessionsEnded: 2, grantsRevoked: 3)
        let cases: [(SecurityEvent, WebhookEventType?)] = [
            (.signedIn(email: "a@x.example", accountId: "a", clientId: "c"), .signInSucceeded),
            (.verificationThrottled(email: "a@x.example", clientId: "c"), .signInBudgetSpent),
            (.codeSendThrottled(email: "a@x.example", clientId: "c", ip: "192.0.2.1"), .signInCodeThrottled),
            (.signInsCancelled(email: "a@x.example"), .signInNotMe),
            (.sessionsEnded(email: "a@x.example", accountId: "a", count: 2), .signInNotMe),
            (.refreshTokenReused(clientId: "c", grantId: "g", accountId: "a"), .refreshTokenReused),
            (.authorizationCodeReplayed(clientId: "c", accountId: "a", grantId: "g"), .authorizationCodeReplayed),
            (.signedOut(accountId: "a", clientId: "c"), .sessionEnded),
            (.sessionsRevoked(email: "a@x.example", accountId: "a", actor: "cli", lockout: lockout), .sessionEnded),
            (.accountDisabled(email: "a@x.example", accountId: "a", actor: "cli", lockout: lockout), .accountDisabled),
            (.accountEnabled(email: "a@x.example", accountId: "a", actor: "cli"), .accountEnabled),
            (.accountErased(pseudonym: "p", accountId: "a", actor: "cli"), .accountErased),
            (.passkeyAdded(email: "a@x.example", accountId: "a"), .passkeyAdded),
            (.passkeyRemoved(email: "a@x.example", accountId: "a"), .passkeyRemoved),
            (.signingKeyPublished(kid: "k", algorithm: "ES256", activatesAt: 5), .signingKeyRotated),
            (.codeSent(email: "a@x.example", clientId: "c", ip: nil), nil),
            (.codeFailed(email: "a@x.example", clientId: "c", attemptsLeft: 2), nil),
            (.signingKeyActivated(kid: "k", algorithm: "ES256"), nil),
        ]
        for (event, type) in cases { #expect(event.webhookEvent?.type == type, "\(event)") }
        #expect(SecurityEvent.accountErased(pseudonym: "p", accountId: "a", actor: "cli").webhookEvent?.data.email == nil,
                "an erased account's address is not sent, nor its pseudonym")
    }

    @Test("throttle events from one source make one webhook per endpoint and window; other events one each")
    func throttleEventsAreFolded() throws {
        let endpoints = [endpoint("wh_a", events: ["*"]), endpoint("wh_b", events: ["*"])]
        let random = SeededRandom(seed: 9)
        func ids(_ event: SecurityEvent, at now: Int64) throws -> [String] {
            Webhooks.deliveries(for: try #require(event.webhookEvent), at: now, endpoints: endpoints, random: random).map(\.id)
        }
        let throttled = SecurityEvent.codeSendThrottled(email: "a@x.example", clientId: "c", ip: "192.0.2.1")
        let start: Int64 = 1_800_000_000 - 1_800_000_000 % Webhooks.throttleWindow
        #expect(try ids(throttled, at: start) == ids(throttled, at: start + Webhooks.throttleWindow - 1),
                "the store keeps the first of the window")
        #expect(try Set(ids(throttled, at: start)).count == 2, "one per endpoint")
        #expect(try ids(throttled, at: start) != ids(throttled, at: start + Webhooks.throttleWindow))
        #expect(try ids(throttled, at: start)
                != ids(.codeSendThrottled(email: "b@x.example", clientId: "c", ip: "192.0.2.2"), at: start))
        #expect(try ids(throttled, at: start)
                == ids(.codeSendThrottled(email: "b@x.example", clientId: "c", ip: "192.0.2.1"), at: start),
                "one network address asking for many addresses is one source")
        let budget = SecurityEvent.verificationThrottled(email: "a@x.example", clientId: "c")
        #expect(try ids(budget, at: start) == ids(budget, at: start + 5))
        let signedIn = SecurityEvent.signedIn(email: "a@x.example", accountId: "a", clientId: "c")
        #expect(try ids(signedIn, at: start) != ids(signedIn, at: start), "every other event is its own")
    }

    @Test("a webhook's subject is the account it names, or the address when it names no account")
    func subjects() throws {
        let endpoints = [endpoint("wh_a", events: ["*"])]
        func subject(_ event: SecurityEvent) throws -> String? {
            Webhooks.deliveries(for: try #require(event.webhookEvent), at: 0, endpoints: endpoints, random: SeededRandom(seed: 1))
                .first?.subject
        }
        #expect(try subject(.signedIn(email: "a@x.example", accountId: "acc", clientId: "c")) == "acc")
        #expect(try subject(.verificationThrottled(email: "a@x.example", clientId: "c")) == "a@x.example")
        #expect(try subject(.codeSendThrottled(email: "a@x.example", clientId: "c", ip: "192.0.2.1")) == "a@x.example")
        #expect(try subject(.authorizationCodeReplayed(clientId: "c", accountId: "acc", grantId: nil)) == "acc")
        #expect(SecurityEvent.refreshTokenReused(clientId: "c", grantId: "g", accountId: "acc").webhookEvent?.data
                == WebhookEventData(accountId: "acc", clientId: "c", grantId: "g"), "whose family it was")
    }
}
