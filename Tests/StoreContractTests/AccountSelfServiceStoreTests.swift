import LogintooCore
import LogintooStore
import Testing

/// What the account page writes, on both engines: signing out of one site, and the emailed code that confirms deleting
/// the account (docs/security.md N90, N91).
@Suite("The account page in the store")
struct AccountSelfServiceStoreTests {
    /// Alice signed in to `clients` (one sign-in each): the fixture, her account id and her newest session's digest.
    func signedIn(to count: Int) async throws -> (CoreFixture, [Client], String, String) {
        var fixture = try await CoreFixture.make()
        fixture.policy.sendInterval = 0
        let tokens = try await fixture.tokens()
        var clients: [Client] = []
        for index in 0..<count {
            let client = try await fixture.registerClient(redirect: "https://app\(index).example.com/callback").client
            _ = try await fixture.signInAndExchange(client: client, tokens: tokens)
            clients.append(client)
        }
        let account = try #require(try await fixture.store.account(email: "alice@example.com"))
        let session = try #require(try await fixture.store.sessions(accountId: account.id, now: fixture.clock.now()).first)
        return (fixture, clients, account.id, session.idHash)
    }

    func deletionCode(_ session: String, id: String, at now: Int64, lifetime: Int64 = 600) -> (AccountDeletionCode, OutboxMessage) {
        (AccountDeletionCode(sessionHash: session, id: id, codeHash: "hash-\(id)", sentAt: now, expiresAt: now + lifetime),
         OutboxMessage(id: id, recipient: "alice@example.com", sealedContent: "sealed", createdAt: now, expiresAt: now + lifetime,
                       nextAttemptAt: now))
    }

    @Test("signing out of a site revokes only that client's live grants of that account")
    func revokeByClient() async throws {
        let (fixture, clients, accountId, _) = try await signedIn(to: 2)
        let store = fixture.store
        let now = fixture.clock.now()
        let bob = try await store.findOrCreateAccount(email: "bob@example.com", newId: "bob", now: now)
        #expect(try await store.revokeGrants(accountId: bob.id, clientId: clients[0].id, now: now) == 0, "not Alice's grants")
        #expect(try await store.revokeGrants(accountId: accountId, clientId: clients[0].id, now: now) == 1)
        #expect(try await store.grants(accountId: accountId, now: now).map(\.clientId) == [clients[1].id])
        #expect(try await store.revokeGrants(accountId: accountId, clientId: clients[0].id, now: now) == 0, "revoked once")
    }

    /// A budget that never refuses in these tests.
    static let plenty = RateLimit(key: "deletion:test", limit: 100, window: 3600)

    @Test("the address's hourly budget bounds deletion codes however many sessions ask; a refused one writes nothing")
    func budget() async throws {
        let (fixture, _, _, session) = try await signedIn(to: 1)
        let store = fixture.store
        let now = fixture.clock.now()
        let budget = RateLimit(key: "deletion:account:budget-test", limit: 1, window: 3600)
        let (first, firstMail) = deletionCode(session, id: "first", at: now)
        #expect(try await store.issueDeletionCode(first, message: firstMail, resendInterval: 60, limit: budget))
        let pending = try await store.pendingMessageCount()
        let (later, laterMail) = deletionCode(session, id: "later", at: now + 120)
        #expect(try await !store.issueDeletionCode(later, message: laterMail, resendInterval: 60, limit: budget))
        #expect(try await store.pendingMessageCount() == pending, "nothing was queued")
        let counted = try await store.beginDeletionAttempt(sessionHash: session, maxAttempts: 5, now: now + 120)
        #expect(counted?.id == "first", "the earlier code stays")
    }

    @Test("a deletion code is sent at most once per interval, replaces the session's earlier one, and queues its email")
    func issue() async throws {
        let (fixture, _, _, session) = try await signedIn(to: 1)
        let store = fixture.store
        let now = fixture.clock.now()
        let pending = try await store.pendingMessageCount()
        let (first, firstMail) = deletionCode(session, id: "first", at: now)
        #expect(try await store.issueDeletionCode(first, message: firstMail, resendInterval: 60, limit: Self.plenty))
        #expect(try await store.pendingMessageCount() == pending + 1)
        let (early, earlyMail) = deletionCode(session, id: "early", at: now + 59)
        #expect(try await !store.issueDeletionCode(early, message: earlyMail, resendInterval: 60, limit: Self.plenty))
        #expect(try await store.pendingMessageCount() == pending + 1, "nothing was queued")
        let (second, secondMail) = deletionCode(session, id: "second", at: now + 60)
        #expect(try await store.issueDeletionCode(second, message: secondMail, resendInterval: 60, limit: Self.plenty))
        let counted = try await store.beginDeletionAttempt(sessionHash: session, maxAttempts: 5, now: now + 60)
        #expect(counted?.id == "second" && counted?.attempts == 1, "the earlier code is replaced")
        #expect(try await !store.useDeletionCode(sessionHash: session, id: "first", now: now + 60))
    }

    @Test("attempts are counted up to the limit; a code is used once and not after it expires")
    func attemptsAndUse() async throws {
        let (fixture, _, _, session) = try await signedIn(to: 1)
        let store = fixture.store
        let now = fixture.clock.now()
        let (code, mail) = deletionCode(session, id: "c", at: now, lifetime: 100)
        #expect(try await store.issueDeletionCode(code, message: mail, resendInterval: 60, limit: Self.plenty))
        #expect(try await store.beginDeletionAttempt(sessionHash: session, maxAttempts: 2, now: now)?.attempts == 1)
        #expect(try await store.beginDeletionAttempt(sessionHash: "another session", maxAttempts: 2, now: now) == nil)
        #expect(try await store.beginDeletionAttempt(sessionHash: session, maxAttempts: 2, now: now)?.attempts == 2)
        #expect(try await store.beginDeletionAttempt(sessionHash: session, maxAttempts: 2, now: now) == nil, "burned")
        #expect(try await !store.useDeletionCode(sessionHash: session, id: "c", now: now + 100), "expired")
        #expect(try await store.useDeletionCode(sessionHash: session, id: "c", now: now + 99))
        #expect(try await !store.useDeletionCode(sessionHash: session, id: "c", now: now + 99), "used once")
    }

    @Test("a deletion code goes with its session when the account is erased")
    func goneWithTheSession() async throws {
        let (fixture, _, accountId, session) = try await signedIn(to: 1)
        let store = fixture.store
        let now = fixture.clock.now()
        let (code, mail) = deletionCode(session, id: "c", at: now)
        #expect(try await store.issueDeletionCode(code, message: mail, resendInterval: 60, limit: Self.plenty))
        #expect(try await store.eraseAccount(id: accountId, pseudonym: "erased:x", now: now))
        #expect(try await store.beginDeletionAttempt(sessionHash: session, maxAttempts: 5, now: now) == nil)
    }
}
