import LogintooCore
import Testing

/// `AuthorizationService.renewCode`: the passkey offer's onward step swaps the sign-in's waiting code for a fresh one,
/// only in the session it was issued in, once, and only shortly after signing in (docs/security.md M77).
@Suite("Renewing a sign-in's waiting code")
struct CodeRenewalTests {
    func signedIn(_ fixture: CoreFixture) async throws -> SignedIn {
        let client = try await fixture.registerClient().client
        let (login, code) = try await fixture.loginWithCode(client: client)
        guard case .signedIn(let signedIn) = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: code)
        else { throw FixtureError.noCode }
        return signedIn
    }

    @Test("the waiting code is replaced once, in its own session; the replaced code is gone")
    func once() async throws {
        let fixture = try await CoreFixture.make()
        let signedIn = try await signedIn(fixture)
        #expect(try await fixture.authorization.renewCode(signedIn.code, sessionToken: "another-session") == nil)
        fixture.clock.advance(by: 120)
        let renewed = try #require(try await fixture.authorization.renewCode(signedIn.code, sessionToken: signedIn.sessionToken))
        #expect(!renewed.contains(signedIn.code) && renewed.contains("code=") && renewed.hasSuffix("iss=https%3A%2F%2Flogin.example.com"))
        #expect(try await fixture.authorization.renewCode(signedIn.code, sessionToken: signedIn.sessionToken) == nil)
    }

    @Test("long after the sign-in, a waiting code is not renewed: codes stay short-lived")
    func window() async throws {
        let fixture = try await CoreFixture.make()
        let signedIn = try await signedIn(fixture)
        fixture.clock.advance(by: AuthorizationService.renewalWindow + 1)
        #expect(try await fixture.authorization.renewCode(signedIn.code, sessionToken: signedIn.sessionToken) == nil)
    }
}
