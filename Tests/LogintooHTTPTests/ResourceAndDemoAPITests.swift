import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
import NIOCore
import Testing

@Suite("Resource indicators (RFC 8707) and the demo API")
struct ResourceAndDemoAPITests {
    func exchange(_ browser: Browser, _ server: TestServer, redirect: String, resource: String? = nil) async throws -> TestResponse {
        var form = [("grant_type", "authorization_code"), ("code", try #require(queryItems(redirect)["code"])),
                    ("redirect_uri", server.publicClient.redirectURIs[0]), ("client_id", server.publicClient.id),
                    ("code_verifier", TestServer.verifier)]
        if let resource { form.append(("resource", resource)) }
        return try await browser.post("/token", form: form)
    }

    func audience(_ token: String) throws -> String? {
        let payload = try #require(Base64URL.decode(token.split(separator: ".")[1]))
        return (try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any])?["aud"] as? String
    }

    @Test("the resource chosen at /authorize becomes the access token's aud, and stays through refresh")
    func audienceFromResource() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let redirect = try await browser.signIn(server, authorize: server.authorizeURI(extra: [("resource", TestServer.api)]))
            let tokens = try json(try await exchange(browser, server, redirect: redirect))
            #expect(try audience(try #require(tokens["access_token"] as? String)) == TestServer.api)
            let refreshed = try await browser.post("/token", form: [
                ("grant_type", "refresh_token"), ("client_id", server.publicClient.id),
                ("refresh_token", try #require(tokens["refresh_token"] as? String)), ("resource", TestServer.api)])
            #expect(try audience(try #require(try json(refreshed)["access_token"] as? String)) == TestServer.api)
            let other = try await browser.post("/token", form: [
                ("grant_type", "refresh_token"), ("client_id", server.publicClient.id),
                ("refresh_token", try #require(try json(refreshed)["refresh_token"] as? String)),
                ("resource", TestServer.issuer + "/demo/api")])
            #expect(try other.status == .badRequest && json(other)["error"] as? String == "invalid_target")
        }
    }

    @Test("a resource the client is not registered for is invalid_target, at /authorize and at /token")
    func unregisteredResource() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            for resource in ["https://other.example.com", "https://api.example.com#frag", "not a uri"] {
                let answer = try await browser.get(server.authorizeURI(extra: [("resource", resource)]))
                #expect(answer.status == .seeOther)
                #expect(queryItems(try #require(answer.headers[.location]))["error"] == "invalid_target")
            }
            let redirect = try await browser.signIn(server)
            let refused = try await exchange(browser, server, redirect: redirect, resource: "https://other.example.com")
            #expect(try refused.status == .badRequest && json(refused)["error"] as? String == "invalid_target")
        }
    }

    @Test("the demo API: who am I, notes per person, and RFC 6750 refusals")
    func demoAPI() async throws {
        let server = try await TestServer.make(demo: true)
        try await server.test { client in
            let browser = Browser(client)
            let api = TestServer.issuer + "/demo/api"
            let redirect = try await browser.signIn(server, authorize: server.authorizeURI(extra: [("resource", api)]))
            let tokens = try json(try await exchange(browser, server, redirect: redirect))
            let token = try #require(tokens["access_token"] as? String)
            let bearer: HTTPFields = [.authorization: "Bearer \(token)"]

            let me = try await client.execute(uri: "/demo/api/me", method: .get, headers: bearer)
            #expect(me.status == .ok)
            #expect(try json(me)["email"] as? String == "alice@example.com")
            var withBody = bearer
            withBody[.contentType] = "application/json"
            let created = try await client.execute(uri: "/demo/api/notes", method: .post, headers: withBody,
                                                   body: ByteBuffer(string: #"{"text":"  Buy milk  "}"#))
            #expect(created.status == .created)
            let id = try #require(try json(created)["id"] as? String)
            let listed = try json(try await client.execute(uri: "/demo/api/notes", method: .get, headers: bearer))
            #expect((listed["notes"] as? [[String: Any]])?.first?["text"] as? String == "Buy milk")
            let empty = try await client.execute(uri: "/demo/api/notes", method: .post, headers: withBody,
                                                 body: ByteBuffer(string: #"{"text":"   "}"#))
            #expect(empty.status == .badRequest)
            #expect(try await client.execute(uri: "/demo/api/notes/\(id)", method: .delete, headers: bearer).status == .noContent)
            #expect(try await client.execute(uri: "/demo/api/notes/\(id)", method: .delete, headers: bearer).status == .notFound)

            let anonymous = try await client.execute(uri: "/demo/api/me", method: .get)
            #expect(anonymous.status == .unauthorized
                    && anonymous.headers[values: .wwwAuthenticate] == ["Bearer realm=\"demo\"", "DPoP algs=\"ES256 EdDSA RS256 PS256\""])
            let tampered = try await client.execute(uri: "/demo/api/me", method: .get,
                                                    headers: [.authorization: "Bearer \(token.dropLast(4))AAAA"])
            #expect(tampered.status == .unauthorized)
            #expect(tampered.headers[.wwwAuthenticate]?.contains("invalid_token") == true)
            let idToken = try #require(tokens["id_token"] as? String)
            let asAccess = try await client.execute(uri: "/demo/api/me", method: .get, headers: [.authorization: "Bearer \(idToken)"])
            #expect(asAccess.status == .unauthorized)
            #expect(asAccess.headers[.wwwAuthenticate]?.contains("not an access token") == true)
        }
    }

    @Test("a token for another API is refused by the demo API")
    func wrongAudience() async throws {
        let server = try await TestServer.make(demo: true)
        try await server.test { client in
            let browser = Browser(client)
            let redirect = try await browser.signIn(server, authorize: server.authorizeURI(extra: [("resource", TestServer.api)]))
            let token = try #require(try json(try await exchange(browser, server, redirect: redirect))["access_token"] as? String)
            let answer = try await client.execute(uri: "/demo/api/me", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(answer.status == .unauthorized)
            #expect(answer.headers[.wwwAuthenticate]?.contains("another API") == true)
        }
    }
}
