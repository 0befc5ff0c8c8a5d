import LogintooCore
import LogintooStore
import Testing

/// Logout ends what the session holds, including a code on its way to the client (docs/security.md B17).
@Suite("What ending a session ends")
struct SessionEndTests {
    @Test("a code the session was given and the client has not exchanged yet no longer opens a grant")
    func codesExpire() async throws {
        var fixture = try await CoreFixture.make()
        fixture.policy.sendInterval = 0
        let client = try await fixture.registerClient().client
        let (login, code) = try await fixture.loginWithCode(client: client)
        guard case .signedIn(let signedIn) = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: code)
        else { throw FixtureError.noCode }
        #expect(try await fixture.store.endSession(idHash: SecretDigest.sha256(signedIn.sessionToken), now: fixture.clock.now()))
        let tokens = try await fixture.tokens()
        await #expect(throws: OAuthError.self) {
            _ = try await tokens.exchangeCode(client: client, code: signedIn.code, redirectUri: login.request.redirectUri,
                                              codeVerifier: CoreFixture.verifier)
        }
    }
}
