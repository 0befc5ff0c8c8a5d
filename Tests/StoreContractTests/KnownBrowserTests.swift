import LogintooCore
import LogintooStore
import SQLKit
import Testing

/// Targeted lock-out, through the service and the store (SQLite, and PostgreSQL when configured): a browser that signed
/// in before keeps its own live code, sends and failure budget (docs/security.md: known and unknown browsers).
@Suite("Known browsers")
struct KnownBrowserTests {
    static let email = "alice@example.com"

    /// A fixture whose sends need not wait a minute apart, with alice signed in once and her browser remembered.
    func signedInOnce() async throws -> (CoreFixture, Client, token: String) {
        var fixture = try await CoreFixture.make()
        fixture.policy.sendInterval = 0
        let client = try await fixture.registerClient().client
        let (login, code) = try await fixture.loginWithCode(client: client, email: Self.email)
        guard case .signedIn(let signedIn) = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: code),
              let known = signedIn.knownBrowserToken
        else { throw FixtureError.noCode }
        return (fixture, client, known)
    }

    func send(_ fixture: CoreFixture, _ login: LoginTransaction, email: String = email, known token: String? = nil,
              session: String? = nil) async throws -> SignInService.SendOutcome {
        try await fixture.signIn.sendCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), email: email, clientIP: "192.0.2.1",
                                          credentials: BrowserCredentials(knownBrowserToken: token, sessionToken: session))
    }

    func wrong(_ code: String) -> String { code == "00000000" ? "11111111" : "00000000" }

    func lane(_ fixture: CoreFixture, login: LoginTransaction) async throws -> String? {
        try await fixture.store.engine.run { db in
            try await db.raw("SELECT lane FROM challenges WHERE login_id = \(bind: login.id)").first(decodingColumn: "lane", as: String.self)
        }
    }

    /// From unknown browsers: every send the address allows, and wrong codes until refused. (sent, failures, throttled)
    func attack(_ fixture: CoreFixture, _ client: Client) async throws -> (sent: Int, failures: Int, throttled: Bool) {
        var (sent, failures, throttled) = (0, 0, false)
        for _ in 0..<(fixture.policy.sendsPerAddressPerHour + 2) {
            let login = try await fixture.newLogin(client: client)
            guard try await send(fixture, login) == .queued, let code = fixture.composer.lastCode else { continue }
            sent += 1
            for _ in 0..<5 {
                let outcome = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: wrong(code))
                if case .wrongCode = outcome { failures += 1; continue }
                throttled = throttled || outcome == .throttled
                break
            }
        }
        return (sent, failures, throttled)
    }

    @Test("a known browser's live code and failure budget outlive every send and wrong code unknown browsers may spend")
    func liveCodeOutlivesAttack() async throws {
        let (fixture, client, token) = try await signedInOnce()
        let mine = try await fixture.newLogin(client: client)
        #expect(try await send(fixture, mine, known: token) == .queued)
        let code = try #require(fixture.composer.lastCode)
        let attack = try await attack(fixture, client)
        #expect(attack.sent == 4, "five an hour, one of them spent by alice's first sign-in")
        #expect(attack.failures == 10 && attack.throttled, "the shared budget still stops unknown browsers")
        #expect(try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: mine.id, browserHash: "browser"), code: wrong(code))
            == .wrongCode(attemptsLeft: 4))
        let outcome = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: mine.id, browserHash: "browser"), code: code)
        guard case .signedIn = outcome else { Issue.record("\(outcome)"); return }
    }

    @Test("a known browser has its own send allowance, five an hour; unknown browsers stay throttled")
    func ownSendAllowance() async throws {
        let (fixture, client, token) = try await signedInOnce()
        _ = try await attack(fixture, client)
        #expect(try await send(fixture, try await fixture.newLogin(client: client)) == .throttled)
        for _ in 0..<5 { #expect(try await send(fixture, try await fixture.newLogin(client: client), known: token) == .queued) }
        #expect(try await send(fixture, try await fixture.newLogin(client: client), known: token) == .throttled)
    }

    @Test("a known browser's failures count against its own budget of 10 per 15 minutes, not the one unknown browsers share")
    func ownFailureBudget() async throws {
        let (fixture, client, token) = try await signedInOnce()
        var failures = 0
        var throttled = false
        while failures < 10 {
            let login = try await fixture.newLogin(client: client)
            #expect(try await send(fixture, login, known: token) == .queued)
            let code = try #require(fixture.composer.lastCode)
            for _ in 0..<4 where failures < 10 {
                _ = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: wrong(code))
                failures += 1
            }
            if failures == 10 {
                throttled = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: code) == .throttled
            }
        }
        #expect(throttled, "its own budget is spent")
        let stranger = try await fixture.newLogin(client: client)
        #expect(try await send(fixture, stranger) == .queued)
        let code = try #require(fixture.composer.lastCode)
        #expect(try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: stranger.id, browserHash: "browser"), code: wrong(code))
            == .wrongCode(attemptsLeft: 4), "the budget unknown browsers share is untouched")
    }

    @Test("\"this wasn't me\" pauses the mailbox for unknown browsers for an hour, never for a known browser")
    func notMePause() async throws {
        let (fixture, client, token) = try await signedInOnce()
        #expect(try await send(fixture, try await fixture.newLogin(client: client)) == .queued)
        let link = try #require(fixture.composer.last?.cancelURL)
        let cancel = try #require(link.components(separatedBy: "t=").last)
        #expect(try await fixture.signIn.cancelSignIns(token: cancel) == Self.email)
        #expect(try await send(fixture, try await fixture.newLogin(client: client)) == .throttled)
        #expect(try await send(fixture, try await fixture.newLogin(client: client), email: "Alice+x@Example.com") == .throttled,
                "the pause keys on the mailbox")
        #expect(try await send(fixture, try await fixture.newLogin(client: client), known: token) == .queued)
        fixture.clock.advance(by: 3600)
        #expect(try await send(fixture, try await fixture.newLogin(client: client)) == .queued)
    }

    @Test("use another email: the first address's code ends, the second's signs in, and failures are charged to it")
    func useAnotherEmail() async throws {
        let fixture = try await CoreFixture.make()
        let client = try await fixture.registerClient().client
        let login = try await fixture.newLogin(client: client)
        #expect(try await send(fixture, login, email: "alcie@example.com") == .queued)
        let typoCode = try #require(fixture.composer.lastCode)
        try await fixture.signIn.useAnotherEmail(fixture.signIn.open(loginId: login.id, browserHash: "browser"))
        #expect(try await fixture.store.login(id: login.id)?.email == nil)
        #expect(try await send(fixture, login, email: Self.email) == .queued)
        let code = try #require(fixture.composer.lastCode)
        let typoWrong = typoCode == code ? wrong(code) : typoCode
        #expect(try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: typoWrong) == .wrongCode(attemptsLeft: 4))
        let buckets = try await fixture.store.engine.run { db in
            try await db.raw("SELECT bucket FROM rate_limits WHERE bucket LIKE 'verify:short:%'").all(decodingColumn: "bucket", as: String.self)
        }
        #expect(buckets == ["verify:short:" + Self.email], "charged to the address the code was sent to")
        let typoLive = try await fixture.store.engine.run { db in
            try await db.raw("SELECT id FROM challenges WHERE email = 'alcie@example.com'").all()
        }
        #expect(typoLive.isEmpty, "the first address's code and link are gone")
        let outcome = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: code)
        guard case .signedIn(let signedIn) = outcome else { Issue.record("\(outcome)"); return }
        #expect(signedIn.account.email == Self.email)
    }

    @Test("a live session of the account makes the browser known; another account's cookie or an expired one does not")
    func whatMakesABrowserKnown() async throws {
        let (fixture, client, token) = try await signedInOnce()
        let (login, code) = try await fixture.loginWithCode(client: client, email: Self.email)
        guard case .signedIn(let signedIn) = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: code)
        else { Issue.record("no session"); return }
        let sessionToken = signedIn.sessionToken
        let bySession = try await fixture.newLogin(client: client)
        _ = try await send(fixture, bySession, session: sessionToken)
        #expect(try await lane(fixture, login: bySession)?.hasPrefix("s:") == true)
        let byCookie = try await fixture.newLogin(client: client)
        _ = try await send(fixture, byCookie, known: token)
        #expect(try await lane(fixture, login: byCookie)?.hasPrefix("kb:") == true)
        let elsewhere = try await fixture.newLogin(client: client)
        _ = try await send(fixture, elsewhere, email: "bob@example.com", known: token, session: sessionToken)
        #expect(try await lane(fixture, login: elsewhere) == "", "alice's browser is unknown to bob's account")
        let forged = try await fixture.newLogin(client: client)
        _ = try await send(fixture, forged, known: "not-a-token-the-server-made")
        #expect(try await lane(fixture, login: forged) == "")
        fixture.clock.advance(by: fixture.policy.knownBrowserLifetime)
        let late = try await fixture.newLogin(client: client)
        _ = try await send(fixture, late, known: token)
        #expect(try await lane(fixture, login: late) == "", "a known browser is forgotten after a year")
    }

    @Test("concurrent sends from a known browser and from unknown browsers leave one live code per lane")
    func concurrentSendsPerLane() async throws {
        let (base, client, token) = try await signedInOnce()
        var fixture = base
        fixture.policy.sendsPerAddressPerHour = 100
        let logins = try await fixture.logins(client: client, count: 12)
        let signIn = fixture.signIn
        try await withThrowingTaskGroup(of: SignInService.SendOutcome.self) { group in
            for (n, login) in logins.enumerated() {
                group.addTask {
                    try await signIn.sendCode(signIn.open(loginId: login.id, browserHash: "browser"), email: Self.email, clientIP: "192.0.2.\(n)",
                                              credentials: BrowserCredentials(knownBrowserToken: n.isMultiple(of: 2) ? token : nil))
                }
            }
            for try await outcome in group { #expect(outcome == .queued) }
        }
        let lanes = try await fixture.store.engine.run { db in
            try await db.raw("""
                SELECT lane FROM challenges WHERE mailbox = \(bind: Self.email) AND consumed_at IS NULL
                """).all(decodingColumn: "lane", as: String.self)
        }
        #expect(lanes.count == 2 && Set(lanes).count == 2 && lanes.contains(""))
    }
}
