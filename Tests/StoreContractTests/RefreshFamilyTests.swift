import Logging
import LogintooCore
import LogintooStore
import LogintooTestSupport
import SQLKit
import Synchronization
import Testing

/// One live head per refresh family (docs/security.md F38, F40), on the store under test: SQLite, and PostgreSQL when
/// `LOGINTOO_TEST_POSTGRES_URL` is set.
@Suite("Refresh families keep one live head")
struct RefreshFamilyTests {
    /// A signed-in person's refresh family: the service, its client and the first refresh token.
    struct Family {
        let fixture: CoreFixture
        let tokens: TokenService
        let client: Client
        let first: String
        let grantId: String
        let accountId: String

        static func start(events: any SecurityEventSink = DiscardingEventSink()) async throws -> Family {
            let fixture = try await CoreFixture.make()
            let tokens = try await fixture.tokens(events: events)
            let client = try await fixture.registerClient().client
            let first = try #require(try await fixture.signInAndExchange(client: client, tokens: tokens).refresh_token)
            let (_, grant, _) = try #require(try await fixture.store.refreshToken(hash: SecretDigest.sha256(first)))
            return Family(fixture: fixture, tokens: tokens, client: client, first: first, grantId: grant.id, accountId: grant.accountId)
        }

        func refresh(_ token: String) async throws -> String {
            try #require(try await tokens.refresh(client: client, refreshToken: token, scope: nil).response.refresh_token)
        }

        /// A refresh with `token`: the next token, or why it was refused.
        func attempt(_ token: String) async -> Result<String, any Error> {
            do { return .success(try await refresh(token)) } catch { return .failure(error) }
        }

        /// Whether the token is the family's usable one, as the store holds it (asking the token endpoint would spend it).
        func isLive(_ token: String) async throws -> Bool {
            guard let (record, grant, _) = try await fixture.store.refreshToken(hash: SecretDigest.sha256(token)) else { return false }
            return record.retiredAt == nil && grant.revokedAt == nil
        }

        /// A token named `name` that a rotation of the first one would add.
        func successor(_ name: String) -> RefreshToken {
            let now = fixture.clock.now()
            return RefreshToken(tokenHash: SecretDigest.sha256(name), grantId: grantId, parentHash: SecretDigest.sha256(first),
                                createdAt: now, expiresAt: now + 60)
        }

        /// How many unretired tokens the family holds.
        func liveTokenCount() async throws -> Int {
            try await fixture.store.engine.read { db in
                try await db.raw("""
                    SELECT COUNT(*) AS n FROM refresh_tokens WHERE grant_id = \(bind: grantId) AND retired_at IS NULL
                    """).first(decodingColumn: "n", as: Int.self) ?? -1
            }
        }
    }

    @Test("a retry within the grace retires the successor it replaces, and the new one works")
    func retryReplacesSuccessor() async throws {
        let family = try await Family.start()
        let second = try await family.refresh(family.first)
        family.fixture.clock.advance(by: 5)
        let third = try await family.refresh(family.first)
        #expect(try await family.isLive(second) == false, "the replaced successor is retired")
        #expect(try await family.isLive(third))
        #expect(try await family.liveTokenCount() == 1)
        let fourth = try await family.refresh(third)
        #expect(try await family.isLive(fourth))
    }

    @Test("the replaced successor presented after the grace is reuse: the whole family is revoked")
    func replacedSuccessorIsReuse() async throws {
        let family = try await Family.start()
        let second = try await family.refresh(family.first)
        family.fixture.clock.advance(by: 5)
        let third = try await family.refresh(family.first)
        family.fixture.clock.advance(by: 11)
        await #expect(throws: TokenService.refreshTokenReused) { _ = try await family.refresh(second) }
        await #expect(throws: OAuthError.self, "the retry's token dies with its family") { _ = try await family.refresh(third) }
    }

    @Test("eight concurrent refreshes of one token within the grace leave exactly one usable token")
    func concurrentRefreshesLeaveOneHead() async throws {
        let family = try await Family.start()
        let answers = await withTaskGroup(of: String?.self) { group in
            for _ in 0..<8 { group.addTask { try? await family.refresh(family.first) } }
            return await group.reduce(into: [String?]()) { $0.append($1) }
        }
        let issued = answers.compactMap { $0 }
        #expect(issued.count == 8, "each was a retry within the grace, answered in the family")
        var live: [String] = []
        for token in issued where try await family.isLive(token) { live.append(token) }
        #expect(live.count == 1)
        #expect(try await family.liveTokenCount() == 1)
        let head = try #require(live.first)
        #expect(try await family.isLive(try await family.refresh(head)))
    }

