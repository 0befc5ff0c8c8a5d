import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
import NIOCore
import Testing

@Suite("Token, userinfo, introspection and revocation endpoints")
struct TokenEndpointTests {
    /// Signs in with `client` and exchanges the code; returns the token response body.
    func tokens(_ server: TestServer, _ browser: Browser, client: Client? = nil, basic: Bool = false,
                email: String = "alice@example.com") async throws -> [String: Any] {
        let client = client ?? server.publicClient
        let redirect = try await browser.signIn(server, authorize: server.authorizeURI(client: client), email: email)
        var form = [("grant_type", "authorization_code"), ("code", try #require(queryItems(redirect)["code"])),
                    ("redirect_uri", client.redirectURIs[0]), ("code_verifier", TestServer.verifier)]
        var headers: HTTPFields = [:]
        if client.isConfidential && basic {
            headers[.authorization] = "Basic " + Data("\(client.id):\(server.confidentialSecret)".utf8).base64EncodedString()
        } else if client.isConfidential {
            form += [("client_id", client.id), ("client_secret", server.confidentialSecret)]
        } else {
            form.append(("client_id", client.id))
        }
        let response = try await browser.post("/token", form: form, headers: headers)
        #expect(response.status == .ok)
        return try json(response)
    }

    func post(_ client: any TestClientProtocol, _ path: String, _ body: String, headers: HTTPFields = [:],
              contentType: String = "application/x-www-form-urlencoded") async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = contentType
        return try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    @Test("errors use RFC 6749 codes, never a 500, and are not cached")
    func errors() async throws {
        let server = try await TestServer.make()
        let id = server.publicClient.id
        try await server.test { client in
            let cases: [(String, HTTPFields, String, String, HTTPResponse.Status)] = [
                ("grant_type=password&client_id=\(id)", [:], "application/x-www-form-urlencoded", "unsupported_grant_type", .badRequest),
                ("client_id=\(id)", [:], "application/x-www-form-urlencoded", "invalid_request", .badRequest),
                ("grant_type=refresh_token&client_id=\(id)%ZZ", [:], "application/x-www-form-urlencoded", "invalid_request", .badRequest),
                ("grant_type=refresh_token&client_id=\(id)%FF", [:], "application/x-www-form-urlencoded", "invalid_request", .badRequest),
                ("{\"grant_type\":\"authorization_code\"}", [:], "application/json", "invalid_request", .badRequest),
                ("grant_type=authorization_code&grant_type=refresh_token&client_id=\(id)", [:], "application/x-www-form-urlencoded",
                 "invalid_request", .badRequest),
                ("grant_type=authorization_code&client_id=unknown", [:], "application/x-www-form-urlencoded", "invalid_client",
                 .unauthorized),
                ("grant_type=authorization_code", [.authorization: "Basic %%%notbase64"], "application/x-www-form-urlencoded",
                 "invalid_client", .unauthorized),
                ("grant_type=authorization_code&code=nope&redirect_uri=x&client_id=\(id)", [:], "application/x-www-form-urlencoded",
                 "invalid_grant", .badRequest),
                ("grant_type=authorization_code&client_id=\(server.confidentialClient.id)&client_secret=wrong", [:],
                 "application/x-www-form-urlencoded", "invalid_client", .unauthorized),
                ("grant_type=authorization_code&client_id=\(server.confidentialClient.id)", [:],
                 "application/x-www-form-urlencoded", "invalid_client", .unauthorized),
                ("grant_type=authorization_code&client_id=\(id)&client_secret=x", [:],
                 "application/x-www-form-urlencoded", "invalid_client", .unauthorized),
            ]
            for (body, headers, type, error, status) in cases {
                let response = try await post(client, "/token", body, headers: headers, contentType: type)
                #expect(response.status == status, "\(body)")
                #expect(try json(response)["error"] as? String == error, "\(body)")
                #expect(response.headers[.cacheControl] == "no-store")
                if status == .unauthorized { #expect(response.headers[.wwwAuthenticate] != nil) }
            }
            let huge = try await post(client, "/token", "grant_type=refresh_token&x=" + String(repeating: "a", count: 20_000))
            #expect(huge.status == .badRequest)
        }
    }

    @Test("confidential clients authenticate with client_secret_basic or client_secret_post", arguments: [true, false])
    func confidential(basic: Bool) async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let body = try await tokens(server, Browser(client), client: server.confidentialClient, basic: basic)
            #expect(body["access_token"] != nil && body["id_token"] != nil)
        }
    }

