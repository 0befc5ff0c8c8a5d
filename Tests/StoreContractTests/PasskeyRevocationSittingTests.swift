import LogintooCore
import LogintooStore
import SQLKit
import Testing

/// "This wasn't me" undoes what the sitting that added the passkey did: its other passkeys, and codes not yet
/// exchanged (docs/security.md M80).
@Suite("What a passkey's 'this wasn't me' undoes")
struct PasskeyRevocationSittingTests {
    let helpers = PasskeyNotificationStoreTests()

    @Test("the passkeys added in the same sitting go with the linked one; one added long before stays")
    func sameSitting() async throws {
        let fixture = try await CoreFixture.make()
        let store = fixture.store
        let now = fixture.clock.now()
        let owners = helpers.passkey("owners", account: "alice", at: now - PasskeyService.enrollmentWindow - 3600)
        #expect(try await store.addNoticedPasskey(owners))
        let first = helpers.passkey("first", account: "alice", at: now)
        let second = helpers.passkey("second", account: "alice", at: now + 60)
        #expect(try await store.addPasskey(first, notice: helpers.notice("n1", to: "alice@example.com", at: now),
                                           link: helpers.link("h1", passkey: first, email: "alice@example.com")))
        #expect(try await store.addPasskey(second, notice: helpers.notice("n2", to: "alice@example.com", at: now + 60),
                                           link: helpers.link("h2", passkey: second, email: "alice@example.com")))
        let revocation = try await store.revokePasskey(tokenHash: "h2", now: now + 120)
        #expect(revocation?.passkeyRemoved == true)
        #expect(try await store.passkeys(accountId: "alice").map(\.credentialId) == ["owners"])
    }

    @Test("an authorization code of a session the link ends can no longer be exchanged")
    func codesExpire() async throws {
        var fixture = try await CoreFixture.make()
        fixture.policy.sendInterval = 0
        let store = fixture.store
        let client = try await fixture.registerClient().client
        let (login, code) = try await fixture.loginWithCode(client: client)
        guard case .signedIn(let signedIn) = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: code)
        else { throw FixtureError.noCode }
        let now = fixture.clock.now()
        let key = helpers.passkey("k", account: signedIn.account.id, at: now)
        #expect(try await store.addPasskey(key, notice: helpers.notice("n", to: signedIn.account.email, at: now),
                                           link: helpers.link("h", passkey: key, email: signedIn.account.email)))
        _ = try await store.revokePasskey(tokenHash: "h", now: now)
        let tokens = try await fixture.tokens()
        await #expect(throws: OAuthError.self) {
            _ = try await tokens.exchangeCode(client: client, code: signedIn.code, redirectUri: login.request.redirectUri,
                                              codeVerifier: CoreFixture.verifier)
        }
    }
}