    @Test("a retry of the predecessor and its successor presented at once: one is answered, and the family revoked")
    func retryAndSuccessorAtOnce() async throws {
        for _ in 0..<6 {
            let family = try await Family.start()
            let second = try await family.refresh(family.first)
            async let retry = family.attempt(family.first)
            async let next = family.attempt(second)
            let answers = await [retry, next]
            // Whichever goes first, the other is reuse: the retried token's successor was used, or the successor retired.
            #expect(answers.filter { (try? $0.get()) != nil }.count == 1)
            #expect(answers.contains { answer in
                guard case .failure(let error) = answer else { return false }
                return (error as? OAuthError) == TokenService.refreshTokenReused
            })
            let (_, grant, _) = try #require(try await family.fixture.store.refreshToken(hash: SecretDigest.sha256(second)))
            #expect(grant.revokedAt != nil)
        }
    }

    @Test("the store applies the decision it is given: told a live head is reused, it revokes the family")
    func storeAppliesTheDecision() async throws {
        let family = try await Family.start()
        let store = family.fixture.store
        let now = family.fixture.clock.now()
        let replacement = family.successor("unused")
        let outcome = try await store.rotateRefreshToken(hash: SecretDigest.sha256(family.first), now: now) { _ in
            RotationPlan(decision: .reuse, replacement: replacement)
        }
        #expect(outcome == .reuseDetected(grantId: family.grantId, accountId: family.accountId))
        #expect(try await store.refreshToken(hash: SecretDigest.sha256(family.first))?.1.revokedAt == now)
        #expect(try await store.refreshToken(hash: replacement.tokenHash) == nil, "nothing was added")
    }

    @Test("the store reads the facts the rule needs: a live head, then the retired token and its unused successor")
    func storeReportsFacts() async throws {
        let family = try await Family.start()
        let store = family.fixture.store
        let now = family.fixture.clock.now()
        let hash = SecretDigest.sha256(family.first)
        let seen = FactsSeen()
        let (second, third) = (family.successor("second"), family.successor("third"))
        let first = try await store.rotateRefreshToken(hash: hash, now: now) { presented in
            seen.record(presented)
            return RotationPlan(decision: .rotate(touchingSession: false), replacement: second)
        }
        _ = try await store.rotateRefreshToken(hash: hash, now: now + 1) { presented in
            seen.record(presented)
            return RotationPlan(decision: .invalid, replacement: third)
        }
        let (headRead, retiredRead) = try #require(seen.both)
        let (head, retired) = (headRead.facts, retiredRead.facts)
        #expect(first == .rotated(headRead), "a rotation answers what it read")
        let (_, grant, account) = try #require(try await store.refreshToken(hash: hash))
        #expect(headRead.grant == grant && headRead.account == account && headRead.account?.id == family.accountId)
        #expect(headRead.token.tokenHash == hash && headRead.token.retiredAt == nil)
        #expect(head.retiredAt == nil && head.unusedSuccessor == nil && head.clientId == family.client.id)
        #expect(head.grantId == family.grantId && head.grantRevokedAt == nil && head.sessionLastSeenAt == now)
        #expect(retired.retiredAt == now && retired.unusedSuccessor == SecretDigest.sha256("second"))
        #expect(try await store.refreshToken(hash: SecretDigest.sha256("third")) == nil, "an invalid decision changes nothing")
    }

    @Test("a plan that refuses changes nothing and its error is thrown; an unknown token is not planned for")
    func refusedPlanChangesNothing() async throws {
        let family = try await Family.start()
        let store = family.fixture.store
        let now = family.fixture.clock.now()
        let hash = SecretDigest.sha256(family.first)
        let replacement = family.successor("refused")
        await #expect(throws: OAuthError(.invalidScope, "refused")) {
            _ = try await store.rotateRefreshToken(hash: hash, now: now) { _ in throw OAuthError(.invalidScope, "refused") }
        }
        #expect(try await family.isLive(family.first), "the token is still the family's head")
        #expect(try await store.refreshToken(hash: replacement.tokenHash) == nil, "nothing was added")
        let planned = Mutex(false)
        let unknown = try await store.rotateRefreshToken(hash: SecretDigest.sha256("no such token"), now: now) { _ in
            planned.withLock { $0 = true }
            return RotationPlan(decision: .reuse, replacement: replacement)
        }
        #expect(unknown == .unknown && planned.withLock { $0 } == false)
        #expect(try await family.isLive(try await family.refresh(family.first)), "the refused token still rotates")
    }

    /// What changes the family while a rotation waits for it, between the rotation's read and its write.
    enum Meanwhile: String, CaseIterable, CustomTestStringConvertible {
        case headRotated, grantRevoked
        var testDescription: String { rawValue }
    }

    @Test("a rotation whose head is rotated, or whose grant is revoked, between its read and its write writes nothing and is planned again on what was committed",
          .enabled(if: TestDatabase.postgresURL != nil, "PostgreSQL rotates a live head outside a transaction"),
          arguments: Meanwhile.allCases)
    func changedBetweenReadAndWrite(_ meanwhile: Meanwhile) async throws {
        let family = try await Family.start()
        let store = family.fixture.store
        let now = family.fixture.clock.now()
        let hash = SecretDigest.sha256(family.first)
        let (mine, theirs) = (family.successor("mine"), family.successor("theirs"))
        let (locked, lockTaken) = AsyncStream<Void>.makeStream()
        // Another transaction holds the grant's row, which the rotation's write would lock first, and changes the family
        // once the rotation waits for it: the write, which does not wait for a held grant, leaves it to the transaction,
        // which does.
        let holder = Task {
            try await store.engine.queuedTransaction { db in
                try await db.raw("SELECT id FROM grants WHERE id = \(bind: family.grantId) FOR UPDATE").run()
                lockTaken.yield()
                try await Self.untilSomeoneWaitsForALock(store)
                switch meanwhile {
                case .headRotated:
                    try await db.raw("UPDATE refresh_tokens SET retired_at = \(bind: now) WHERE token_hash = \(bind: hash)").run()
                    try await db.raw("""
                        INSERT INTO refresh_tokens (token_hash, grant_id, parent_hash, created_at, expires_at)
                        VALUES (\(bind: theirs.tokenHash), \(bind: theirs.grantId), \(bind: hash), \(bind: now), \(bind: now + 60))
                        """).run()
                case .grantRevoked:
                    try await db.raw("UPDATE grants SET revoked_at = \(bind: now) WHERE id = \(bind: family.grantId)").run()
                }
            }
        }
        for await _ in locked { break }
        let seen = FactsSeen()
        let outcome = try await store.rotateRefreshToken(hash: hash, now: now) { presented in
            seen.record(presented)
            let facts = presented.facts
            if facts.grantRevokedAt != nil { return RotationPlan(decision: .invalid, replacement: mine) }
            if let twin = facts.unusedSuccessor {
                return RotationPlan(decision: .replaceUnusedSuccessor(twin, touchingSession: false), replacement: mine)
            }
            return RotationPlan(decision: .rotate(touchingSession: false), replacement: mine)
        }
        try await holder.value
        let (first, again) = try #require(seen.both)
        #expect(first.token.retiredAt == nil && first.grant.revokedAt == nil, "the first read found a live head")
        switch meanwhile {
        case .headRotated:
            #expect(again.token.retiredAt == now && again.unusedSuccessor == theirs.tokenHash)
            #expect(outcome == .graceRetry(again))
            #expect(try await family.isLive("mine"))
            #expect(try await family.isLive("theirs") == false, "the successor another wrote was replaced")
        case .grantRevoked:
            #expect(again.grant.revokedAt == now && again.token.retiredAt == nil)
            #expect(outcome == .invalid)
            #expect(try await store.refreshToken(hash: mine.tokenHash) == nil, "nothing was added to a revoked grant")
        }
        #expect(try await family.liveTokenCount() == 1, "one live head")
    }

    @Test("a rotation that gives up waiting for a grant another transaction holds has rotated nothing once it is let go",
          .enabled(if: TestDatabase.postgresURL != nil, "PostgreSQL rotates a live head outside a transaction"),
          .timeLimit(.minutes(1)))
    func givenUpWhileTheGrantIsHeld() async throws {
        let family = try await Family.start()
        let store = family.fixture.store
        // A second instance on the same database, whose database calls end after one second instead of eight.
        var settings = try PostgresEngine.Settings(url: try #require(TestDatabase.postgresURL))
        settings.database = try #require(try await store.engine.read { db in
            try await db.raw("SELECT current_database() AS name").first(decodingColumn: "name", as: String.self)
        })
        let hurried = PostgresEngine.open(settings, logger: Logger(label: "test"), deadline: .seconds(1))
        do {
            try await Self.rotateGivingUp(family, on: hurried)
        } catch {
            try await hurried.close()
            throw error
        }
        try await hurried.close()
    }

    static func rotateGivingUp(_ family: Family, on hurried: PostgresEngine) async throws {
        let store = family.fixture.store
        // A server that cancels a statement whose client has gone would hide a statement that commits after its caller
        // gave up: the check is off by default, and must be for this test to tell.
        let check = try await store.engine.read { db in
            try await db.raw("SHOW client_connection_check_interval").first(decodingColumn: "client_connection_check_interval",
                                                                           as: String.self)
        }
        try #require(check == "0", "client_connection_check_interval is \(check ?? "?")")
        // The instance's connection opened beforehand, so that its one second is spent waiting for the grant.
        try await hurried.run { db in try await db.raw("SELECT 1").run() }
        let hash = SecretDigest.sha256(family.first)
        let (locked, lockTaken) = AsyncStream<Void>.makeStream()
        let (release, released) = AsyncStream<Void>.makeStream()
        let holder = Task {
            defer { lockTaken.finish() }
            try await store.engine.queuedTransaction { db in
                try await db.raw("SELECT id FROM grants WHERE id = \(bind: family.grantId) FOR UPDATE").run()
                lockTaken.yield()
                for await _ in release { break }
            }
        }
        for await _ in locked { break }
        let late = family.successor("late")
        let call = await BoundedOutcome.of(within: .seconds(10)) {
            try await SQLStore(engine: hurried).rotateRefreshToken(hash: hash, now: family.fixture.clock.now()) { _ in
                RotationPlan(decision: .rotate(touchingSession: false), replacement: late)
            }
        }
        #expect(call.error is StoreUnavailable, "the call ends at its deadline while the grant is held: \(call)")
        // The statements of the call that gave up may still wait for the grant in the database: once they have it, a
        // statement outside a transaction would commit the rotation on its own, after its caller was told to try again.
        released.yield()
        try await holder.value
        try await Self.untilNoOtherStatementRuns(store)
        #expect(try await family.isLive(family.first), "the token is still the family's head, for the caller to retry")
        #expect(try await store.refreshToken(hash: late.tokenHash) == nil)
    }

    /// Returns once no other session of the store's database runs a statement or holds a transaction open; fails the test
    /// after ten seconds.
    static func untilNoOtherStatementRuns(_ store: SQLStore) async throws {
        for _ in 0..<1000 {
            let busy = try await store.engine.read { db in
                try await db.raw("""
                    SELECT COUNT(*) AS n FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'
                    """).first(decodingColumn: "n", as: Int.self) ?? 0
            }
            if busy == 0 { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("a statement of the database never ended")
    }

    /// Returns once a statement of the store's database waits for a row lock; fails the test after ten seconds.
    static func untilSomeoneWaitsForALock(_ store: SQLStore) async throws {
        for _ in 0..<1000 {
            let waiting = try await store.engine.read { db in
                try await db.raw("""
                    SELECT COUNT(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                    """).first(decodingColumn: "n", as: Int.self) ?? 0
            }
            if waiting > 0 { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the rotation never waited for the grant's row")
    }

    /// What a store passed to its plan, in order.
    final class FactsSeen: Sendable {
        private let facts = Mutex<[PresentedRefreshToken]>([])
        func record(_ presented: PresentedRefreshToken) { facts.withLock { $0.append(presented) } }
        /// What the first and the last call read (a call may run more than once on PostgreSQL).
        var both: (PresentedRefreshToken, PresentedRefreshToken)? {
            facts.withLock { $0.count >= 2 ? ($0[0], $0[$0.count - 1]) : nil }
        }
    }
}