    @Test("userinfo takes only a valid access token: not an ID token, not a revoked one")
    func userinfo() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let body = try await tokens(server, Browser(client))
            let none = try await client.execute(uri: "/userinfo", method: .get)
            #expect(none.status == .unauthorized && none.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let idToken = try #require(body["id_token"] as? String)
            let withID = try await client.execute(uri: "/userinfo", method: .get, headers: [.authorization: "Bearer \(idToken)"])
            #expect(withID.status == .unauthorized)
            #expect(withID.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
            let access = try #require(body["access_token"] as? String)
            let post = try await client.execute(uri: "/userinfo", method: .post, headers: [.authorization: "Bearer \(access)"])
            #expect(post.status == .ok)
            let revoke = try await self.post(client, "/revoke", "token=\(access)&client_id=\(server.publicClient.id)")
            #expect(revoke.status == .ok)
            let after = try await client.execute(uri: "/userinfo", method: .get, headers: [.authorization: "Bearer \(access)"])
            #expect(after.status == .unauthorized)
        }
    }

    @Test("schemes and media types are read without case, with optional whitespace and parameters")
    func headerSpelling() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let body = try await tokens(server, Browser(client))
            let access = try #require(body["access_token"] as? String)
            let info = try await client.execute(uri: "/userinfo", method: .get, headers: [.authorization: "bEaReR \t\(access) "])
            #expect(info.status == .ok)
            let own = try await tokens(server, Browser(client), client: server.confidentialClient, email: "bob@example.com")
            let refresh = try #require(own["refresh_token"] as? String)
            let basic = "BASIC  " + Data("\(server.confidentialClient.id):\(server.confidentialSecret)".utf8).base64EncodedString()
            let introspected = try await post(client, "/introspect", "token=\(refresh)", headers: [.authorization: basic],
                                              contentType: " Application/X-WWW-Form-URLEncoded ; charset=UTF-8")
            #expect(try json(introspected)["active"] as? Bool == true)
            let wrongType = try await post(client, "/introspect", "token=\(refresh)", headers: [.authorization: basic],
                                           contentType: "application/x-www-form-urlencodedx")
            #expect(wrongType.status == .badRequest)
        }
    }

    @Test("introspection is for confidential clients; inactive tokens yield only active=false")
    func introspection() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let body = try await tokens(server, Browser(client), client: server.confidentialClient)
            let access = try #require(body["access_token"] as? String)
            let refresh = try #require(body["refresh_token"] as? String)
            let asPublic = try await post(client, "/introspect", "token=\(access)&client_id=\(server.publicClient.id)")
            #expect(asPublic.status == .unauthorized)
            let auth = "client_id=\(server.confidentialClient.id)&client_secret=\(server.confidentialSecret)"
            let active = try json(try await post(client, "/introspect", "token=\(access)&\(auth)"))
            #expect(active["active"] as? Bool == true && active["sub"] != nil
                    && active["client_id"] as? String == server.confidentialClient.id)
            let activeRefresh = try json(try await post(client, "/introspect", "token=\(refresh)&\(auth)"))
            #expect(activeRefresh["active"] as? Bool == true)
            let unknown = try await post(client, "/introspect", "token=garbage&\(auth)")
            #expect(String(buffer: unknown.body) == "{\"active\":false}")
            _ = try await post(client, "/revoke", "token=\(refresh)&token_type_hint=refresh_token&\(auth)")
            #expect(String(buffer: try await post(client, "/introspect", "token=\(refresh)&\(auth)").body) == "{\"active\":false}")
            #expect(String(buffer: try await post(client, "/introspect", "token=\(access)&\(auth)").body) == "{\"active\":false}",
                    "revoking the refresh token ends the grant's access tokens too")
        }
    }

    @Test("a replayed refresh token revokes the family over HTTP")
    func refreshReuse() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let body = try await tokens(server, Browser(client))
            let first = try #require(body["refresh_token"] as? String)
            let rotate = "grant_type=refresh_token&client_id=\(server.publicClient.id)&refresh_token="
            let second = try json(try await post(client, "/token", rotate + first))
            let next = try #require(second["refresh_token"] as? String)
            server.clock.advance(by: 11)
            let reuse = try await post(client, "/token", rotate + first)
            #expect(try json(reuse)["error"] as? String == "invalid_grant")
            let afterReuse = try await post(client, "/token", rotate + next)
            #expect(try json(afterReuse)["error"] as? String == "invalid_grant")
        }
    }

    @Test("CORS on /token only for origins registered by the client")
    func cors() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let preflight = try await client.execute(uri: "/token", method: .options, headers: [
                .origin: "https://site.example.com", .accessControlRequestMethod: "POST"])
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://site.example.com")
            let foreign = try await client.execute(uri: "/token", method: .options, headers: [.origin: "https://evil.example.com"])
            #expect(foreign.headers[.accessControlAllowOrigin] == nil)
            let allowed = try await post(client, "/token", "grant_type=refresh_token&refresh_token=x&client_id=\(server.publicClient.id)",
                                         headers: [.origin: "https://site.example.com"])
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://site.example.com")
            let refused = try await post(client, "/token", "grant_type=refresh_token&refresh_token=x&client_id=\(server.publicClient.id)",
                                         headers: [.origin: "https://evil.example.com"])
            #expect(refused.headers[.accessControlAllowOrigin] == nil)
        }
    }

    /// A confidential client registered for the public client's API, as a resource server that introspects is.
    func resourceServer(_ server: TestServer) async throws -> ClientRegistry.Registration {
        try await ClientRegistry(store: server.store, clock: server.clock, random: server.random).register(
            name: "API", redirectURIs: ["https://rs.example.com/cb"], confidential: true,
            settings: ClientSettings(resources: [TestServer.api]))
    }

    func basic(_ id: String, _ secret: String) -> String {
        "Basic " + Data("\(id):\(secret)".utf8).base64EncodedString()
    }

    @Test("introspection shows a client only its own tokens and access tokens for an API it is registered for")
    func introspectionAcrossClients() async throws {
        let server = try await TestServer.make()
        let api = try await resourceServer(server)
        try await server.test { client in
            let browser = Browser(client)
            let redirect = try await browser.signIn(server, authorize: server.authorizeURI(extra: [("resource", TestServer.api)]))
            let issued = try json(try await browser.post("/token", form: [
                ("grant_type", "authorization_code"), ("code", try #require(queryItems(redirect)["code"])),
                ("redirect_uri", server.publicClient.redirectURIs[0]), ("client_id", server.publicClient.id),
                ("code_verifier", TestServer.verifier)]))
            let access = try #require(issued["access_token"] as? String)
            let refresh = try #require(issued["refresh_token"] as? String)
            let backend = basic(server.confidentialClient.id, server.confidentialSecret)
            for token in [access, refresh] {
                let foreign = try await post(client, "/introspect", "token=\(token)", headers: [.authorization: backend])
                #expect(foreign.status == .ok && String(buffer: foreign.body) == "{\"active\":false}")
            }
            let rs = basic(api.client.id, try #require(api.secret))
            let forAPI = try json(try await post(client, "/introspect", "token=\(access)", headers: [.authorization: rs]))
            #expect(forAPI["active"] as? Bool == true && forAPI["aud"] as? String == TestServer.api)
            let refreshForAPI = try await post(client, "/introspect", "token=\(refresh)", headers: [.authorization: rs])
            #expect(String(buffer: refreshForAPI.body) == "{\"active\":false}", "a refresh token is only its own client's business")
        }
    }

    @Test("DELETE /2020-11/token revokes a confidential client's refresh token only with that client's secret")
    func logintooAPIRevocationAuthenticates() async throws {
        let server = try await TestServer.make()
        let other = try await resourceServer(server)
        let confidential = server.confidentialClient
        try await server.test { client in
            let issued = try await tokens(server, Browser(client), client: confidential)
            let refresh = try #require(issued["refresh_token"] as? String)
            func delete(_ body: String, headers: HTTPFields = [:]) async throws -> TestResponse {
                var headers = headers
                headers[.contentType] = "application/json"
                return try await client.execute(uri: "/2020-11/token", method: .delete, headers: headers,
                                                body: ByteBuffer(string: body))
            }
            func refreshes() async throws -> Bool {
                let rotated = try await post(client, "/token", "grant_type=refresh_token&refresh_token=\(refresh)"
                                             + "&client_id=\(confidential.id)&client_secret=\(server.confidentialSecret)")
                return rotated.status == .ok
            }
            let token = "{\"refresh_token\":\"\(refresh)\""
            let refused: [(String, HTTPFields)] = [
                (token + "}", [:]),
                (token + "}", [.authorization: basic(confidential.id, "wrong")]),
                (token + ",\"client_id\":\"\(confidential.id)\",\"client_secret\":\"wrong\"}", [:]),
                (token + "}", [.authorization: basic(other.client.id, try #require(other.secret))]),
                (token + "}", [.authorization: "Basic %%%"]),
            ]
            for (body, headers) in refused {
                let answer = try await delete(body, headers: headers)
                #expect(answer.status == .unauthorized)
                #expect(try json(answer)["error"] as? String == "unauthorized_client")
                #expect(answer.headers[.accessControlAllowOrigin] == "*")
            }
            // Introspection, not a refresh, checks that nothing was revoked: a refresh would rotate the token away.
            let owner = basic(confidential.id, server.confidentialSecret)
            let introspected = try json(try await post(client, "/introspect", "token=\(refresh)", headers: [.authorization: owner]))
            #expect(introspected["active"] as? Bool == true, "nothing was revoked")
            let revoked = try await delete(token + "}", headers: [.authorization: owner])
            #expect(revoked.status == .ok)
            #expect(try await !refreshes())

            let second = try await tokens(server, Browser(client), client: confidential, email: "bob@example.com")
            let secondRefresh = try #require(second["refresh_token"] as? String)
            let posted = try await delete("{\"refresh_token\":\"\(secondRefresh)\",\"client_id\":\"\(confidential.id)\","
                                          + "\"client_secret\":\"\(server.confidentialSecret)\"}")
            #expect(posted.status == .ok)
            let after = try await post(client, "/introspect", "token=\(secondRefresh)", headers: [.authorization: owner])
            #expect(String(buffer: after.body) == "{\"active\":false}")
        }
    }

    @Test("DELETE /2020-11/token still revokes a public client's refresh token with the token alone")
    func logintooAPIRevocationPublic() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let issued = try await tokens(server, Browser(client))
            let refresh = try #require(issued["refresh_token"] as? String)
            let answer = try await client.execute(uri: "/2020-11/token", method: .delete,
                                                  headers: [.contentType: "application/json"],
                                                  body: ByteBuffer(string: "{\"refresh_token\":\"\(refresh)\"}"))
            #expect(answer.status == .ok)
            let rotated = try await post(client, "/token",
                                         "grant_type=refresh_token&refresh_token=\(refresh)&client_id=\(server.publicClient.id)")
            #expect(try json(rotated)["error"] as? String == "invalid_grant")
        }
    }
}
