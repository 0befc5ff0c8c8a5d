import Hummingbird
import HummingbirdTesting
import LogintooVerifier
import LogintooVerifierHummingbird
import Testing

/// The context of the API under test: Hummingbird's core storage and the verified token.
struct APIContext: AccessTokenRequestContext {
    var coreContext: CoreRequestContextStorage
    var accessToken: VerifiedAccessToken?
    init(source: ApplicationRequestContextSource) { coreContext = .init(source: source) }
}

@Suite("BearerTokenMiddleware: RFC 6750 answers")
struct BearerTokenMiddlewareTests {
    @Test("no token 401, a bad token 401 invalid_token, a missing scope 403 insufficient_scope, a good one passes")
    func answers() async throws {
        let fixture = try SignedTokenFixture()
        let router = Router(context: APIContext.self)
        router.group("/notes").add(middleware: BearerTokenMiddleware(verifier: fixture.verifier, requiredScopes: ["notes:write"]))
            .get { _, context in context.accessToken?.subject ?? "-" }
        router.group("/admin").add(middleware: BearerTokenMiddleware(verifier: fixture.verifier, requiredScopes: ["admin"]))
            .get { _, _ in "secret" }
        let good = try fixture.token()
        let expired = try fixture.token(expiresIn: -3600)
        try await Application(router: router).test(.router) { client in
            let none = try await client.execute(uri: "/notes", method: .get)
            #expect(none.status == .unauthorized
                    && none.headers[values: .wwwAuthenticate] == ["Bearer realm=\"api\"", "DPoP algs=\"ES256 EdDSA RS256 PS256\""])
            let basic = try await client.execute(uri: "/notes", method: .get, headers: [.authorization: "Basic YTpi"])
            #expect(basic.status == .unauthorized && basic.headers[.wwwAuthenticate]?.contains("invalid_request") == true)
            let stale = try await client.execute(uri: "/notes", method: .get, headers: [.authorization: "Bearer \(expired)"])
            #expect(stale.status == .unauthorized)
            #expect(stale.headers[.wwwAuthenticate]?.contains("error=\"invalid_token\"") == true)
            let ok = try await client.execute(uri: "/notes", method: .get, headers: [.authorization: "Bearer \(good)"])
            #expect(ok.status == .ok && String(buffer: ok.body) == "user-1")
            let scope = try await client.execute(uri: "/admin", method: .get, headers: [.authorization: "Bearer \(good)"])
            #expect(scope.status == .forbidden)
            #expect(scope.headers[.wwwAuthenticate]?.contains("error=\"insufficient_scope\", error_description=") == true)
            #expect(scope.headers[.wwwAuthenticate]?.contains("scope=\"admin\"") == true)
        }
    }
}
