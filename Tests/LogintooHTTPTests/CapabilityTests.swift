import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LogintooCore
import LogintooHTTP
import NIOCore
import Testing

/// One `ServerCapabilities` value feeds both the endpoints' validation and the discovery document: change it, and both
/// follow.
@Suite("Capabilities feed validation and discovery")
struct CapabilityTests {
    /// Runs `body` against the whole application built from `context`.
    func serve(_ context: ServerContext, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await Application(router: try buildRouter(server: context)).test(.router, body)
    }

    func discovery(_ client: any TestClientProtocol) async throws -> [String: Any] {
        try json(try await client.execute(uri: "/.well-known/openid-configuration", method: .get))
    }

    func postToken(_ client: any TestClientProtocol, _ form: [(String, String)]) async throws -> TestResponse {
        try await client.execute(uri: "/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                 body: ByteBuffer(string: URLQuery.encode(form)))
    }

    @Test("without refresh_token in the capabilities, discovery omits it and /token answers unsupported_grant_type")
    func grantFollowsTheValue() async throws {
        let server = try await TestServer.make()
        var withoutRefresh = server.context
        withoutRefresh.capabilities.grantTypes = ["authorization_code"]
        try await serve(withoutRefresh) { (client: any TestClientProtocol) async throws in
            let refreshToken = try await signInForRefreshToken(server, client)
            #expect(try await discovery(client)["grant_types_supported"] as? [String] == ["authorization_code"])
            let form = [("grant_type", "refresh_token"), ("refresh_token", refreshToken), ("client_id", server.publicClient.id)]
            let refused = try await postToken(client, form)
            #expect(refused.status == .badRequest)
            #expect(try json(refused)["error"] as? String == "unsupported_grant_type")
            #expect(try json(refused)["error_description"] as? String == "supported grant types: authorization_code")
            try await serve(server.context) { (full: any TestClientProtocol) async throws in
                #expect(try await discovery(full)["grant_types_supported"] as? [String] == ["authorization_code", "refresh_token",
                                                                                    "client_credentials"])
                #expect(try await postToken(full, form).status == .ok, "the full value serves the same refresh token")
            }
        }
    }

    @Test("without none among the token endpoint's auth methods, discovery omits it and a public client is refused")
    func authMethodFollowsTheValue() async throws {
        let server = try await TestServer.make()
        var secretsOnly = server.context
        secretsOnly.capabilities.tokenEndpointAuthMethods = [.clientSecretBasic, .clientSecretPost]
        let form = [("grant_type", "authorization_code"), ("code", "nope"), ("redirect_uri", "x"), ("client_id", server.publicClient.id)]
        try await serve(secretsOnly) { (client: any TestClientProtocol) async throws in
            #expect(try await discovery(client)["token_endpoint_auth_methods_supported"] as? [String]
                    == ["client_secret_basic", "client_secret_post"])
            let refused = try await postToken(client, form)
            #expect(refused.status == .unauthorized)
            #expect(try json(refused)["error"] as? String == "invalid_client")
        }
        try await serve(server.context) { (client: any TestClientProtocol) async throws in
            #expect(try json(try await postToken(client, form))["error"] as? String == "invalid_grant", "none is accepted")
        }
    }

    @Test("discovery publishes the value's scopes, claims, languages, algorithms, response types and methods")
    func discoveryIsTheValue() async throws {
        let server = try await TestServer.make()
        var changed = server.context
        changed.capabilities.scopes = ["openid"]
        changed.capabilities.claims = ["sub", "iss"]
        changed.capabilities.uiLocales = ["en", "de"]
        changed.capabilities.signingAlgorithms = ["EdDSA"]
        changed.capabilities.responseTypes = ["code", "none"]
        changed.capabilities.codeChallengeMethods = ["S256", "S512"]
        changed.capabilities.promptValues = ["none"]
        changed.capabilities.introspectionEndpointAuthMethods = [.clientSecretBasic]
        changed.capabilities.revocationEndpointAuthMethods = [.clientSecretPost]
        try await serve(changed) { (client: any TestClientProtocol) async throws in
            let document = try await discovery(client)
            #expect(document["scopes_supported"] as? [String] == ["openid"])
            #expect(document["claims_supported"] as? [String] == ["sub", "iss"])
            #expect(document["ui_locales_supported"] as? [String] == ["en", "de"])
            #expect(document["id_token_signing_alg_values_supported"] as? [String] == ["EdDSA"])
            #expect(document["response_types_supported"] as? [String] == ["code", "none"])
            #expect(document["code_challenge_methods_supported"] as? [String] == ["S256", "S512"])
            #expect(document["prompt_values_supported"] as? [String] == ["none"])
            #expect(document["introspection_endpoint_auth_methods_supported"] as? [String] == ["client_secret_basic"])
            #expect(document["revocation_endpoint_auth_methods_supported"] as? [String] == ["client_secret_post"])
        }
    }

    /// Signs in through the hosted pages and exchanges the code for tokens; returns the refresh token.
    func signInForRefreshToken(_ server: TestServer, _ client: any TestClientProtocol) async throws -> String {
        let redirect = try await Browser(client).signIn(server)
        let exchanged = try await postToken(client, [
            ("grant_type", "authorization_code"), ("code", try #require(queryItems(redirect)["code"])),
            ("redirect_uri", server.publicClient.redirectURIs[0]), ("code_verifier", TestServer.verifier),
            ("client_id", server.publicClient.id),
        ])
        #expect(exchanged.status == .ok)
        return try #require(try json(exchanged)["refresh_token"] as? String)
    }

    @Test("without a scope or a prompt value in the capabilities, discovery omits it and /authorize refuses it")
    func authorizeFollowsTheValue() async throws {
        let server = try await TestServer.make()
        var narrower = server.context
        narrower.capabilities.scopes = ["openid", "email"]
        narrower.capabilities.promptValues = ["none", "login"]
        try await serve(narrower) { (client: any TestClientProtocol) async throws in
            #expect(try await discovery(client)["scopes_supported"] as? [String] == ["openid", "email"])
            let offline = try await client.execute(uri: server.authorizeURI(extra: [("scope", "openid offline_access")], without: ["scope"]), method: .get)
            #expect(offline.status == .seeOther)
            #expect(offline.headers[.location]?.contains("error=invalid_scope") == true)
            let consent = try await client.execute(uri: server.authorizeURI(extra: [("prompt", "consent"), ("scope", "openid email")], without: ["scope"]), method: .get)
            #expect(consent.headers[.location]?.contains("error=invalid_request") == true)
            let plain = try await client.execute(uri: server.authorizeURI(extra: [("scope", "openid email")], without: ["scope"]), method: .get)
            #expect(plain.headers[.location]?.contains("error=") == false, "what the value keeps still works")
        }
        try await serve(server.context) { (client: any TestClientProtocol) async throws in
            let offline = try await client.execute(uri: server.authorizeURI(extra: [("scope", "openid offline_access")], without: ["scope"]), method: .get)
            #expect(offline.headers[.location]?.contains("error=") == false, "the full value accepts offline_access")
        }
    }
}
