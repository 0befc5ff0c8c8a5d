import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
import NIOCore
import Testing

@Suite("client_credentials and admin API access")
struct ClientCredentialsTests {
    /// A confidential client made an admin client, as `logintoo client add --confidential --admin` registers it.
    func adminClient(_ server: TestServer, lifetime: Int64? = nil) async throws -> ClientRegistry.Registration {
        try await ClientRegistry(store: server.store, clock: server.clock, random: server.random).register(
            name: "Admin script", redirectURIs: [], confidential: true,
            settings: ClientSettings(accessTokenLifetime: lifetime, admin: true))
    }

    func basic(_ id: String, _ secret: String) -> String {
        "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
    }

    func postForm(_ client: any TestClientProtocol, _ path: String, _ form: [(String, String)],
                  authorization: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let authorization { headers[.authorization] = authorization }
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: URLQuery.encode(form)))
    }

    /// `client_credentials` for `id` with `secret` by client_secret_basic; `scope` only when given.
    func clientCredentials(_ client: any TestClientProtocol, _ id: String, _ secret: String,
                           scope: String? = nil) async throws -> TestResponse {
        try await postForm(client, "/token", [("grant_type", "client_credentials")] + (scope.map { [("scope", $0)] } ?? []),
                           authorization: basic(id, secret))
    }

    /// The admin access token of `admin`, asked for with the scope `admin`.
    func adminToken(_ client: any TestClientProtocol, _ admin: ClientRegistry.Registration) async throws -> String {
        let response = try await clientCredentials(client, admin.client.id, try #require(admin.secret), scope: "admin")
        #expect(response.status == .ok)
        return try #require(try json(response)["access_token"] as? String)
    }

    func claims(_ token: String) throws -> AccessTokenClaims {
        let payload = try #require(token.split(separator: ".").dropFirst().first)
        return try JSONDecoder().decode(AccessTokenClaims.self, from: Data(try #require(Base64URL.decode(payload))))
    }

    /// A person's access token from a code sign-in through `client` (the public test client when nil).
    func personToken(_ server: TestServer, _ client: any TestClientProtocol, email: String, through registered: Client? = nil,
                     secret: String? = nil) async throws -> String {
        let registered = registered ?? server.publicClient
        let redirect = try await Browser(client).signIn(server, authorize: server.authorizeURI(client: registered), email: email)
        let form = [("grant_type", "authorization_code"), ("code", try #require(queryItems(redirect)["code"])),
                    ("redirect_uri", registered.redirectURIs[0]), ("code_verifier", TestServer.verifier),
                    ("client_id", registered.id)] + (secret.map { [("client_secret", $0)] } ?? [])
        let response = try await postForm(client, "/token", form)
        #expect(response.status == .ok)
        return try #require(try json(response)["access_token"] as? String)
    }

    @Test("an admin client gets a short-lived admin access token for itself: no refresh token, no ID token")
    func issued() async throws {
        let server = try await TestServer.make()
        let admin = try await adminClient(server)
        try await server.test { client in
            let response = try await clientCredentials(client, admin.client.id, try #require(admin.secret))
            #expect(response.status == .ok && response.headers[.cacheControl] == "no-store")
            let body = try json(response)
            #expect(body["token_type"] as? String == "Bearer" && body["expires_in"] as? Int == 300)
            #expect(body["scope"] as? String == "admin", "no scope asked: the admin client gets admin")
            #expect(body["refresh_token"] == nil && body["id_token"] == nil)
            let token = try claims(try #require(body["access_token"] as? String))
            #expect(token.aud == TestServer.issuer + "/admin/api" && token.aud == server.context.policy.adminAudience)
            #expect(token.sub == admin.client.id && token.client_id == admin.client.id && token.scope == "admin")
            #expect(token.iss == TestServer.issuer && token.exp - token.iat == 300 && token.iat == server.clock.now())
            #expect(token.email == nil && token.auth_time == nil)
            let posted = try await postForm(client, "/token", [("grant_type", "client_credentials"), ("scope", "admin"),
                                                               ("client_id", admin.client.id), ("client_secret", admin.secret!)])
            #expect(posted.status == .ok, "client_secret_post works too")
            #expect(try claims(try #require(try json(posted)["access_token"] as? String)).jti != token.jti)
        }
    }

    @Test("an admin token lives 300 seconds, or the client's access-token lifetime when that is shorter")
    func lifetime() async throws {
        let server = try await TestServer.make()
        let brief = try await adminClient(server, lifetime: 60)
        let long = try await adminClient(server, lifetime: 3600)
        try await server.test { client in
            for (admin, expected) in [(brief, 60), (long, 300)] {
                let response = try await clientCredentials(client, admin.client.id, try #require(admin.secret))
                #expect(try json(response)["expires_in"] as? Int == expected)
            }
        }
    }

    @Test("client_credentials refuses public clients, confidential clients that are not admin clients, other scopes and wrong secrets")
    func refusals() async throws {
        let server = try await TestServer.make()
        let admin = try await adminClient(server)
        try await server.test { client in
            /// The status and RFC 6749 §5.2 error code, as "400 invalid_scope".
            func refusal(_ response: TestResponse) throws -> String {
                "\(response.status.code) \(try json(response)["error"] as? String ?? "-")"
            }
            let public_ = try await postForm(client, "/token", [("grant_type", "client_credentials"), ("scope", "admin"),
                                                                ("client_id", server.publicClient.id)])
            #expect(try refusal(public_) == "400 unauthorized_client")
            let ordinary = try await clientCredentials(client, server.confidentialClient.id, server.confidentialSecret, scope: "admin")
            #expect(try refusal(ordinary) == "400 unauthorized_client")
            let secret = try #require(admin.secret)
            for scope in ["openid", "admin openid", "admin email", "administrator"] {
                let wrong = try await clientCredentials(client, admin.client.id, secret, scope: scope)
                #expect(try refusal(wrong) == "400 invalid_scope", "scope \(scope)")
            }
            let badSecret = try await clientCredentials(client, admin.client.id, secret + "x", scope: "admin")
            #expect(try refusal(badSecret) == "401 invalid_client")
        }
    }

    @Test("a live admin token names its admin client; userinfo refuses it; only its own client introspects it")
    func accepted() async throws {
        let server = try await TestServer.make()
        let admin = try await adminClient(server)
        try await server.test { client in
            let token = try await adminToken(client, admin)
            #expect(try await server.context.tokens.adminAccess.caller(accessToken: token) == AdminCaller(clientId: admin.client.id))
            let info = try await client.execute(uri: "/userinfo", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(info.status == .unauthorized, "an admin token is not a person's token")
            let own = try json(try await postForm(client, "/introspect", [("token", token)],
                                                  authorization: basic(admin.client.id, admin.secret!)))
            #expect(own["active"] as? Bool == true && own["aud"] as? String == server.context.policy.adminAudience
                    && own["client_id"] as? String == admin.client.id && own["scope"] as? String == "admin")
            let other = try await postForm(client, "/introspect", [("token", token)],
                                           authorization: basic(server.confidentialClient.id, server.confidentialSecret))
            #expect(String(buffer: other.body) == "{\"active\":false}")
        }
    }

    @Test("the admin check refuses a person's tokens, even one whose audience is the admin API's, and garbage")
    func notAdminTokens() async throws {
        let server = try await TestServer.make()
        let access = server.context.tokens.adminAccess
        let lookalike = try await ClientRegistry(store: server.store, clock: server.clock, random: server.random).register(
            name: "Lookalike", redirectURIs: ["https://lookalike.example.com/cb"], confidential: true,
            settings: ClientSettings(tokenAudience: server.context.policy.adminAudience, admin: true))
        try await server.test { client in
            let ordinary = try await personToken(server, client, email: "alice@example.com")
            #expect(try await access.caller(accessToken: ordinary) == nil, "an ordinary client's access token")
            let person = try await personToken(server, client, email: "bob@example.com", through: lookalike.client, secret: lookalike.secret)
            #expect(try claims(person).aud == server.context.policy.adminAudience)
            #expect(try await access.caller(accessToken: person) == nil, "a person's token from a code sign-in, aud admin")
            for garbage in ["", "garbage", "a.b.c", ordinary + "x"] {
                #expect(try await access.caller(accessToken: garbage) == nil, "\(garbage)")
            }
        }
    }

    @Test("each claim the admin check reads counts: the same token signed by this server with one claim changed is refused")
    func everyClaimCounts() async throws {
        let server = try await TestServer.make()
        let access = server.context.tokens.adminAccess
        let admin = try await adminClient(server)
        try await server.test { client in
            let original = try claims(try await adminToken(client, admin))
            let personJTI = try claims(try await personToken(server, client, email: "alice@example.com")).jti
            let changes: [(String, (inout AccessTokenClaims) -> Void)] = [
                ("another audience", { $0.aud = admin.client.id }),
                ("no admin scope", { $0.scope = "openid" }),
                ("a person as subject", { $0.sub = "some-account" }),
                ("the jti of a person's live grant", { $0.jti = personJTI }),
                ("another issuer", { $0.iss = "https://elsewhere.example.com" }),
            ]
            let key = server.context.ring.signingKey
            #expect(try await access.caller(accessToken: try JWS.sign(original, type: "at+jwt", with: key)) != nil)
            for (change, apply) in changes {
                var altered = original
                apply(&altered)
                let token = try JWS.sign(altered, type: "at+jwt", with: key)
                #expect(try await access.caller(accessToken: token) == nil, "\(change)")
            }
            #expect(try await access.caller(accessToken: try JWS.sign(original, type: "JWT", with: key)) == nil, "not at+jwt")
        }
    }

    @Test("an admin token stops reaching the admin API when it expires, is revoked, or its client loses admin or is removed")
    func cutOff() async throws {
        let server = try await TestServer.make()
        let access = server.context.tokens.adminAccess
        let admin = try await adminClient(server)
        let secret = try #require(admin.secret)
        try await server.test { client in
            let expiring = try await adminToken(client, admin)
            server.clock.advance(by: 299)
            #expect(try await access.caller(accessToken: expiring) != nil)
            server.clock.advance(by: 1)
            #expect(try await access.caller(accessToken: expiring) == nil, "expired")

            let revoked = try await adminToken(client, admin)
            let kept = try await adminToken(client, admin)
            let ignored = try await postForm(client, "/revoke", [("token", revoked)],
                                             authorization: basic(server.confidentialClient.id, server.confidentialSecret))
            #expect(ignored.status == .ok)
            #expect(try await access.caller(accessToken: revoked) != nil, "another client cannot revoke it")
            let revocation = try await postForm(client, "/revoke", [("token", revoked)], authorization: basic(admin.client.id, secret))
            #expect(revocation.status == .ok)
            #expect(try await access.caller(accessToken: revoked) == nil, "revoked")
            #expect(try await access.caller(accessToken: kept) != nil, "revoking one token leaves the client's others")

            var demoted = admin.client
            demoted.settings.admin = nil
            try await server.store.saveClient(demoted)
            #expect(try await access.caller(accessToken: kept) == nil, "its client is no longer an admin client")
            let refused = try await clientCredentials(client, admin.client.id, secret)
            #expect(try json(refused)["error"] as? String == "unauthorized_client")

            try await server.store.saveClient(admin.client)
            let restored = try await adminToken(client, admin)
            #expect(try await access.caller(accessToken: restored) != nil)
            #expect(try await server.store.removeClient(id: admin.client.id))
            #expect(try await access.caller(accessToken: restored) == nil, "its client is removed")
        }
    }

    @Test("discovery lists client_credentials among the grant types")
    func discovery() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let document = try json(try await client.execute(uri: "/.well-known/openid-configuration", method: .get))
            #expect((document["grant_types_supported"] as? [String])?.contains("client_credentials") == true)
        }
    }
}
