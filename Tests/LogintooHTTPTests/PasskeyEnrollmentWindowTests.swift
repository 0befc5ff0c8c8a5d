import HummingbirdTesting
import LogintooCore
import Testing

/// A passkey is added only shortly after signing in (docs/security.md M74), and removing it ends the sessions it made.
@Suite("When a passkey can be added, and what its removal ends")
struct PasskeyEnrollmentWindowTests {
    @Test("the offer's session may add a passkey for 10 minutes after signing in, not later")
    func window() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let offer = try await PasskeyFlowTests.codeSignIn(server, browser)
            let csrf = try Page(offer).hidden("csrf")
            server.clock.advance(by: PasskeyService.enrollmentWindow + 1)
            let late = try await browser.postJSON("/passkeys/registration/options", ["csrf": csrf])
            #expect(late.status != .ok, "a session older than the window gets no registration options")
        }
    }

    @Test("removing a passkey ends the sessions it signed in; the session of the emailed code goes on")
    func removalEndsItsSessions() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let first = Browser(client)
            let offer = try await PasskeyFlowTests.codeSignIn(server, first)
            var authenticator = PasskeyAuthenticator()
            _ = try await PasskeyFlowTests.enroll(server, first, offer: offer, authenticator: &authenticator)
            let passkeyBrowser = Browser(client)
            #expect(try await PasskeyFlowTests.passkeySignIn(server, passkeyBrowser, &authenticator).status == .ok)
            let codeSession = try #require(first.cookies[PasskeyFlowTests.session])
            let passkeySession = try #require(passkeyBrowser.cookies[PasskeyFlowTests.session])
            let listed = try await server.context.passkeys.passkeys(sessionToken: codeSession)
            let (account, passkeys) = try #require(listed)
            #expect(passkeys.count == 1 && account.email == "alice@example.com")
            #expect(try await server.context.passkeys.remove(sessionToken: codeSession, credentialId: passkeys[0].credentialId))
            #expect(try await server.context.passkeys.passkeys(sessionToken: passkeySession) == nil, "the passkey's session is over")
            #expect(try await server.context.passkeys.passkeys(sessionToken: codeSession) != nil,
                    "the session made by the emailed code goes on")
        }
    }
}
