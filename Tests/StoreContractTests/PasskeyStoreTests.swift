import LogintooCore
import LogintooStore
import SQLKit
import Testing

/// Passkeys and their ceremonies in the store, on SQLite and PostgreSQL.
@Suite("Passkey records")
struct PasskeyStoreTests {
    func passkey(_ id: String, account: String, at: Int64) -> Passkey {
        Passkey(credentialId: id, accountId: account, publicKey: "pk-" + id, algorithm: -7, signCount: 0, name: "Key " + id,
                createdAt: at, backedUp: true)
    }

    func ceremony(_ id: String, purpose: PasskeyCeremony.Purpose, browser: String = "browser", login: String? = nil,
                  now: Int64) -> PasskeyCeremony {
        PasskeyCeremony(id: id, challengeHash: "challenge-" + id, purpose: purpose, browserHash: browser, accountId: "alice",
                        loginId: login, userVerificationRequired: false, createdAt: now, expiresAt: now + 300)
    }

    @Test("a credential id is registered once; an account's passkeys list newest first, rename and remove only its own")
    func credentials() async throws {
        let store = try await CoreFixture.make().store
        #expect(try await store.addNoticedPasskey(passkey("a", account: "alice", at: 1)))
        #expect(try await store.addNoticedPasskey(passkey("b", account: "alice", at: 2)))
        #expect(try await !store.addNoticedPasskey(passkey("a", account: "mallory", at: 3)), "a credential belongs to one account")
        #expect(try await store.passkeys(accountId: "alice").map(\.credentialId) == ["b", "a"])
        #expect(try await store.passkey(credentialId: "a")?.accountId == "alice")
        #expect(try await !store.renamePasskey(credentialId: "a", accountId: "mallory", name: "mine"))
        #expect(try await store.renamePasskey(credentialId: "a", accountId: "alice", name: "Laptop"))
        #expect(try await store.passkey(credentialId: "a")?.name == "Laptop")
        #expect(try await !store.removePasskey(credentialId: "a", accountId: "mallory", now: 3))
        #expect(try await store.removePasskey(credentialId: "a", accountId: "alice", now: 3))
        #expect(try await store.passkeys(accountId: "alice").map(\.credentialId) == ["b"])
    }

    @Test("a ceremony answers once, only for its purpose and the browser that started it, and not after it expires")
    func ceremonies() async throws {
        let fixture = try await CoreFixture.make()
        let store = fixture.store
        let now = fixture.clock.now()
        try await store.savePasskeyCeremony(ceremony("r", purpose: .registration, now: now))
        #expect(try await store.useCeremony(challengeHash: "challenge-r", purpose: .authentication, browserHash: "browser", now: now)
                == nil)
        #expect(try await store.useCeremony(challengeHash: "challenge-r", purpose: .registration, browserHash: "other", now: now)
                == nil)
        #expect(try await store.useCeremony(challengeHash: "challenge-r", purpose: .registration, browserHash: "browser",
                                            now: now + 300) == nil, "expired")
        #expect(try await store.liveCeremony(challengeHash: "challenge-r", purpose: .registration, browserHash: "browser",
                                             now: now)?.id == "r")
        #expect(try await store.useCeremony(challengeHash: "challenge-r", purpose: .registration, browserHash: "browser", now: now)?
                .id == "r")
        #expect(try await store.useCeremony(challengeHash: "challenge-r", purpose: .registration, browserHash: "browser", now: now)
                == nil, "used once")
    }

    @Test("a passkey sign-in's completion uses its ceremony once and moves the passkey's counter and last use")
    func passkeyCompletion() async throws {
        let fixture = try await CoreFixture.make()
        let store = fixture.store
        let now = fixture.clock.now()
        let client = try await fixture.registerClient().client
        let login = try await fixture.newLogin(client: client)
        let account = try await store.findOrCreateAccount(email: "alice@example.com", newId: "alice", now: now)
        #expect(try await store.addNoticedPasskey(passkey("a", account: account.id, at: now)))
        try await store.savePasskeyCeremony(ceremony("c", purpose: .authentication, login: login.id, now: now))
        let completion = SignInCompletion(
            loginId: login.id, proof: .passkey(ceremonyId: "c", credentialId: "a", accountId: account.id, signCount: 7),
            email: account.email, formerEmail: nil, newAccountId: "unused", forgettingLimits: [])
        let request = login.request
        let records: @Sendable (Account) -> SignInRecords = { account in
            let session = Session(idHash: "s", accountId: account.id, authTime: now, createdAt: now, lastSeenAt: now,
                                  expiresAt: now + 60, method: .passkey(userVerified: true))
            return SignInRecords(session: session, code: AuthorizationCodeRedirect(
                code: "code", request: request, accountId: account.id, session: session, now: now, policy: fixture.policy).record,
                knownBrowser: nil)
        }
        guard case .completed(let signedIn, _) = try await store.completeSignIn(completion, now: now, records: records) else {
            Issue.record("the passkey sign-in did not complete"); return
        }
        #expect(signedIn.id == account.id)
        let used = try #require(try await store.passkey(credentialId: "a"))
        #expect(used.signCount == 7 && used.lastUsedAt == now)
        let session = try #require(try await store.liveSession(idHash: "s", idleLifetime: 60, now: now))
        #expect(session.amr == "hwk user" && session.acr == "phr")
        #expect(try await store.completeSignIn(completion, now: now, records: records) == .proofUsed)

        // A lower counter (a cloned authenticator, or two sign-ins racing) never moves the stored one back.
        let second = try await fixture.newLogin(client: client)
        try await store.savePasskeyCeremony(ceremony("c2", purpose: .authentication, login: second.id, now: now))
        let lower = SignInCompletion(
            loginId: second.id, proof: .passkey(ceremonyId: "c2", credentialId: "a", accountId: account.id, signCount: 3),
            email: account.email, formerEmail: nil, newAccountId: "unused", forgettingLimits: [])
        let secondRequest = second.request
        guard case .completed = try await store.completeSignIn(lower, now: now, records: { account in
            let session = Session(idHash: "s2", accountId: account.id, authTime: now, createdAt: now, lastSeenAt: now, expiresAt: now + 60)
            return SignInRecords(session: session, code: AuthorizationCodeRedirect(
                code: "code2", request: secondRequest, accountId: account.id, session: session, now: now, policy: fixture.policy).record,
                knownBrowser: nil)
        }) else { Issue.record("the second passkey sign-in did not complete"); return }
        #expect(try await store.passkey(credentialId: "a")?.signCount == 7)

        // Removing the passkey ends the sessions it made; the account's other sessions are not its to end.
        #expect(try await store.removePasskey(credentialId: "a", accountId: account.id, now: now))
        #expect(try await store.liveSession(idHash: "s", idleLifetime: 60, now: now) == nil)
        #expect(try await store.liveSession(idHash: "s2", idleLifetime: 60, now: now) == nil)
    }
}
