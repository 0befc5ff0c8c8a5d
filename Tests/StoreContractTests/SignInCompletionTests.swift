import LogintooCore
import LogintooStore
import SQLKit
import Testing

/// Completing a sign-in is one transaction (docs/architecture.md, one sign-in through the files): the proof, the login,
/// the account, the session, the authorization code and the known browser are written together or not at all.
@Suite("Sign-in completion")
struct SignInCompletionTests {
    /// Alice's login with a code checked and ready to complete, as `SignInService.verifyCode` leaves it.
    func checkedCode(_ fixture: CoreFixture) async throws -> (LoginTransaction, Challenge) {
        let client = try await fixture.registerClient().client
        let (login, _) = try await fixture.loginWithCode(client: client)
        let challenge = try #require(try await fixture.store.engine.run { db in
            try await db.raw("SELECT * FROM challenges WHERE login_id = \(bind: login.id)").first(decoding: Challenge.self,
                                                                                                  with: SQLRowDecoder(keyDecodingStrategy: .convertFromSnakeCase))
        })
        return (login, challenge)
    }

    func completion(_ login: LoginTransaction, _ challenge: Challenge, accountId: String = "new-account") -> SignInCompletion {
        SignInCompletion(loginId: login.id, proof: .code(challengeId: challenge.id), email: challenge.email, formerEmail: nil,
                         newAccountId: accountId, forgettingLimits: ["verify:short:alice@example.com"])
    }

    func records(_ fixture: CoreFixture, login: LoginTransaction, sessionHash: String = "session-1", codeHash: String = "code-1")
        -> @Sendable (Account) -> SignInRecords {
        let now = fixture.clock.now()
        let request = login.request
        return { account in
            SignInRecords(
                session: Session(idHash: sessionHash, accountId: account.id, authTime: now, createdAt: now, lastSeenAt: now,
                                 expiresAt: now + 3600),
                code: AuthorizationCode(codeHash: codeHash, clientId: request.clientId, redirectUri: request.redirectUri,
                                        codeChallenge: request.codeChallenge, nonce: nil, scope: "openid", accountId: account.id,
                                        sessionHash: sessionHash, authTime: now, createdAt: now, expiresAt: now + 60),
                knownBrowser: KnownBrowser(tokenHash: "known-" + sessionHash, accountId: account.id, createdAt: now,
                                           expiresAt: now + 3600))
        }
    }

    func count(_ fixture: CoreFixture, _ table: String) async throws -> Int {
        try await fixture.store.engine.run { db in
            try await db.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first(decodingColumn: "n", as: Int.self) ?? -1
        }
    }

    @Test("a completion writes the session, the code and the known browser, ends the login and uses the code")
    func completes() async throws {
        let fixture = try await CoreFixture.make()
        let (login, challenge) = try await checkedCode(fixture)
        let outcome = try await fixture.store.completeSignIn(completion(login, challenge), now: fixture.clock.now(),
                                                             records: records(fixture, login: login))
        guard case .completed(let account, let made) = outcome else { Issue.record("\(outcome)"); return }
        #expect(account.email == "alice@example.com" && made.session.accountId == account.id)
        #expect(try await fixture.store.liveSession(idHash: "session-1", idleLifetime: 3600, now: fixture.clock.now()) != nil)
        #expect(try await fixture.store.knownBrowserAccount(tokenHash: "known-session-1", now: fixture.clock.now())?.id == account.id)
        #expect(try await count(fixture, "authorization_codes") == 1)
        #expect(try await fixture.store.login(id: login.id) == nil)
        let again = try await fixture.store.completeSignIn(completion(login, challenge), now: fixture.clock.now(),
                                                           records: records(fixture, login: login, sessionHash: "session-2",
                                                                            codeHash: "code-2"))
        #expect(again == .proofUsed, "a proof completes one sign-in")
        #expect(try await count(fixture, "sessions") == 1)
    }

    @Test("when a write of the completion fails, nothing of it stays: the login, the code and the budget are as before")
    func allOrNothing() async throws {
        var fixture = try await CoreFixture.make()
        fixture.policy.sendInterval = 0
        let (earlier, earlierChallenge) = try await checkedCode(fixture)
        _ = try await fixture.store.completeSignIn(completion(earlier, earlierChallenge), now: fixture.clock.now(),
                                                   records: records(fixture, login: earlier, codeHash: "taken"))
        let (login, challenge) = try await checkedCode(fixture)
        try await fixture.store.engine.run { db in
            try await db.raw("INSERT INTO rate_limits (bucket, window_start, hits, last_at) VALUES ('verify:short:alice@example.com', 1, 3, 1)")
                .run()
        }
        // The authorization code's digest collides with one already stored: the last write fails.
        await #expect(throws: (any Error).self) {
            _ = try await fixture.store.completeSignIn(completion(login, challenge, accountId: "second"), now: fixture.clock.now(),
                                                       records: records(fixture, login: login, sessionHash: "session-2",
                                                                        codeHash: "taken"))
        }
        #expect(try await fixture.store.login(id: login.id) != nil, "the login goes on")
        #expect(try await fixture.store.liveSession(idHash: "session-2", idleLifetime: 3600, now: fixture.clock.now()) == nil)
        #expect(try await fixture.store.knownBrowserAccount(tokenHash: "known-session-2", now: fixture.clock.now()) == nil)
        #expect(try await count(fixture, "rate_limits WHERE bucket = 'verify:short:alice@example.com'") == 1,
                "the failures are not forgotten")
        let retried = try await fixture.store.completeSignIn(completion(login, challenge), now: fixture.clock.now(),
                                                             records: records(fixture, login: login, sessionHash: "session-2",
                                                                              codeHash: "fresh"))
        guard case .completed = retried else { Issue.record("the unused code still completes: \(retried)"); return }
    }

    @Test("a sign-in cancelled by 'this wasn't me' after its code was checked does not complete")
    func cancelledMeanwhile() async throws {
        let fixture = try await CoreFixture.make()
        let (login, challenge) = try await checkedCode(fixture)
        let link = CancelLink(tokenHash: "cancel", email: challenge.email, mailbox: challenge.mailbox,
                              expiresAt: fixture.clock.now() + 60)
        try await fixture.store.engine.run { db in
            try await db.raw("""
                INSERT INTO cancel_links (token_hash, email, mailbox, expires_at)
                VALUES (\(bind: link.tokenHash), \(bind: link.email), \(bind: link.mailbox), \(bind: link.expiresAt))
                """).run()
        }
        #expect(try await fixture.store.cancelSignIns(linkHash: "cancel", now: fixture.clock.now()) == challenge.email)
        let outcome = try await fixture.store.completeSignIn(completion(login, challenge), now: fixture.clock.now(),
                                                             records: records(fixture, login: login))
        #expect(outcome == .proofUsed)
        #expect(try await count(fixture, "sessions") == 0)
        #expect(try await count(fixture, "accounts") == 0)
    }

    @Test("a disabled account's sign-in uses the proof and ends the login, and writes no session, code or known browser")
    func disabledAccount() async throws {
        let fixture = try await CoreFixture.make()
        let (login, challenge) = try await checkedCode(fixture)
        let account = try await fixture.store.findOrCreateAccount(email: challenge.email, newId: "alice", now: 1)
        try await fixture.store.engine.run { db in
            try await db.raw("UPDATE accounts SET disabled_at = 2 WHERE id = \(bind: account.id)").run()
        }
        let outcome = try await fixture.store.completeSignIn(completion(login, challenge), now: fixture.clock.now(),
                                                             records: records(fixture, login: login))
        #expect(outcome == .accountDisabled)
        #expect(try await fixture.store.login(id: login.id) == nil)
        for table in ["sessions", "authorization_codes", "known_browsers"] {
            #expect(try await count(fixture, table) == 0, "\(table)")
        }
        #expect(try await fixture.store.completeSignIn(completion(login, challenge), now: fixture.clock.now(),
                                                       records: records(fixture, login: login)) == .proofUsed)
    }
}

