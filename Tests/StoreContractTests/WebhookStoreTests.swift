import LogintooCore
import LogintooStore
import SQLKit
import Synchronization
import Testing

/// Webhook endpoints (`WebhookStore`), and an event's audit row and webhooks written in one transaction
/// (docs/security.md N95).
@Suite("Webhooks: endpoints and queued events")
struct WebhookStoreTests {
    /// The events an administration recorded.
    final class RecordedEvents: SecurityEventSink {
        let events = Mutex<[SecurityEvent]>([])
        func record(_ event: SecurityEvent) async { events.withLock { $0.append(event) } }
    }

    func administration(_ fixture: CoreFixture, events: RecordedEvents = RecordedEvents()) -> WebhookAdministration {
        WebhookAdministration(store: fixture.store, secret: fixture.secret, clock: fixture.clock, random: fixture.random, events: events)
    }

    @Test("an endpoint is kept with its kinds and a sealed secret that opens to the one handed out; removed, it is gone")
    func endpoints() async throws {
        let fixture = try await CoreFixture.make()
        let recorded = RecordedEvents()
        let admin = administration(fixture, events: recorded)
        let (first, secret) = try await admin.add(url: "https://hooks.example/in", events: ["sign_in.succeeded", "account.disabled"],
                                                  actor: "cli")
        fixture.clock.advance(by: 1)
        let given = try WebhookSecret(text: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let (second, kept) = try await admin.add(url: "http://127.0.0.1:9000/in", events: ["*"], secret: given.text, actor: "cli")
        #expect(kept == given)
        #expect(try await admin.list() == [first, second])
        #expect(first.events == ["account.disabled", "sign_in.succeeded"] && first.id.hasPrefix("wh_"))
        #expect(!first.sealedSecret.contains(secret.text) && !first.sealedSecret.contains(String(secret.text.dropFirst(6))),
                "the secret is sealed, not stored as it is")
        let keys = WebhookSigningKeys(store: fixture.store, secret: fixture.secret)
        #expect(try await keys.keys(endpointId: first.id, now: 0) == [secret.bytes])
        #expect(try await admin.remove(id: first.id, actor: "cli"))
        #expect(try await !admin.remove(id: first.id, actor: "cli"))
        #expect(recorded.events.withLock { $0 } == [
            .webhookEndpointAdded(id: first.id, host: "hooks.example", events: ["account.disabled", "sign_in.succeeded"], actor: "cli"),
            .webhookEndpointAdded(id: second.id, host: "127.0.0.1", events: ["*"], actor: "cli"),
            .webhookEndpointRemoved(id: first.id, actor: "cli"),
        ], "adding and removing are audited; a removal that removed nothing is not")
        #expect(try await admin.list() == [second])
        await #expect(throws: WebhookEndpointGone.self) { try await keys.keys(endpointId: first.id, now: 0) }
        let other = WebhookSigningKeys(store: fixture.store, secret: try ServerSecret(bytes: Array(repeating: 1, count: 32)))
        await #expect(throws: (any Error).self, "another server secret cannot open it") { try await other.keys(endpointId: second.id, now: 0) }
    }

    @Test("bad endpoints are refused and nothing is kept")
    func refused() async throws {
        let fixture = try await CoreFixture.make()
        let recorded = RecordedEvents()
        let admin = administration(fixture, events: recorded)
        await #expect(throws: WebhookEndpointError.self) { try await admin.add(url: "http://hooks.example/in", events: ["*"], actor: "cli") }
        await #expect(throws: WebhookEndpointError.self) {
            try await admin.add(url: "https://hooks.example/in", events: ["nope"], actor: "cli")
        }
        await #expect(throws: WebhookEndpointError.self) {
            try await admin.add(url: "https://hooks.example/in", events: ["*"], secret: "whsec_short", actor: "cli")
        }
        #expect(try await admin.list().isEmpty)
        #expect(recorded.events.withLock { $0 }.isEmpty)
    }

    @Test("the audit row and the event's deliveries are written together, and the deliveries come due")
    func auditWithDeliveries() async throws {
        let fixture = try await CoreFixture.make()
        let admin = administration(fixture)
        let (endpoint, _) = try await admin.add(url: "https://hooks.example/in", events: ["*"], actor: "cli")
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

    func webhook(_ id: String, target: String = "https://hooks.example/in", subject: String?, now: Int64) -> Delivery {
        Delivery(id: id, kind: Webhooks.kind, target: target, body: #"{"endpoint":"wh_1","payload":"{}"}"#, createdAt: now,
                 expiresAt: now + 100, nextAttemptAt: now, subject: subject)
    }

    @Test("erasing an account drops the webhooks still waiting that name it or its address, and no others")
    func erasureDropsWaitingWebhooks() async throws {
        let signedIn = try await DeliveryStoreTests.SignedIn.make(receiver: nil)
        let (store, now, account) = (signedIn.fixture.store, signedIn.fixture.clock.now(), signedIn.account)
        let queued = [webhook("msg_by_id", subject: account.id, now: now), webhook("msg_by_address", subject: account.email, now: now),
                      webhook("msg_other", subject: "someone-else", now: now), webhook("msg_sent", subject: account.id, now: now)]
        try await store.appendAudit(AuditRecord(id: "e1", at: now, kind: "signed_in"), deliveries: queued)
        try await store.markDelivered(id: "msg_sent", now: now)
        #expect(try await store.eraseAccount(id: account.id, pseudonym: "erased-1", now: now))
        let left = try await store.recentDeliveries(limit: 10)
        #expect(Set(left.map(\.id)) == ["msg_other", "msg_sent"])
        let claimed = try await store.claimDueDeliveries(now: now, limit: 10, lease: 60)
        #expect(claimed.map(\.id) == ["msg_other"])
    }

    @Test("a delivered or abandoned webhook keeps no body and no subject")
    func finishedKeepsNothing() async throws {
        let fixture = try await CoreFixture.make()
        let now = fixture.clock.now()
        try await fixture.store.appendAudit(AuditRecord(id: "e1", at: now, kind: "signed_in"), deliveries: [
            webhook("msg_a", subject: "acc", now: now), webhook("msg_b", subject: "acc", now: now)])
        _ = try await fixture.store.claimDueDeliveries(now: now, limit: 10, lease: 60)
        try await fixture.store.markDelivered(id: "msg_a", now: now)
        try await fixture.store.markDeliveryFailed(id: "msg_b", error: "gone", retryAt: nil, now: now)
        fixture.clock.advance(by: 120)
        #expect(try await fixture.store.claimDueDeliveries(now: fixture.clock.now(), limit: 10, lease: 60).isEmpty)
        let rows = try await fixture.store.engine.read { db in
            try await db.raw("SELECT body || '|' || COALESCE(subject, '-') AS kept FROM deliveries ORDER BY id")
                .all(decodingColumn: "kept", as: String.self)
        }
        #expect(rows == ["|-", "|-"])
    }

    @Test("a claim takes logout notices first and at most four deliveries for one receiver")
    func fairClaims() async throws {
        let fixture = try await CoreFixture.make()
        let now = fixture.clock.now()
        let flood = (0..<10).map { webhook("msg_slow_\($0)", target: "https://slow.example/in", subject: nil, now: now - 10 + Int64($0)) }
        let other = webhook("msg_other", target: "https://other.example/in", subject: nil, now: now)
        var logout = webhook("bcl_1", target: "https://rp.example/logout", subject: nil, now: now)
        logout.kind = BackchannelLogout.kind
        try await fixture.store.appendAudit(AuditRecord(id: "e1", at: now, kind: "code_send_throttled"), deliveries: flood + [other, logout])
        let first = try await fixture.store.claimDueDeliveries(now: now, limit: 1, lease: 60)
        #expect(first.map(\.id) == ["bcl_1"], "a session's end does not wait behind events due before it")
        let second = try await fixture.store.claimDueDeliveries(now: now, limit: 20, lease: 60)
        let third = try await fixture.store.claimDueDeliveries(now: now, limit: 20, lease: 60)
        let slow = { (claim: [Delivery]) in Set(claim.filter { $0.target == "https://slow.example/in" }.map(\.id)) }
        #expect(slow(second) == Set((0..<4).map { "msg_slow_\($0)" }) && slow(third) == Set((4..<8).map { "msg_slow_\($0)" }),
                "four per claim, oldest first")
        #expect(second.contains { $0.id == "msg_other" })
        let busy = try await fixture.store.claimDueDeliveries(now: now, limit: 20, lease: 60,
                                                              underway: ["https://slow.example/in": 4])
        #expect(busy.isEmpty, "a receiver with four attempts under way gets no more")
        let oneLeft = try await fixture.store.claimDueDeliveries(now: now, limit: 20, lease: 60,
                                                                 underway: ["https://slow.example/in": 3])
        #expect(oneLeft.map(\.id) == ["msg_slow_8"], "the places it has left")
    }

    @Test("a receiver with no place left and a backlog longer than the candidates keeps no one else waiting")
    func backlogDoesNotStarveOthers() async throws {
        let fixture = try await CoreFixture.make()
        let now = fixture.clock.now()
        let backlog = (0..<(DeliveryClaim.candidates + 2)).map {
            webhook("msg_slow_\($0)", target: "https://slow.example/in", subject: nil, now: now - 1000 + Int64($0))
        }
        let other = webhook("msg_other", target: "https://other.example/in", subject: nil, now: now)
        try await fixture.store.appendAudit(AuditRecord(id: "e1", at: now, kind: "code_send_throttled"), deliveries: backlog + [other])
        let claimed = try await fixture.store.claimDueDeliveries(now: now, limit: 20, lease: 60,
                                                                 underway: ["https://slow.example/in": DeliveryClaim.perTarget])
        #expect(claimed.map(\.id) == ["msg_other"])
    }

    @Test("a rotated secret signs beside the new one until its overlap ends; an unknown endpoint is not rotated")
    func rotation() async throws {
        let fixture = try await CoreFixture.make()
        let recorded = RecordedEvents()
        let admin = administration(fixture, events: recorded)
        let (endpoint, old) = try await admin.add(url: "https://hooks.example/in", events: ["*"], actor: "cli")
        let now = fixture.clock.now()
        let (rotated, new) = try #require(try await admin.rotateSecret(id: endpoint.id, overlap: 600, actor: "cli"))
        #expect(new != old && rotated.previousUntil == now + 600 && rotated.previousSealedSecret == endpoint.sealedSecret)
        let keys = WebhookSigningKeys(store: fixture.store, secret: fixture.secret)
        #expect(try await keys.keys(endpointId: endpoint.id, now: now + 599) == [new.bytes, old.bytes])
        #expect(try await keys.keys(endpointId: endpoint.id, now: now + 600) == [new.bytes], "the old secret stops at the end")
        let (_, third) = try #require(try await admin.rotateSecret(id: endpoint.id, overlap: 0, actor: "cli"))
        #expect(try await keys.keys(endpointId: endpoint.id, now: now) == [third.bytes], "no overlap: only the new one")
        #expect(try await admin.rotateSecret(id: "wh_unknown", actor: "cli") == nil)
        #expect(recorded.events.withLock { $0 } .filter { if case .webhookSecretRotated = $0 { true } else { false } }.count == 2)
    }
}
