import LogintooCore
import Testing

/// RFC 9126: what `/par` accepts and keeps, and how `/authorize` uses what was pushed (docs/security.md).
@Suite("Pushed authorization requests")
struct PushedAuthorizationTests {
    /// The authorization endpoint's own request and client: what is pushed is what `/authorize` would take.
    let authorize = AuthorizationRequestTests()
    var client: Client { authorize.client }
    var challenge: String { authorize.challenge }

    func form(_ extra: [(String, String)] = [], without: Set<String> = []) -> [(String, String)] {
        authorize.params(extra, without: without)
    }

    func refusal(_ form: [(String, String)], client: Client? = nil) -> OAuthError? {
        do {
            _ = try PushedAuthorization.validate(form, client: client ?? self.client, capabilities: .builtIn)
            return nil
        } catch {
            return error
        }
    }

    @Test("a request_uri inside a pushed request, or a request object, is refused")
    func nested() {
        #expect(refusal(form([("request_uri", PushedAuthorization.uriPrefix + "x")]))?.code == .invalidRequest)
        #expect(refusal(form([("request", "eyJhbGciOiJub25lIn0.e30.")]))?.code == .requestNotSupported)
    }

    @Test("the parameters are checked as /authorize checks them, and answered as OAuth errors, never redirected")
    func sameParser() {
        #expect(refusal(form([("redirect_uri", "https://evil.example.com/cb")], without: ["redirect_uri"]))?.code == .invalidRequest)
        #expect(refusal(form(without: ["redirect_uri"]))?.code == .invalidRequest)
        #expect(refusal(form(without: ["code_challenge", "code_challenge_method"]))?.code == .invalidRequest,
                "a public client pushes with PKCE too")
        #expect(refusal(form([("scope", "openid root")], without: ["scope"]))?.code == .invalidScope)
        #expect(refusal(form([("response_type", "token")], without: ["response_type"]))?.code == .unsupportedResponseType)
        #expect(refusal(form()) == nil)
    }

    @Test("client_id must name the authenticated client; it is added when the client authenticated by header")
    func clientId() throws {
        let other = Client(id: "c2", name: "Other", secretHash: nil, redirectURIs: ["https://app.example.com/cb"], createdAt: 0)
        #expect(refusal(form(), client: other)?.code == .invalidRequest)
        let kept = try PushedAuthorization.validate(form(without: ["client_id"]), client: client, capabilities: .builtIn)
        #expect(kept.filter { $0.0 == "client_id" }.map(\.1) == ["c1"])
    }

    @Test("the client's credentials are not kept with the request")
    func credentialsDropped() throws {
        let confidential = Client(id: "c1", name: "App", secretHash: "h", redirectURIs: ["https://app.example.com/cb"], createdAt: 0)
        let kept = try PushedAuthorization.validate(form([("client_secret", "s3cret")]), client: confidential, capabilities: .builtIn)
        #expect(!kept.contains { $0.0 == "client_secret" } && kept.count == form().count)
    }

    @Test("a request_uri is looked up by the digest of its random part, and only in this server's namespace")
    func requestURIs() {
        #expect(PushedAuthorization.hash(ofRequestURI: PushedAuthorization.uriPrefix + "abc") == SecretDigest.sha256("abc"))
        #expect(PushedAuthorization.hash(ofRequestURI: "https://client.example.com/request.jwt") == nil)
        #expect(PushedAuthorization.hash(ofRequestURI: PushedAuthorization.uriPrefix) == nil)
        #expect(PushedAuthorization.hash(ofRequestURI: PushedAuthorization.uriPrefix + String(repeating: "a", count: 129)) == nil)
    }

    @Test("pushed requests are required by the client's setting or by the server's")
    func required() {
        var capabilities = ServerCapabilities.builtIn
        #expect(!PushedAuthorization.isRequired(for: client, capabilities: capabilities))
        var strict = client
        strict.settings.requirePushedAuthorizationRequests = true
        #expect(PushedAuthorization.isRequired(for: strict, capabilities: capabilities))
        capabilities.requirePushedAuthorizationRequests = true
        #expect(PushedAuthorization.isRequired(for: client, capabilities: capabilities))
    }

    @Test("a pushed request is used once, within a minute, by the client that pushed it; the query beside it is ignored")
    func serviceFlow() async throws {
        let fixture = try await CoreFixture.make()
        let app = try await fixture.registerClient().client
        let service = fixture.authorization
        let pushed = [("response_type", "code"), ("client_id", app.id), ("redirect_uri", app.redirectURIs[0]), ("scope", "openid"),
                      ("state", "pushed"), ("code_challenge", challenge), ("code_challenge_method", "S256")]
        func authorize(_ uri: String, clientId: String = app.id) async throws -> AuthorizationService.Decision {
            try await service.authorize(parameters: [("client_id", clientId), ("request_uri", uri), ("state", "query"),
                                                     ("scope", "openid email offline_access")],
                                        sessionHash: nil, browserHash: "browser")
        }
        let first = try await service.push(pushed, client: app)
        #expect(first.expiresIn == 60 && first.requestURI.hasPrefix(PushedAuthorization.uriPrefix))
        #expect(first.requestURI.count - PushedAuthorization.uriPrefix.count >= 43, "at least 32 random bytes")
        guard case .signIn(let login) = try await authorize(first.requestURI) else { Issue.record("no sign-in"); return }
        #expect(login.request.state == "pushed" && login.request.scope == ["openid"])
        guard case .errorPage = try await authorize(first.requestURI) else { Issue.record("used twice"); return }

        let second = try await service.push(pushed, client: app)
        guard case .errorPage = try await authorize(second.requestURI, clientId: "someone-else") else {
            Issue.record("another client's"); return
        }
        fixture.clock.advance(by: 60)
        guard case .errorPage = try await authorize(second.requestURI) else { Issue.record("expired"); return }
    }
}
