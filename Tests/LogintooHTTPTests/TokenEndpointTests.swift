import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
import NIOCore
import Testing

@Suite("Token, userinfo, introspection and revocation endpoints")
struct TokenEndpointTests {
    /// Signs in with `client` and exchanges the code; returns the token response body.
    func tokens(_ server: TestServer, _ browser: Browser, client: Client? = nil, basic: Bool = false) async throws -> [String: Any] {
        let client = client ?? server.publicClient
        let redirect = try await browser.signIn(server, authorize: server.authorizeURI(client: client))
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
            let refresh = try #require(body["refresh_token"] as? String)
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
            let body = try await tokens(server, Browser(client))
            let access = try #require(body["access_token"] as? String)
            let refresh = try #require(body["refresh_token"] as? String)
            let asPublic = try await post(client, "/introspect", "token=\(access)&client_id=\(server.publicClient.id)")
            #expect(asPublic.status == .unauthorized)
            let auth = "client_id=\(server.confidentialClient.id)&client_secret=\(server.confidentialSecret)"
            let active = try json(try await post(client, "/introspect", "token=\(access)&\(auth)"))
            #expect(active["active"] as? Bool == true && active["sub"] != nil && active["client_id"] as? String == server.publicClient.id)
            let activeRefresh = try json(try await post(client, "/introspect", "token=\(refresh)&\(auth)"))
            #expect(activeRefresh["active"] as? Bool == true)
            let unknown = try await post(client, "/introspect", "token=garbage&\(auth)")
            #expect(String(buffer: unknown.body) == "{\"active\":false}")
            _ = try await post(client, "/revoke", "token=\(refresh)&token_type_hint=refresh_token&client_id=\(server.publicClient.id)")
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
}
