import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LogintooCore
import LogintooHTTP
import NIOCore
import Testing

/// `POST /par` and `/authorize?request_uri=…` (RFC 9126), as docs/security.md states their rules.
@Suite("Pushed authorization request endpoint")
struct PushedAuthorizationEndpointTests {
    /// The parameters of an authorization request of `client`, PKCE included.
    func request(_ client: Client, _ extra: [(String, String)] = [], without: Set<String> = []) -> [(String, String)] {
        let base = [("response_type", "code"), ("client_id", client.id), ("redirect_uri", client.redirectURIs[0]),
                    ("scope", "openid email"), ("state", "pushed"), ("nonce", "n-1"),
                    ("code_challenge", TestServer.challenge), ("code_challenge_method", "S256")]
        return base.filter { !without.contains($0.0) } + extra
    }

    func push(_ browser: Browser, _ form: [(String, String)], headers: HTTPFields = [:]) async throws -> TestResponse {
        try await browser.post("/par", form: form, headers: headers)
    }

    /// Pushes `form` and returns the `request_uri`.
    func pushed(_ browser: Browser, _ form: [(String, String)]) async throws -> String {
        let response = try await push(browser, form)
        #expect(response.status == .created)
        return try #require(try json(response)["request_uri"] as? String)
    }

    func authorize(_ client: Client, _ requestURI: String, _ extra: [(String, String)] = []) -> String {
        "/authorize?" + URLQuery.encode([("client_id", client.id), ("request_uri", requestURI)] + extra)
    }

    func serve(_ context: ServerContext, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await Application(router: try buildRouter(server: context)).test(.router, body)
    }

    func isErrorPage(_ response: TestResponse) -> Bool {
        response.status == .badRequest && response.headers[.location] == nil
            && response.headers[.contentType]?.hasPrefix("text/html") == true
    }

    @Test("push, authorize, sign in, exchange the code: the pushed parameters win over any beside the request_uri")
    func wholeFlow() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let app = server.publicClient
            let answer = try await push(browser, request(app))
            #expect(answer.status == .created && answer.headers[.cacheControl] == "no-store")
            let body = try json(answer)
            let uri = try #require(body["request_uri"] as? String)
            #expect(body["expires_in"] as? Int == 60)
            #expect(uri.hasPrefix("urn:ietf:params:oauth:request_uri:") && uri.count - 34 >= 43, "32 random bytes or more")

