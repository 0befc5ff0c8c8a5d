import LogintooCore
import LogintooStore
import LogintooTestSupport
import SQLKit
import Testing

/// An operator's account operations on both engines: search, disable (refresh and sessions stop at once), enable,
/// ending sessions and grants, and erasure that keeps the audit trail under a pseudonym (docs/security.md N82–N84).
@Suite("Account administration in the store")
struct AccountAdministrationTests {
    /// A signed-in account with a session, a grant and its refresh token: (fixture, client, tokens, account id, refresh).
    func signedIn(email: String = "alice@example.com") async throws
        -> (CoreFixture, Client, TokenService, String, String) {
        var fixture = try await CoreFixture.make()
        fixture.policy.sendInterval = 0
        let client = try await fixture.registerClient().client
        let tokens = try await fixture.tokens()
        let response = try await fixture.signInAndExchange(client: client, tokens: tokens)
        let account = try #require(try await fixture.store.account(email: email))
        return (fixture, client, tokens, account.id, try #require(response.refresh_token))
    }

    func administration(_ fixture: CoreFixture, events: any SecurityEventSink = DiscardingEventSink()) -> AccountAdministration {
        AccountAdministration(store: fixture.store, clock: fixture.clock, secret: fixture.secret, events: events)
    }

    @Test("search finds accounts by address prefix, in order, with wildcards taken literally, and pages")
    func search() async throws {
        let fixture = try await CoreFixture.make()
        let addresses = ["bob@example.com", "ann@example.com", "ann_lee@example.com", "annie@example.org", "a%b@example.com",
                         "anm@example.com", "ano@example.com", "an@example.com"]
        for (index, email) in addresses.enumerated() {
            _ = try await fixture.store.findOrCreateAccount(email: email, newId: "id-\(index)", now: fixture.clock.now())
        }
        let admin = administration(fixture)
        #expect(try await admin.search(prefix: "ANN").map(\.account.email)
                == ["ann@example.com", "ann_lee@example.com", "annie@example.org"])
        #expect(try await admin.search(prefix: "ann_").map(\.account.email) == ["ann_lee@example.com"], "_ is not a wildcard")
        #expect(try await admin.search(prefix: "a%").map(\.account.email) == ["a%b@example.com"], "% is not a wildcard")
        #expect(try await admin.search(prefix: "ann", after: "ann_lee@example.com").map(\.account.email) == ["annie@example.org"])
        #expect(try await admin.search(prefix: "ann", limit: 1).count == 1)
        #expect(try await admin.search(prefix: "zed").isEmpty)
        #expect(try await admin.search(prefix: "ann@example.com").map(\.account.email) == ["ann@example.com"])
        #expect(try await admin.search(prefix: "anné").isEmpty)
        #expect(try await admin.search(prefix: "ann\u{10FFFF}").isEmpty)
        #expect(try await admin.search(prefix: "").map(\.account.email) == addresses.sorted(), "in byte order")
        #expect(try await admin.search(prefix: "", after: "anm@example.com", limit: 2).map(\.account.email)
                == ["ann@example.com", "ann_lee@example.com"])
    }

    @Test("search keeps byte order on a PostgreSQL column that sorts by language (an ICU collation)",
          .enabled(if: TestDatabase.postgresURL != nil))
    func searchInByteOrderUnderALanguageCollation() async throws {
        let fixture = try await CoreFixture.make()
        try await fixture.store.engine.run { db in
            try await db.raw(#"ALTER TABLE accounts ALTER COLUMN email TYPE TEXT COLLATE "und-x-icu""#).run()
        }
        // By language: a_c, a-b, a@, ab; by byte: a-b, a@, a_c, ab.
        let addresses = ["ab@example.com", "a_c@example.com", "a@example.com", "a-b@example.com", "b@example.com"]
        for (index, email) in addresses.enumerated() {
            _ = try await fixture.store.findOrCreateAccount(email: email, newId: "id-\(index)", now: fixture.clock.now())
        }
        let admin = administration(fixture)
        #expect(try await admin.search(prefix: "a").map(\.account.email)
                == ["a-b@example.com", "a@example.com", "a_c@example.com", "ab@example.com"])
        #expect(try await admin.search(prefix: "a", after: "a@example.com", limit: 1).map(\.account.email) == ["a_c@example.com"])
    }

    @Test("disabling ends sessions, grants and refresh at once; enabling brings none of them back")
    func disable() async throws {
        let (fixture, client, tokens, accountId, refresh) = try await signedIn()
        let events = CapturingEventSink()
        let admin = administration(fixture, events: events)
        let details = try #require(try await admin.details(id: accountId))
        #expect(details.sessions.count == 1 && details.grants.count == 1 && details.summary.lastSignInAt != nil)
        #expect(details.recentEvents.contains { $0.kind == "signed_in" } || details.recentEvents.isEmpty)

        let lockout = try await admin.disable(id: accountId, actor: "cli")
        #expect(lockout == AccountLockout(sessionsEnded: 1, grantsRevoked: 1))
        await #expect(throws: OAuthError.self) { _ = try await tokens.refresh(client: client, refreshToken: refresh, scope: nil) }
        #expect(try await fixture.store.sessions(accountId: accountId, now: fixture.clock.now()).isEmpty)
        #expect(try await fixture.store.account(id: accountId)?.disabledAt != nil)
        #expect(events.events.count == 1)

        #expect(try await admin.enable(id: accountId, actor: "cli"))
        #expect(try await fixture.store.account(id: accountId)?.disabledAt == nil)
        await #expect(throws: OAuthError.self) { _ = try await tokens.refresh(client: client, refreshToken: refresh, scope: nil) }
        #expect(try await admin.disable(id: "nobody", actor: "cli") == nil)
        #expect(try await admin.enable(id: "nobody", actor: "cli") == false)
    }

    @Test("a disabled account cannot sign in again until it is enabled")
    func disabledCannotSignIn() async throws {
        let (fixture, client, tokens, accountId, _) = try await signedIn()
        let admin = administration(fixture)
        _ = try await admin.disable(id: accountId, actor: "cli")
        await #expect(throws: (any Error).self) { _ = try await fixture.signInAndExchange(client: client, tokens: tokens) }
        _ = try await admin.enable(id: accountId, actor: "cli")
        fixture.clock.advance(by: 120)
        #expect(try await fixture.signInAndExchange(client: client, tokens: tokens).refresh_token != nil)
    }

    @Test("ending one session or all, and revoking grants, touch only that account")
    func endSessionsAndGrants() async throws {
        let (fixture, client, tokens, accountId, refresh) = try await signedIn()
        let other = try await fixture.signInAndExchange(client: client, tokens: tokens)
        let admin = administration(fixture)
        let sessions = try await fixture.store.sessions(accountId: accountId, now: fixture.clock.now())
        #expect(sessions.count == 2)
        #expect(try await admin.endSessions(accountId: "someone-else", sessionHash: sessions[0].idHash, actor: "cli")
                == nil)
        #expect(try await fixture.store.endSessions(accountId: "someone-else", sessionHash: sessions[0].idHash,
                                                    now: fixture.clock.now()).sessionsEnded == 0,
                "another account's id ends nothing")
        let one = try await admin.endSessions(accountId: accountId, sessionHash: sessions[0].idHash, actor: "cli")
        #expect(one == AccountLockout(sessionsEnded: 1, grantsRevoked: 1))
        #expect(try await fixture.store.sessions(accountId: accountId, now: fixture.clock.now()).map(\.idHash) == [sessions[1].idHash])

        let grants = try await fixture.store.grants(accountId: accountId, now: fixture.clock.now())
        #expect(grants.count == 1)
        #expect(try await admin.revokeGrants(accountId: accountId, grantId: grants[0].id, actor: "cli") == 1)
        #expect(try await fixture.store.grants(accountId: accountId, now: fixture.clock.now()).isEmpty)
        await #expect(throws: OAuthError.self) { _ = try await tokens.refresh(client: client, refreshToken: refresh, scope: nil) }
        await #expect(throws: OAuthError.self) {
            _ = try await tokens.refresh(client: client, refreshToken: try #require(other.refresh_token), scope: nil)
        }
    }

    @Test("erasing forgets the person and keeps their audit records under one pseudonym")
    func erase() async throws {
        let (fixture, client, tokens, accountId, refresh) = try await signedIn()
        try await fixture.store.appendAudit(AuditRecord(id: "a1", at: fixture.clock.now(), kind: "code_sent", email: "alice@example.com",
                                                        clientId: client.id))
        try await fixture.store.appendAudit(AuditRecord(id: "a2", at: fixture.clock.now(), kind: "code_sent", email: "bob@example.com"))
        _ = try await fixture.loginWithCode(client: client)
        let admin = administration(fixture)
        let pseudonym = try #require(try await admin.erase(id: accountId, actor: "client-1"))
        #expect(pseudonym.hasPrefix("erased:") && !pseudonym.contains("alice"))
        #expect(try await fixture.store.account(id: accountId) == nil)
        #expect(try await fixture.store.account(email: "alice@example.com") == nil)
        #expect(try await fixture.store.sessions(accountId: accountId, now: fixture.clock.now()).isEmpty)
        await #expect(throws: OAuthError.self) { _ = try await tokens.refresh(client: client, refreshToken: refresh, scope: nil) }
        #expect(try await fixture.store.auditRecords(limit: 100, kind: nil, email: "alice@example.com").isEmpty)
        let kept = try await fixture.store.auditRecords(limit: 100, kind: nil, email: pseudonym)
        #expect(kept.contains { $0.id == "a1" })
        #expect(try await fixture.store.auditRecords(limit: 100, kind: nil, email: "bob@example.com").count == 1, "others stay")
        #expect(try await admin.erase(id: accountId, actor: "cli") == nil, "erased once")
        #expect(try await fixture.store.pendingMessageCount() == 0, "no unsent email to the address is kept")
        // The same address signs in afresh as a new account.
        fixture.clock.advance(by: 120)
        _ = try await fixture.signInAndExchange(client: client, tokens: tokens)
        #expect(try await fixture.store.account(email: "alice@example.com")?.id != accountId)
    }

    @Test("the audit filter narrows by account, client, kind and time, newest first, and pages")
    func auditFilter() async throws {
        let fixture = try await CoreFixture.make()
        let store = fixture.store
        let records = [
            AuditRecord(id: "1", at: 100, kind: "code_sent", email: "a@example.com", clientId: "c1"),
            AuditRecord(id: "2", at: 200, kind: "signed_in", email: "a@example.com", clientId: "c1", subject: "acct-a"),
            AuditRecord(id: "3", at: 200, kind: "grant_revoked", clientId: "c2", subject: "grant-9"),
            AuditRecord(id: "4", at: 300, kind: "passkey_removed", subject: "acct-a"),
            AuditRecord(id: "5", at: 400, kind: "code_sent", email: "b@example.com", clientId: "c2"),
        ]
        for record in records { try await store.appendAudit(record) }
        let admin = administration(fixture)
        #expect(try await admin.audit(AuditFilter(accountId: "acct-a", email: "a@example.com")).map(\.id) == ["4", "2", "1"])
        #expect(try await admin.audit(AuditFilter(accountId: "acct-a")).map(\.id) == ["4", "2"])
        #expect(try await admin.audit(AuditFilter(clientId: "c2")).map(\.id) == ["5", "3"])
        #expect(try await admin.audit(AuditFilter(kind: "code_sent")).map(\.id) == ["5", "1"])
        #expect(try await admin.audit(AuditFilter(since: 200, until: 400)).map(\.id) == ["4", "3", "2"])
        #expect(try await admin.audit(AuditFilter(), before: AuditCursor(at: 200, id: "3"), limit: 2).map(\.id) == ["2", "1"])
    }
}