/// "This wasn't me" and "use another email" end a sign-in approved on another device that its browser has not finished.
@Suite("Approved sign-ins and cancellation")
struct ApprovedSignInTests {
    /// Alice's login whose magic link was confirmed on another device, not yet finished by the browser that asked.
    func approved(_ fixture: CoreFixture) async throws -> (LoginTransaction, Challenge) {
        let client = try await fixture.registerClient().client
        let (login, _) = try await fixture.loginWithCode(client: client)
        let linkHash = try #require(try await fixture.store.engine.run { db in
            try await db.raw("SELECT link_hash FROM challenges WHERE login_id = \(bind: login.id)")
                .first(decodingColumn: "link_hash", as: String.self)
        })
        #expect(try await fixture.store.approveLink(linkHash: linkHash, now: fixture.clock.now()))
        return (login, try #require(try await fixture.store.approvedChallenge(loginId: login.id)))
    }

    func claim(_ fixture: CoreFixture, _ login: LoginTransaction, _ challenge: Challenge) async throws -> SignInCompletionOutcome {
        let now = fixture.clock.now()
        let request = login.request
        return try await fixture.store.completeSignIn(
            SignInCompletion(loginId: login.id, proof: .approval(challengeId: challenge.id), email: challenge.email, formerEmail: nil,
                             newAccountId: "alice", forgettingLimits: []),
            now: now,
            records: { account in
                let session = Session(idHash: "s", accountId: account.id, authTime: now, createdAt: now, lastSeenAt: now,
                                      expiresAt: now + 60)
                return SignInRecords(session: session, code: AuthorizationCodeRedirect(
                    code: "c", request: request, accountId: account.id, session: session, now: now, policy: fixture.policy).record,
                    knownBrowser: nil)
            })
    }

    @Test("'this wasn't me' ends a sign-in approved on another device: the waiting browser cannot finish it")
    func notMeAfterApproval() async throws {
        let fixture = try await CoreFixture.make()
        let (login, challenge) = try await approved(fixture)
        try await fixture.store.engine.run { db in
            try await db.raw("""
                INSERT INTO cancel_links (token_hash, email, mailbox, expires_at)
                VALUES ('cancel', \(bind: challenge.email), \(bind: challenge.mailbox), \(bind: fixture.clock.now() + 60))
                """).run()
        }
        #expect(try await fixture.store.cancelSignIns(linkHash: "cancel", now: fixture.clock.now()) == challenge.email)
        #expect(try await claim(fixture, login, challenge) == .proofUsed)
    }

    @Test("'use another email' drops the first address's approval: it cannot finish the sign-in")
    func anotherEmailAfterApproval() async throws {
        let fixture = try await CoreFixture.make()
        let (login, challenge) = try await approved(fixture)
        try await fixture.store.forgetAddress(loginId: login.id, now: fixture.clock.now())
        #expect(try await fixture.store.approvedChallenge(loginId: login.id) == nil)
        #expect(try await claim(fixture, login, challenge) == .proofUsed)
    }

    @Test("without either, the approval finishes the sign-in once")
    func approvalCompletes() async throws {
        let fixture = try await CoreFixture.make()
        let (login, challenge) = try await approved(fixture)
        guard case .completed = try await claim(fixture, login, challenge) else { Issue.record("not completed"); return }
        #expect(try await claim(fixture, login, challenge) == .proofUsed)
    }

    @Test("the address a sign-in asks a code for is recorded on it, and never brings back one that has ended")
    func loginAddress() async throws {
        let fixture = try await CoreFixture.make()
        let login = try await fixture.newLogin(client: try await fixture.registerClient().client)
        try await fixture.store.setLoginAddress(id: login.id, email: "ana@example.com")
        #expect(try await fixture.store.login(id: login.id)?.email == "ana@example.com")
        try await fixture.store.deleteLogin(id: login.id)
        try await fixture.store.setLoginAddress(id: login.id, email: "ana@example.com")
        #expect(try await fixture.store.login(id: login.id) == nil)
    }
}
