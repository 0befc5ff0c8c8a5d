import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
import NIOCore
import Testing

/// The 2026-06 API's WebAuthn ceremonies, as a client's own login page runs them (docs/security.md M81).
@Suite("Passkeys through the Logintoo JSON API")
struct LogintooAPIPasskeyTests {
    static let page = "https://pages.login.example.com"
    static let email = "ann@example.com"
    let api = LogintooAPITests()

    /// A client whose login page is on a host under the RP ID (login.example.com).
    static func pagesClient(_ server: TestServer) async throws -> Client {
        var client = server.publicClient
        client.id = "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d"
        client.redirectURIs = [page + "/callback"]
        try await server.store.saveClient(client)
        return client
    }

    func call(_ client: any TestClientProtocol, _ path: String, _ body: [String: Any]) async throws -> LogintooAPITests.Answer {
        let data = try JSONSerialization.data(withJSONObject: body)
        let headers: HTTPFields = [.contentType: "text/plain"]
        let response = try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: data))
        let raw = String(buffer: response.body)
        let decoded = (try? JSONSerialization.jsonObject(with: Data(raw.utf8))) as? [String: Any] ?? [:]
        return LogintooAPITests.Answer(status: response.status, headers: response.headers, body: decoded, raw: raw)
    }

    /// `/auth`, `/otp` and `/token` for `site`: the token answer.
    func codeSignIn(_ server: TestServer, _ client: any TestClientProtocol, site: Client) async throws -> [String: Any] {
        let auth = try await api.call(client, .post, "/2026-06/auth", api.authBody(server, email: Self.email, clientId: site.id,
                                                                                   extra: ["redirect_uri": site.redirectURIs[0]]))
        #expect(auth.status == .ok)
        let code = try #require(try await server.deliveredCode(to: Self.email))
        let otp = try await api.call(client, .post, "/2026-06/otp", ["client_id": site.id, "code_challenge": TestServer.challenge,
                                                                     "email": Self.email, "otp": code])
        return try await exchange(server, client, site: site, location: otp)
    }

    func exchange(_ server: TestServer, _ client: any TestClientProtocol, site: Client,
                  location answer: LogintooAPITests.Answer) async throws -> [String: Any] {
        #expect(answer.status == .found, "\(answer.raw)")
        let location = try #require(answer.headers[.location].flatMap(URLComponents.init(string:)))
        let code = try #require(location.queryItems?.first { $0.name == "code" }?.value)
        #expect(location.queryItems?.first { $0.name == "iss" }?.value == TestServer.issuer)
        let token = try await api.call(client, .post, "/2026-06/token", [
            "grant_type": "authorization_code", "code": code, "redirect_uri": site.redirectURIs[0], "client_id": site.id,
            "code_verifier": TestServer.verifier,
        ])
        #expect(token.status == .ok, "\(token.raw)")
        return token.body
    }

    /// Adds a passkey made on `Self.page` with the refresh token of a fresh sign-in.
    func addPasskey(_ server: TestServer, _ client: any TestClientProtocol, site: Client,
                    _ authenticator: inout PasskeyAuthenticator) async throws -> [String: Any] {
        let tokens = try await codeSignIn(server, client, site: site)
        let refresh = try #require(tokens["refresh_token"] as? String)
        let options = try await call(client, "/2026-06/webauthn/registration/options", ["refresh_token": refresh, "client_id": site.id])
        #expect(options.status == .ok, "\(options.raw)")
        #expect(options.headers[.accessControlAllowOrigin] == "*")
        authenticator.origin = Self.page
        let added = try await call(client, "/2026-06/webauthn/registration", [
            "refresh_token": refresh, "client_id": site.id, "credential": try authenticator.create(options.body), "name": "Ann's phone",
        ])
        #expect(added.status == .created, "\(added.raw)")
        #expect(added.body["name"] as? String == "Ann's phone")
        return tokens
    }

    func signInOptionsBody(_ site: Client) -> [String: Any] {
        ["client_id": site.id, "code_challenge": TestServer.challenge, "code_challenge_method": "S256", "response_type": "code",
         "redirect_uri": site.redirectURIs[0], "state": LogintooAPITests.state]
    }

    func passkeySignIn(_ client: any TestClientProtocol, site: Client, _ authenticator: inout PasskeyAuthenticator,
                       origin: String? = nil) async throws -> LogintooAPITests.Answer {
        let options = try await call(client, "/2026-06/webauthn/authentication/options", signInOptionsBody(site))
        #expect(options.status == .ok, "\(options.raw)")
        #expect(options.body["rpId"] as? String == "login.example.com")
        return try await call(client, "/2026-06/webauthn/authentication", [
            "client_id": site.id, "code_challenge": TestServer.challenge,
            "credential": try authenticator.get(options.body, origin: origin),
        ])
    }

    @Test("a custom login page adds a passkey with its sign-in's refresh token, then signs in with it alone")
    func addThenSignIn() async throws {
        let server = try await TestServer.make()
        let site = try await Self.pagesClient(server)
        try await server.test { client in
            var authenticator = PasskeyAuthenticator()
            let first = try await addPasskey(server, client, site: site, &authenticator)
            try await server.worker.deliverDue()
            let mails = await server.mailer.messages.count
            #expect(await server.mailer.messages.last?.subject.contains("passkey") == true, "the 'passkey added' notice")

            let answer = try await passkeySignIn(client, site: site, &authenticator)
            #expect(answer.headers[.accessControlAllowOrigin] == "*")
            let tokens = try await exchange(server, client, site: site, location: answer)
            let claims = try api.claims(try #require(tokens["access_token"] as? String))
            let firstClaims = try api.claims(try #require(first["access_token"] as? String))
            #expect(claims["sub"] as? String == firstClaims["sub"] as? String, "the passkey signs in the same account")
            try await server.worker.deliverDue()
            #expect(await server.mailer.messages.count == mails, "a passkey sign-in sends no mail")

            let again = try await call(client, "/2026-06/webauthn/authentication", [
                "client_id": site.id, "code_challenge": TestServer.challenge,
                "credential": try authenticator.get(["challenge": "AAAA"]),
            ])
            #expect(again.status == .forbidden, "the sign-in is over; its challenge answers nothing more")
        }
    }

    @Test("a passkey is added only with the current refresh token of a sign-in less than 10 minutes old")
    func registrationNeedsAFreshSignIn() async throws {
        let server = try await TestServer.make()
        let site = try await Self.pagesClient(server)
        try await server.test { client in
            let tokens = try await codeSignIn(server, client, site: site)
            let refresh = try #require(tokens["refresh_token"] as? String)
            let access = try #require(tokens["access_token"] as? String)
            let account = try #require(try api.claims(access)["sub"] as? String)
            let without = try await call(client, "/2026-06/webauthn/registration/options", ["client_id": site.id])
            #expect(without.status == .badRequest && without.body["error"] as? String == "invalid_request")
            let wrong = try await call(client, "/2026-06/webauthn/registration/options",
                                       ["refresh_token": refresh + "x", "client_id": site.id])
            #expect(wrong.status == .unauthorized && wrong.body["error"] as? String == "unauthorized_client")
            #expect(!wrong.raw.contains(refresh), "the description does not repeat the token")
            let otherClient = try await call(client, "/2026-06/webauthn/registration/options",
                                             ["refresh_token": refresh, "client_id": server.publicClient.id])
            #expect(otherClient.status == .unauthorized, "the token must be the named client's")

            let rotated = try await api.call(client, .patch, "/2026-06/token", ["grant_type": "refresh_token", "refresh_token": refresh])
            #expect(rotated.status == .ok)
            let current = try #require(rotated.body["refresh_token"] as? String)
            #expect(try await call(client, "/2026-06/webauthn/registration/options",
                                   ["refresh_token": current, "client_id": site.id]).status == .ok)

            server.clock.advance(by: PasskeyService.enrollmentWindow + 1)
            let late = try await call(client, "/2026-06/webauthn/registration/options", ["refresh_token": current, "client_id": site.id])
            #expect(late.status == .unauthorized, "the token still lives, but its sign-in is too old to add a passkey")
            #expect(try await server.store.passkeys(accountId: account).isEmpty)
        }
    }

    @Test("a retired refresh token presented here is reuse: its family is revoked, as at the token endpoint")
    func retiredTokenRevokesTheFamily() async throws {
        let server = try await TestServer.make()
        let site = try await Self.pagesClient(server)
        try await server.test { client in
            let tokens = try await codeSignIn(server, client, site: site)
            let refresh = try #require(tokens["refresh_token"] as? String)
            let rotated = try await api.call(client, .patch, "/2026-06/token", ["grant_type": "refresh_token", "refresh_token": refresh])
            let current = try #require(rotated.body["refresh_token"] as? String)
            let retired = try await call(client, "/2026-06/webauthn/registration/options", ["refresh_token": refresh, "client_id": site.id])
            #expect(retired.status == .unauthorized)
            let after = try await api.call(client, .patch, "/2026-06/token", ["grant_type": "refresh_token", "refresh_token": current])
            #expect(after.status != .ok, "the family is revoked")
        }
    }

    @Test("only a public client's token from this API's own sign-in adds a passkey; a hosted-page or confidential grant does not")
    func onlyThisAPIsPublicGrants() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let offer = try await PasskeyFlowTests.codeSignIn(server, browser, capable: false)
            let location = try #require(offer.headers[.location].flatMap(URLComponents.init(string:)))
            let code = try #require(location.queryItems?.first { $0.name == "code" }?.value)
            let hosted = try await server.context.tokens.exchangeCode(
                client: server.publicClient, code: code, redirectUri: server.publicClient.redirectURIs[0],
                codeVerifier: TestServer.verifier)
            let refresh = try #require(hosted.response.refresh_token)
            let answer = try await call(client, "/2026-06/webauthn/registration/options",
                                        ["refresh_token": refresh, "client_id": server.publicClient.id])
            #expect(answer.status == .unauthorized, "a hosted-page grant adds passkeys only in the signed-in browser")

            let confidential = server.confidentialClient
            let byBackend = try await call(client, "/2026-06/webauthn/registration/options",
                                           ["refresh_token": refresh, "client_id": confidential.id])
            #expect(byBackend.status == .unauthorized)
        }
    }

    @Test("the ceremony's origin must be the issuer's or the client's own under the RP ID; a used challenge is refused")
    func originsAndChallenges() async throws {
        let server = try await TestServer.make()
        let site = try await Self.pagesClient(server)
        try await server.test { client in
            var authenticator = PasskeyAuthenticator()
            _ = try await addPasskey(server, client, site: site, &authenticator)

            let elsewhere = try await passkeySignIn(client, site: site, &authenticator, origin: "https://evil.example")
            #expect(elsewhere.status == .unauthorized && elsewhere.body["error"] as? String == "unauthorized_client")
            #expect(!elsewhere.raw.contains("evil.example"), "the description does not repeat what was sent")
            // site.example.com is the public client's own origin, but not under the RP ID: no browser writes it there.
            let outside = try await passkeySignIn(client, site: server.publicClient, &authenticator, origin: "https://site.example.com")
            #expect(outside.status == .unauthorized)
            let anotherClients = try await passkeySignIn(client, site: server.publicClient, &authenticator, origin: Self.page)
            #expect(anotherClients.status == .unauthorized, "one client's page does not answer another client's sign-in")
            let hosted = try await passkeySignIn(client, site: site, &authenticator, origin: TestServer.issuer)
            #expect(hosted.status == .found, "the issuer's own origin is the relying party's")
        }
    }

    @Test("a malformed credential or an unknown client is a clear 400 or 403 and changes nothing")
    func malformed() async throws {
        let server = try await TestServer.make()
        let site = try await Self.pagesClient(server)
        try await server.test { client in
            var body = signInOptionsBody(site)
            body["redirect_uri"] = "https://elsewhere.example/callback"
            let unknown = try await call(client, "/2026-06/webauthn/authentication/options", body)
            #expect(unknown.status == .forbidden && unknown.body["error"] as? String == "access_denied")
            _ = try await call(client, "/2026-06/webauthn/authentication/options", signInOptionsBody(site))
            for credential: Any in ["text", ["type": "public-key", "id": "AAAA"], ["type": "password", "id": "AAAA", "response": [:]],
                                    ["type": "public-key", "id": "AAAA", "response": ["clientDataJSON": 7]]] {
                let answer = try await call(client, "/2026-06/webauthn/authentication", [
                    "client_id": site.id, "code_challenge": TestServer.challenge, "credential": credential,
                ])
                #expect(answer.status == .badRequest && answer.body["error"] as? String == "invalid_request", "\(answer.raw)")
            }
            let preflight = try await client.execute(uri: "/2026-06/webauthn/registration", method: .options,
                                                     headers: [.origin: Self.page, .accessControlRequestMethod: "POST"])
            #expect(preflight.status == .noContent && preflight.headers[.accessControlAllowOrigin] == "*")
        }
    }
}
