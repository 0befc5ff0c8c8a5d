import LogintooCore
import LogintooStore
import Testing

@Suite("The outbox as an operator sees it, in the store")
struct OutboxAdministrationStoreTests {
    /// Queues a sign-in code for `email` a second after the previous one, so messages are ordered by creation.
    func queue(_ fixture: CoreFixture, _ client: Client, _ email: String) async throws {
        fixture.clock.advance(by: 1)
        _ = try await fixture.loginWithCode(client: client, email: email)
    }

    @Test("undelivered messages are selected as pending or failed, newest first; a retry makes only a waiting one due")
    func selectionAndRetry() async throws {
        let fixture = try await CoreFixture.make()
        let store = fixture.store
        let client = try await fixture.registerClient().client
        for email in ["failing@example.com", "sent@example.com", "abandoned@example.com"] { try await queue(fixture, client, email) }
        let now = fixture.clock.now()
        let claimed = try await store.claimDueMessages(now: now, limit: 10, lease: 120)
        let id = { (email: String) in claimed.first { $0.recipient == email }!.id }
        try await store.markFailed(id: id("failing@example.com"), error: "421 try later", retryAt: now + 100, now: now)
        try await store.markSent(id: id("sent@example.com"), provider: "smtp", now: now)
        try await store.markFailed(id: id("abandoned@example.com"), error: "550 no such mailbox", retryAt: nil, now: now)
        try await queue(fixture, client, "queued@example.com")

        let recipients = { (selection: UndeliveredMessage.Selection) in
            try await store.undeliveredMessages(selection, limit: 10).map(\.recipient)
        }
        #expect(try await recipients(.pending) == ["queued@example.com", "failing@example.com"])
        #expect(try await recipients(.failed) == ["abandoned@example.com", "failing@example.com"])
        #expect(try await recipients(.all) == ["queued@example.com", "abandoned@example.com", "failing@example.com"])
        #expect(try await store.undeliveredMessages(.all, limit: 1).count == 1)
        let failing = try #require(try await store.undeliveredMessages(.failed, limit: 10).last)
        #expect(failing.state == "failed" && failing.attempts == 1 && failing.lastError == "421 try later"
                && failing.nextAttemptAt == now + 100)

        let later = fixture.clock.now()
        let decide: @Sendable (OutboxRetry.Facts) -> OutboxRetry = { OutboxRetry.decide($0, now: later) }
        let retried = try await store.retryMessage(id: id("failing@example.com"), now: later, decide: decide)
        #expect(retried.0 == .retried && retried.recipient == "failing@example.com")
        #expect(try await store.retryMessage(id: id("sent@example.com"), now: later, decide: decide).0 == .alreadySent)
        #expect(try await store.retryMessage(id: id("abandoned@example.com"), now: later, decide: decide).0 == .abandoned)
        #expect(try await store.retryMessage(id: "no-such-message", now: later, decide: decide).0 == .unknown)
        let due = try await store.claimDueMessages(now: later, limit: 10, lease: 120).map(\.recipient).sorted()
        #expect(due == ["failing@example.com", "queued@example.com"], "the retried message is due at once, the others are not")
    }

    @Test("a waiting message whose code has expired is not made due")
    func expiredIsNotRetried() async throws {
        let fixture = try await CoreFixture.make()
        try await queue(fixture, try await fixture.registerClient().client, "late@example.com")
        let message = try #require(try await fixture.store.undeliveredMessages(.pending, limit: 1).first)
        let after = message.expiresAt
        let outcome = try await fixture.store.retryMessage(id: message.id, now: after) { OutboxRetry.decide($0, now: after) }
        #expect(outcome.0 == .abandoned)
        #expect(try await fixture.store.undeliveredMessages(.pending, limit: 1).first?.nextAttemptAt == message.nextAttemptAt)
    }
}