            let ignored = [("redirect_uri", "https://evil.example.com/cb"), ("scope", "openid email offline_access"),
                           ("state", "from-the-query")]
            let redirect = try await browser.signIn(server, authorize: authorize(app, uri, ignored))
            #expect(redirect.hasPrefix("https://site.example.com/callback?"))
            let items = queryItems(redirect)
            #expect(items["state"] == "pushed")
            let tokens = try await browser.post("/token", form: [
                ("grant_type", "authorization_code"), ("code", try #require(items["code"])), ("redirect_uri", app.redirectURIs[0]),
                ("client_id", app.id), ("code_verifier", TestServer.verifier),
            ])
            #expect(tokens.status == .ok)
            let issued = try json(tokens)
            #expect(issued["access_token"] != nil && issued["scope"] as? String == "openid email")
            #expect(issued["refresh_token"] == nil, "offline_access was only in the query, which is ignored")
        }
    }

    @Test("a request_uri is used once, expires after 60 seconds, and serves only the client that pushed it")
    func oneTime() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let app = server.publicClient
            let once = try await pushed(browser, request(app))
            #expect(try await browser.get(authorize(app, once)).headers[.location]?.hasPrefix("/login?tx=") == true)
            #expect(isErrorPage(try await browser.get(authorize(app, once))), "used")

            let late = try await pushed(browser, request(app))
            server.clock.advance(by: 59)
            let onTime = try await pushed(browser, request(app))
            server.clock.advance(by: 1)
            #expect(isErrorPage(try await browser.get(authorize(app, late))), "expired")
            #expect(try await browser.get(authorize(app, onTime)).status == .seeOther)

            let backend = server.confidentialClient
            let theirs = try await pushed(browser, request(backend, [("client_secret", server.confidentialSecret)]))
            #expect(isErrorPage(try await browser.get(authorize(app, theirs))), "another client's")
            #expect(isErrorPage(try await browser.get(authorize(app, "urn:ietf:params:oauth:request_uri:made-up"))), "unknown")
            #expect(try await browser.get(authorize(backend, theirs)).status == .seeOther, "still the backend's to use")
        }
    }

    @Test("client authentication is the token endpoint's: a wrong secret is 401 invalid_client, Basic works")
    func clientAuthentication() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let backend = server.confidentialClient
            let wrong = try await push(browser, request(backend, [("client_secret", "not-the-secret")]))
            #expect(try wrong.status == .unauthorized && json(wrong)["error"] as? String == "invalid_client")
            #expect(try await push(browser, request(backend, without: ["client_id"])).status == .unauthorized, "no credentials")
            let basic = "Basic " + Data("\(backend.id):\(server.confidentialSecret)".utf8).base64EncodedString()
            let viaHeader = try await push(browser, request(backend, without: ["client_id"]), headers: [.authorization: basic])
            #expect(viaHeader.status == .created)
        }
    }

    @Test("refusals are JSON OAuth errors, never redirects: nested request_uri, request objects, the parser's rules")
    func refusals() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let app = server.publicClient
            let cases: [([(String, String)], String)] = [
                (request(app, [("request_uri", "urn:ietf:params:oauth:request_uri:abc")]), "invalid_request"),
                (request(app, [("request", "eyJhbGciOiJub25lIn0.e30.")]), "request_not_supported"),
                (request(app, [("redirect_uri", "https://evil.example.com/cb")], without: ["redirect_uri"]), "invalid_request"),
                (request(app, without: ["code_challenge", "code_challenge_method"]), "invalid_request"),
                (request(app, [("scope", "openid root")], without: ["scope"]), "invalid_scope"),
                (request(app, [("client_id", app.id)]), "invalid_request"),
            ]
            for (form, error) in cases {
                let response = try await push(browser, form)
                #expect(response.status == .badRequest && response.headers[.location] == nil)
                #expect(try json(response)["error"] as? String == error, "\(form)")
            }
        }
    }

    @Test("a client that requires pushed requests is sent back invalid_request without one, and served with one")
    func requiredByClient() async throws {
        let server = try await TestServer.make()
        let strict = try await ClientRegistry(store: server.store, clock: server.clock, random: server.random).register(
            name: "Strict", redirectURIs: ["https://strict.example.com/cb"], confidential: false,
            settings: ClientSettings(requirePushedAuthorizationRequests: true)).client
        try await server.test { client in
            let browser = Browser(client)
            let refused = try await browser.get(server.authorizeURI(client: strict))
            let items = queryItems(try #require(refused.headers[.location]))
            #expect(refused.status == .seeOther && items["error"] == "invalid_request" && items["state"] == "st-1")
            #expect(isErrorPage(try await browser.get(server.authorizeURI(
                client: strict, extra: [("redirect_uri", "https://evil.example.com/cb")], without: ["redirect_uri"]))))
            let uri = try await pushed(browser, request(strict))
            #expect(try await browser.get(authorize(strict, uri)).headers[.location]?.hasPrefix("/login?tx=") == true)
            #expect(try await browser.get(server.authorizeURI()).headers[.location]?.hasPrefix("/login?tx=") == true,
                    "other clients are not affected")
        }
    }

    @Test("the server-wide requirement applies to every client, and discovery publishes it with the endpoint")
    func requiredByServer() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let document = try json(try await client.execute(uri: "/.well-known/openid-configuration", method: .get))
            #expect(document["pushed_authorization_request_endpoint"] as? String == TestServer.issuer + "/par")
            #expect(document["require_pushed_authorization_requests"] as? Bool == false)
        }
        var strict = server.context
        strict.capabilities.requirePushedAuthorizationRequests = true
        try await serve(strict) { client in
            let browser = Browser(client)
            let document = try json(try await client.execute(uri: "/.well-known/oauth-authorization-server", method: .get))
            #expect(document["require_pushed_authorization_requests"] as? Bool == true)
            let refused = try await browser.get(server.authorizeURI())
            #expect(queryItems(try #require(refused.headers[.location]))["error"] == "invalid_request")
            let uri = try await pushed(browser, request(server.publicClient))
            #expect(try await browser.get(authorize(server.publicClient, uri)).headers[.location]?.hasPrefix("/login?tx=") == true)
        }
    }

    @Test("a browser client may push from its own origin: CORS as at the token endpoint, preflight included")
    func cors() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let origin = "https://site.example.com"
            let answer = try await Browser(client).post("/par", form: request(server.publicClient), headers: [.origin: origin])
            #expect(answer.status == .created && answer.headers[.accessControlAllowOrigin] == origin)
            let preflight = try await client.execute(uri: "/par", method: .options, headers: [
                .origin: origin, .accessControlRequestMethod: "POST"])
            #expect(preflight.status == .noContent && preflight.headers[.accessControlAllowOrigin] == origin)
            let stranger = try await Browser(client).post("/par", form: request(server.publicClient),
                                                          headers: [.origin: "https://evil.example.com"])
            #expect(stranger.headers[.accessControlAllowOrigin] == nil)
        }
    }
}
