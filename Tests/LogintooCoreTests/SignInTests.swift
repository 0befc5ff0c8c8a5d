import LogintooCore
import LogintooStore
import Synchronization
import Testing

@Suite("One-time codes")
struct SignInTests {
    @Test("a person whose account was kept under the Unicode spelling of their domain signs in to that same account")
    func formerUnicodeDomain() async throws {
        let fixture = try await CoreFixture.make()
        let client = try await fixture.registerClient().client
        let former = try await fixture.store.findOrCreateAccount(email: "bob@bücher.de", newId: "former", now: 1)
        let (login, code) = try await fixture.loginWithCode(client: client, email: "Bob@Bücher.de")
        let outcome = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: code)
        guard case .signedIn(let signedIn) = outcome else {
            Issue.record("expected a sign-in, got \(outcome)")
            return
        }
        let account = signedIn.account
        #expect(account.id == former.id && account.email == "bob@xn--bcher-kva.de", "the same subject, under the A-label")
    }

    @Test("digits are drawn independently, so codes repeat digits as chance says (the original never repeated one)")
    func digitsRepeat() async throws {
        let fixture = try await CoreFixture.make()
        let client = try await fixture.registerClient().client
        var withRepeats = 0
        for index in 0..<40 {
            let (_, code) = try await fixture.loginWithCode(client: client, email: "user\(index)@example.com", ip: "192.0.2.\(index)")
            if Set(code).count < code.count { withRepeats += 1 }
        }
        // Independent digits repeat within 8 digits 98% of the time; digits that never repeat would give 0.
        #expect(withRepeats >= 30)
    }

    @Test("the email speaks ui_locales, else the browser's language, and names the browser coarsely")
    func emailLanguage() async throws {
        let fixture = try await CoreFixture.make()
        let client = try await fixture.registerClient().client
        var login = LoginTransaction(id: "tx-lang", browserHash: "browser", request: fixture.request(for: client),
                                     createdAt: fixture.clock.now(), expiresAt: fixture.clock.now() + 3600)
        try await fixture.store.saveLogin(login)
        _ = try await fixture.signIn.sendCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), email: "ana@example.com", clientIP: "192.0.2.9",
                                              userAgent: "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
                                              acceptLanguage: "pt-BR,pt;q=0.9,en;q=0.5")
        let first = try #require(fixture.composer.last)
        #expect(first.language == "pt" && first.browser == "Firefox (Linux)" && first.requestedAt == fixture.clock.now())
        login.id = "tx-ui"
        login.request.uiLocales = "ja"
        try await fixture.store.saveLogin(login)
        _ = try await fixture.signIn.sendCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), email: "ken@example.com", clientIP: "192.0.2.9",
                                              acceptLanguage: "de")
        #expect(fixture.composer.last?.language == "ja")
    }

    @Test("a code is 8 digits, stored only as a salted HMAC, and emailed through the outbox")
    func codeShapeAndStorage() async throws {
        let fixture = try await CoreFixture.make()
        let client = try await fixture.registerClient().client
        let (_, code) = try await fixture.loginWithCode(client: client)
        #expect(code.count == 8 && code.allSatisfy(\.isNumber))
        let due = try await fixture.store.claimDueMessages(now: fixture.clock.now(), limit: 10, lease: 60)
        #expect(due.count == 1)
        #expect(!due[0].sealedContent.contains(code), "the outbox holds the email sealed, not in clear")
        let dump = try await fixture.store.engine.run { db in
            try await db.raw("SELECT code_hash FROM challenges").all(decodingColumn: "code_hash", as: String.self)
        }
        #expect(dump.count == 1 && dump[0] != code && !dump[0].contains(code))
    }

    @Test("a correct code signs in once and creates the account with a random subject")
    func signInOnce() async throws {
        let fixture = try await CoreFixture.make()
        let client = try await fixture.registerClient().client
        let (login, code) = try await fixture.loginWithCode(client: client)
        let outcome = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: code)
        guard case .signedIn(let signedIn) = outcome else { Issue.record("\(outcome)"); return }
        let (account, token, session) = (signedIn.account, signedIn.sessionToken, signedIn.session)
        #expect(account.email == "alice@example.com")
        #expect(!account.id.contains("alice") && account.id.count >= 20)
        #expect(token.count >= 43 && session.idHash == SecretDigest.sha256(token))
        await #expect(throws: SignInService.Failure.loginNotFound) {
            _ = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: code)
        }
    }

    @Test("concurrent entries of the right code: exactly one signs in")
    func concurrentVerification() async throws {
        let fixture = try await CoreFixture.make()
        let client = try await fixture.registerClient().client
        let (login, code) = try await fixture.loginWithCode(client: client)
        let signIn = fixture.signIn
        let wins = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    if case .signedIn = try? await signIn.verifyCode(signIn.open(loginId: login.id, browserHash: "browser"), code: code) {
                        return true
                    }
                    return false
                }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(wins == 1)
    }

    @Test("a login belongs to the browser that started it")
    func browserBinding() async throws {
        let fixture = try await CoreFixture.make()
        let client = try await fixture.registerClient().client
        let (login, code) = try await fixture.loginWithCode(client: client)
        await #expect(throws: SignInService.Failure.loginNotFound) {
            _ = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "another-browser"), code: code)
        }
    }

    @Test("a sign-in opens only while live, in its browser, with its client; a new one only for the client it names")
    func opening() async throws {
        let fixture = try await CoreFixture.make()
        let client = try await fixture.registerClient().client
        let other = try await fixture.registerClient().client
        let login = try await fixture.newLogin(client: client)
        let open = try await fixture.signIn.open(loginId: login.id, browserHash: "browser")
        #expect(open.login == login && open.client.id == client.id && open.browserHash == "browser")
        let started = LoginTransaction(id: "started", browserHash: "api", request: fixture.request(for: client),
                                       createdAt: fixture.clock.now(), expiresAt: fixture.clock.now() + 600)
        await #expect(throws: SignInService.Failure.loginNotFound) { _ = try await fixture.signIn.start(started, client: other) }
        #expect(try await fixture.store.login(id: "started") == nil, "nothing saved for the wrong client")
        #expect(try await fixture.signIn.start(started, client: client).login == started)
        #expect(try await fixture.signIn.open(loginId: "started", browserHash: "api").login == started)
        let orphan = try await fixture.newLogin(client: other)
        #expect(try await fixture.store.removeClient(id: other.id))
        await #expect(throws: SignInService.Failure.loginNotFound) {
            _ = try await fixture.signIn.open(loginId: orphan.id, browserHash: "browser")
        }
        fixture.clock.advance(by: 3600)
        await #expect(throws: SignInService.Failure.loginNotFound) {
            _ = try await fixture.signIn.open(loginId: login.id, browserHash: "browser")
        }
    }

    @Test("five wrong entries burn the code, even for the right code afterwards")
    func burnedAfterFive() async throws {
        let fixture = try await CoreFixture.make()
        let client = try await fixture.registerClient().client
        let (login, code) = try await fixture.loginWithCode(client: client)
        let wrong = code == "00000000" ? "11111111" : "00000000"
        for left in (0..<5).reversed() {
            let outcome = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: wrong)
            #expect(outcome == .wrongCode(attemptsLeft: left))
        }
        #expect(try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: code) == .noLiveCode)
    }

    @Test("a code expires after 10 minutes")
    func expiry() async throws {
        let fixture = try await CoreFixture.make()
        let client = try await fixture.registerClient().client
        let (login, code) = try await fixture.loginWithCode(client: client)
        fixture.clock.advance(by: 601)
        #expect(try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: code) == .noLiveCode)
    }

    @Test("only the latest code for an address is valid, whichever sign-in asked for it")
    func latestOnly() async throws {
        let fixture = try await CoreFixture.make()
        let client = try await fixture.registerClient().client
        let (first, firstCode) = try await fixture.loginWithCode(client: client)
        fixture.clock.advance(by: 61)
        let (second, secondCode) = try await fixture.loginWithCode(client: client)
        #expect(try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: first.id, browserHash: "browser"), code: firstCode) == .noLiveCode)
        let outcome = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: second.id, browserHash: "browser"), code: secondCode)
        guard case .signedIn = outcome else { Issue.record("\(outcome)"); return }
    }

    @Test("the account's failure budget spans codes: 10 failures per 15 minutes, then throttled; success resets it")
    func accountBudget() async throws {
        var fixture = try await CoreFixture.make()
        fixture.policy.sendInterval = 0
        fixture.policy.sendsPerAddressPerHour = 100
        let client = try await fixture.registerClient().client
        var failures = 0
        var last: (LoginTransaction, String)?
        while failures < 10 {
            let (login, code) = try await fixture.loginWithCode(client: client)
            last = (login, code)
            for _ in 0..<4 where failures < 10 {
                let wrong = code == "00000000" ? "11111111" : "00000000"
                _ = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: wrong)
                failures += 1
            }
        }
        let (login, code) = try #require(last)
        #expect(try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: code) == .throttled)
        fixture.clock.advance(by: 901)
        let outcome = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: code)
        #expect(outcome == .noLiveCode || { if case .signedIn = outcome { true } else { false } }())
        let (fresh, freshCode) = try await fixture.loginWithCode(client: client)
        guard case .signedIn = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: fresh.id, browserHash: "browser"), code: freshCode) else {
            Issue.record("a new code after the window should work"); return
        }
        let remaining = try await fixture.store.engine.run { db in
            try await db.raw("SELECT bucket FROM rate_limits WHERE bucket LIKE 'verify:%'").all()
        }
        #expect(remaining.isEmpty, "a successful sign-in resets the failure budget")
    }

    @Test("sends are throttled per address (60 s apart, 5 an hour) and per IP, and a throttled send writes nothing")
    func sendThrottles() async throws {
        var fixture = try await CoreFixture.make()
        fixture.policy.sendsPerIPPerHour = 7
        let client = try await fixture.registerClient().client
        let login = LoginTransaction(id: "tx", browserHash: "browser", request: fixture.request(for: client),
                                     createdAt: fixture.clock.now(), expiresAt: fixture.clock.now() + 7200)
        try await fixture.store.saveLogin(login)
        func send(_ email: String = "bob@example.com", ip: String = "192.0.2.1") async throws -> SignInService.SendOutcome {
            try await fixture.signIn.sendCode(fixture.signIn.open(loginId: "tx", browserHash: "browser"), email: email, clientIP: ip)
        }
        #expect(try await send() == .queued)
        #expect(try await send() == .throttled, "a second code within 60 s")
        for _ in 0..<4 {
            fixture.clock.advance(by: 61)
            #expect(try await send() == .queued)
        }
        fixture.clock.advance(by: 61)
        #expect(try await send() == .throttled, "a sixth code within the hour")
        #expect(try await send("carol@example.com") == .queued)
        #expect(try await send("dave@example.com") == .queued)
        #expect(try await send("erin@example.com") == .throttled, "the IP's hourly budget is spent")
        #expect(try await send("erin@example.com", ip: "192.0.2.2") == .queued)
        #expect(fixture.composer.count == 11, "the composer is called for every request, throttled or not")
        let rows = try await fixture.store.engine.run { db in try await db.raw("SELECT id FROM outbox").all() }
        #expect(rows.count == 8, "throttled requests queue nothing")
        #expect(try await fixture.store.pendingMessageCount() == 1,
                "a newer code cancels the unsent email of the older one, also of another address in the same sign-in")
    }

    @Test("concurrent sends from one IP neither fail nor overrun its budget")
    func concurrentSendsFromOneIP() async throws {
        var fixture = try await CoreFixture.make()
        fixture.policy.sendsPerIPPerHour = 12
        let client = try await fixture.registerClient().client
        let logins = try await fixture.logins(client: client, count: 24)
        let signIn = fixture.signIn
        let outcomes = try await withThrowingTaskGroup(of: SignInService.SendOutcome.self) { group in
            for (n, login) in logins.enumerated() {
                group.addTask {
                    try await signIn.sendCode(signIn.open(loginId: login.id, browserHash: "browser"), email: "user\(n)@example.com", clientIP: "192.0.2.9")
                }
            }
            return try await group.reduce(into: [SignInService.SendOutcome]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == .queued }.count == 12)
        #expect(outcomes.filter { $0 == .throttled }.count == 12)
        #expect(try await fixture.store.pendingMessageCount() == 12)
        if let postgres = fixture.store.engine as? PostgresEngine {
            #expect(postgres.retriedTransactions.load(ordering: .relaxed) == 0, "the sends take turns on the IP's counter")
        }
    }

    @Test("concurrent sends to one address leave exactly one live code and one email to send")
    func concurrentSendsToOneAddress() async throws {
        var fixture = try await CoreFixture.make()
        fixture.policy.sendInterval = 0
        fixture.policy.sendsPerAddressPerHour = 100
        let client = try await fixture.registerClient().client
        let logins = try await fixture.logins(client: client, count: 12)
        let signIn = fixture.signIn
        try await withThrowingTaskGroup(of: SignInService.SendOutcome.self) { group in
            for (n, login) in logins.enumerated() {
                group.addTask {
                    try await signIn.sendCode(signIn.open(loginId: login.id, browserHash: "browser"), email: "bob@example.com", clientIP: "192.0.2.\(n)")
                }
            }
            for try await outcome in group { #expect(outcome == .queued) }
        }
        let live = try await fixture.store.engine.run { db in
            try await db.raw("SELECT id FROM challenges WHERE email = 'bob@example.com' AND consumed_at IS NULL").all()
        }
        #expect(live.count == 1)
        #expect(try await fixture.store.pendingMessageCount() == 1)
    }

    @Test("concurrent sends for one sign-in that keeps its live code send exactly one code")
    func concurrentSendsKeepingTheLiveCode() async throws {
        var fixture = try await CoreFixture.make()
        fixture.policy.sendInterval = 0
        let client = try await fixture.registerClient().client
        let login = try await fixture.newLogin(client: client)
        let signIn = fixture.signIn
        let outcomes = try await withThrowingTaskGroup(of: SignInService.SendOutcome.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    try await signIn.sendCode(signIn.open(loginId: login.id, browserHash: "browser"), email: "bob@example.com",
                                              clientIP: "192.0.2.1", keepLiveCode: true)
                }
            }
            return try await group.reduce(into: [SignInService.SendOutcome]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == .queued }.count == 1)
        #expect(outcomes.filter { $0 == .keptLiveCode }.count == 3)
        #expect(try await fixture.store.pendingMessageCount() == 1)
    }

    @Test("addresses are normalised and malformed ones refused", arguments: [
        ("  Alice@Example.COM ", "alice@example.com"), ("a.b+tag@sub.example.org", "a.b+tag@sub.example.org"),
    ])
    func normalisation(input: String, expected: String) {
        #expect(EmailAddress(input)?.value == expected)
    }

    @Test("malformed addresses are refused", arguments: ["", "alice", "alice@", "@example.com", "a@b", "a@@b.com", "a b@c.com",
                                                         "a@b..com", "a\n@b.com"])
    func malformed(input: String) {
        #expect(EmailAddress(input) == nil)
    }
}
