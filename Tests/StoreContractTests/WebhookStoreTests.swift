import LogintooCore
import LogintooStore
import Testing

/// Webhook endpoints (`WebhookStore`), and an event's audit row and webhooks written in one transaction
/// (docs/security.md N95).
@Suite("Webhooks: endpoints and queued events")
struct WebhookStoreTests {
    func administration(_ fixture: CoreFixture) -> WebhookAdministration {
        WebhookAdministration(store: fixture.store, secret: fixture.secret, clock: fixture.clock, random: fixture.random)
    }

    @Test("an endpoint is kept with its kinds and a sealed secret that opens to the one handed out; removed, it is gone")
    func endpoints() async throws {
        let fixture = try await CoreFixture.make()
        let admin = administration(fixture)
        let (first, secret) = try await admin.add(url: "https://hooks.example/in", events: ["sign_in.succeeded", "account.disabled"])
        fixture.clock.advance(by: 1)
        let given = try WebhookSecret(text: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let (second, kept) = try await admin.add(url: "http://127.0.0.1:9000/in", events: ["*"], secret: given.text)
        #expect(kept == given)
        #expect(try await admin.list() == [first, second])
        #expect(first.events == ["account.disabled", "sign_in.succeeded"] && first.id.hasPrefix("wh_"))
        #expect(!first.sealedSecret.contains(secret.text) && !first.sealedSecret.contains(String(secret.text.dropFirst(6))),
                "the secret is sealed, not stored as it is")
        let keys = WebhookSigningKeys(store: fixture.store, secret: fixture.secret)
        #expect(try await keys.key(endpointId: first.id) == secret.bytes)
        #expect(try await admin.remove(id: first.id))
        #expect(try await !admin.remove(id: first.id))
        #expect(try await admin.list() == [second])
        await #expect(throws: WebhookEndpointGone.self) { try await keys.key(endpointId: first.id) }
        let other = WebhookSigningKeys(store: fixture.store, secret: try ServerSecret(bytes: Array(repeating: 1, count: 32)))
        await #expect(throws: (any Error).self, "another server secret cannot open it") { try await other.key(endpointId: second.id) }
    }

    @Test("bad endpoints are refused and nothing is kept")
    func refused() async throws {
        let fixture = try await CoreFixture.make()
        let admin = administration(fixture)
        await #expect(throws: WebhookEndpointError.self) { try await admin.add(url: "http://hooks.example/in", events: ["*"]) }
        await #expect(throws: WebhookEndpointError.self) { try await admin.add(url: "https://hooks.example/in", events: ["nope"]) }
        await #expect(throws: WebhookEndpointError.self) {
            try await admin.add(url: "https://hooks.example/in", events: ["*"], secret: "whsec_short")
        }
        #expect(try await admin.list().isEmpty)
    }

    @Test("the audit row and the event's deliveries are written together, and the deliveries come due")
    func auditWithDeliveries() async throws {
        let fixture = try await CoreFixture.make()
        let admin = administration(fixture)
        let (endpoint, _) = try await admin.add(url: "https://hooks.example/in", events: ["*"])
        let event = try #require(SecurityEvent.accountEnabled(email: "alice@example.com", accountId: "a1", actor: "cli").webhookEvent)
        let now = fixture.clock.now()
        let deliveries = Webhooks.deliveries(for: event, at: now, endpoints: [endpoint], random: fixture.random)
        try await fixture.store.appendAudit(AuditRecord(id: "e1", at: now, kind: "account_enabled"), deliveries: deliveries)
        #expect(try await fixture.store.auditRecords(limit: 5, kind: nil, email: nil).map(\.id) == ["e1"])
        let due = try await fixture.store.claimDueDeliveries(now: now, limit: 10, lease: 60)
        #expect(due.map(\.id) == deliveries.map(\.id) && due.first?.kind == "webhook")
        #expect(due.first?.body == deliveries.first?.body)
        // The same audit id again fails whole: no second delivery is queued beside a refused row.
        await #expect(throws: (any Error).self) {
            try await fixture.store.appendAudit(AuditRecord(id: "e1", at: now, kind: "account_enabled"),
                                                deliveries: Webhooks.deliveries(for: event, at: now, endpoints: [endpoint], random: fixture.random))
        }
        #expect(try await fixture.store.recentDeliveries(limit: 10).count == 1)
    }
}
