import LogintooCore
import LogintooStore
import Testing

/// A new passkey's "passkey added" email and its "this wasn't me" link in the store, on SQLite and PostgreSQL.
@Suite("Passkey notifications")
struct PasskeyNotificationStoreTests {
    func passkey(_ id: String, account: String, at: Int64) -> Passkey {
        Passkey(credentialId: id, accountId: account, publicKey: "pk-" + id, algorithm: -7, signCount: 0, name: "Key " + id,
                createdAt: at, backedUp: false)
    }

    func notice(_ id: String, to email: String, at: Int64) -> OutboxMessage {
        OutboxMessage(id: id, recipient: email, sealedContent: "sealed-" + id, createdAt: at, expiresAt: at + 604_800,
                      nextAttemptAt: at)
    }

    func link(_ hash: String, passkey: Passkey, email: String) -> PasskeyRevocationLink {
        PasskeyRevocationLink(tokenHash: hash, accountId: passkey.accountId, credentialId: passkey.credentialId, email: email,
                              passkeyName: passkey.name, createdAt: passkey.createdAt, expiresAt: passkey.createdAt + 604_800)
    }

    /// Signs `email` in with an emailed code and exchanges the code: the session's digest and the refresh token's.
    func signedInWithGrant(_ fixture: CoreFixture, client: Client, tokens: TokenService, email: String) async throws
        -> (sessionHash: String, refreshHash: String) {
        fixture.clock.advance(by: 120)
        let (login, code) = try await fixture.loginWithCode(client: client, email: email)
        guard case .signedIn(let signedIn) = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: code)
        else { throw FixtureError.noCode }
        let issued = try await tokens.exchangeCode(client: client, code: signedIn.code, redirectUri: login.request.redirectUri,
                                                   codeVerifier: CoreFixture.verifier)
        let refresh = try #require(issued.response.refresh_token)
        return (signedIn.session.idHash, SecretDigest.sha256(refresh))
    }

    @Test("a passkey, its email and its link are written together; a credential registered already writes none of them")
    func addedTogether() async throws {
        let fixture = try await CoreFixture.make()
        let store = fixture.store
        let now = fixture.clock.now()
        let key = passkey("a", account: "alice", at: now)
        #expect(try await store.addPasskey(key, notice: notice("n1", to: "alice@example.com", at: now),
                                           link: link("h1", passkey: key, email: "alice@example.com")))
        #expect(try await store.pendingMessageCount() == 1)
        #expect(try await store.passkeyRevocationLink(tokenHash: "h1", now: now) == link("h1", passkey: key, email: "alice@example.com"))
        #expect(try await store.passkey(credentialId: "a")?.accountId == "alice")

        let stolen = passkey("a", account: "mallory", at: now)
        #expect(try await !store.addPasskey(stolen, notice: notice("n2", to: "mallory@example.com", at: now),
                                            link: link("h2", passkey: stolen, email: "mallory@example.com")))
        #expect(try await store.pendingMessageCount() == 1, "no email for a passkey that was not added")
        #expect(try await store.passkeyRevocationLink(tokenHash: "h2", now: now) == nil, "no link either")
        #expect(try await store.passkey(credentialId: "a")?.accountId == "alice")
        #expect(try await store.passkeyRevocationLink(tokenHash: "h1", now: now + 604_800) == nil, "expired after 7 days")
    }

    @Test("the link works once: it removes its passkey, ends every session of the account and revokes their grants, nothing else")
    func revocation() async throws {
        let fixture = try await CoreFixture.make()
        let store = fixture.store
        let client = try await fixture.registerClient().client
        let tokens = try await fixture.tokens()
        let first = try await signedInWithGrant(fixture, client: client, tokens: tokens, email: "alice@example.com")
        let second = try await signedInWithGrant(fixture, client: client, tokens: tokens, email: "alice@example.com")
        let other = try await signedInWithGrant(fixture, client: client, tokens: tokens, email: "bob@example.com")
        let alice = try #require(try await store.account(email: "alice@example.com"))
        let now = fixture.clock.now()
        let added = passkey("new", account: alice.id, at: now)
        let kept = passkey("old", account: alice.id, at: now - PasskeyService.enrollmentWindow - 10)
        #expect(try await store.addNoticedPasskey(kept))
        #expect(try await store.addPasskey(added, notice: notice("n", to: alice.email, at: now),
                                           link: link("h", passkey: added, email: alice.email)))

        let revocation = try #require(try await store.revokePasskey(tokenHash: "h", now: now))
        #expect(revocation.passkeyRemoved && revocation.sessionsEnded == 2 && revocation.link.credentialId == "new")
        #expect(try await store.passkeys(accountId: alice.id).map(\.credentialId) == ["old"], "a passkey added at another time stays")
        for ended in [first, second] {
            #expect(try await store.liveSession(idHash: ended.sessionHash, idleLifetime: 3600, now: now) == nil)
            #expect(try await store.refreshToken(hash: ended.refreshHash)?.1.revokedAt == now, "the session's grant is revoked")
        }
        #expect(try await store.liveSession(idHash: other.sessionHash, idleLifetime: 3600, now: now) != nil, "other accounts keep theirs")
        #expect(try await store.refreshToken(hash: other.refreshHash)?.1.revokedAt == nil)

        #expect(try await store.revokePasskey(tokenHash: "h", now: now) == nil, "used once")
        #expect(try await store.passkeyRevocationLink(tokenHash: "h", now: now) == nil)
        #expect(try await store.revokePasskey(tokenHash: "unknown", now: now) == nil)
    }

    @Test("concurrent uses of one link: exactly one acts")
    func usedOnceUnderConcurrency() async throws {
        let fixture = try await CoreFixture.make()
        let store = fixture.store
        let now = fixture.clock.now()
        let key = passkey("a", account: "alice", at: now)
        #expect(try await store.addPasskey(key, notice: notice("n", to: "alice@example.com", at: now),
                                           link: link("h", passkey: key, email: "alice@example.com")))
        let outcomes = try await withThrowingTaskGroup(of: PasskeyRevocation?.self) { group in
            for _ in 0..<8 { group.addTask { try await store.revokePasskey(tokenHash: "h", now: now) } }
            return try await group.reduce(into: [PasskeyRevocation?]()) { $0.append($1) }
        }
        #expect(outcomes.compactMap { $0 }.count == 1)
        #expect(try await store.passkey(credentialId: "a") == nil)
    }
}
