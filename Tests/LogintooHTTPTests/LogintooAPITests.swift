import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
import NIOCore
import Testing

@Suite("The Logintoo JSON API (2020-11 and 2026-06)")
struct LogintooAPITests {
    static let state = "c3RhdGUtb2YtdGhlLXNpdGUtdGhhdC1pcy1sb25nLWVub3VnaA"
    static let email = "Ann.Lee+news@GoogleMail.com"

    /// One call to the API with a JSON body; the answer's status, headers and decoded body.
    struct Answer {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: [String: Any]
        let raw: String
    }

    func call(_ client: any TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, _ body: [String: Any],
              contentType: String = "application/json") async throws -> Answer {
        let data = try JSONSerialization.data(withJSONObject: body)
        let response = try await client.execute(uri: path, method: method, headers: [.contentType: contentType],
                                                body: ByteBuffer(bytes: data))
        let raw = String(buffer: response.body)
        let decoded = (try? JSONSerialization.jsonObject(with: Data(raw.utf8))) as? [String: Any] ?? [:]
        return Answer(status: response.status, headers: response.headers, body: decoded, raw: raw)
    }

    func authBody(_ server: TestServer, email: String = email, clientId: String? = nil, extra: [String: Any] = [:]) -> [String: Any] {
        var body: [String: Any] = [
            "client_id": clientId ?? server.publicClient.id, "code_challenge": TestServer.challenge, "code_challenge_method": "S256",
            "email": email, "redirect_uri": server.publicClient.redirectURIs[0], "response_type": "code", "state": Self.state,
            "language": "de", "locale": "de-CH", "ignored_property": ["anything": 1],
        ]
        for (key, value) in extra { body[key] = value }
        return body
    }

    func otpBody(_ server: TestServer, otp: String, email: String = email) -> [String: Any] {
        ["client_id": server.publicClient.id, "code_challenge": TestServer.challenge, "email": email, "otp": otp]
    }

    func tokenBody(_ server: TestServer, code: String, verifier: String = TestServer.verifier) -> [String: Any] {
        ["grant_type": "authorization_code", "code": code, "redirect_uri": server.publicClient.redirectURIs[0],
         "client_id": server.publicClient.id, "code_verifier": verifier]
    }

    /// `/auth` then `/otp` with the emailed code: the `/otp` answer.
    func signIn(_ server: TestServer, _ client: any TestClientProtocol, version: String = "2026-06") async throws -> Answer {
        let auth = try await call(client, .post, "/\(version)/auth", authBody(server))
        #expect(auth.status == .ok)
        let code = try #require(try await server.deliveredCode(to: "ann.lee+news@googlemail.com"))
        return try await call(client, .post, "/\(version)/otp", otpBody(server, otp: code))
    }

    func expectAPIHeaders(_ answer: Answer, cacheable: Bool = false) {
        #expect(answer.headers[.accessControlAllowOrigin] == "*")
        if !cacheable {
            #expect(answer.headers[.cacheControl] == "no-store")
            #expect(answer.headers[HTTPField.Name("Pragma")!] == "no-cache")
            #expect(answer.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
        }
    }

    func claims(_ jwt: String) throws -> [String: Any] {
        let payload = try #require(Base64URL.decode(jwt.split(separator: ".")[1]))
        return try #require(try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any])
    }

    @Test("2026-06: auth, otp (302 with iss), token with Logintoo's fields and claims, PATCH rotation, DELETE")
    func wholeFlow() async throws {
        let server = try await TestServer.make()
        var site = server.publicClient
        site.redirectURIs = ["https://site.example.com/callback?from=logintoo"]
        site.settings.tokenAudience = "https://api.example.com"
        try await server.store.saveClient(site)
        let redirect = site.redirectURIs[0]
        try await server.test { client in
            var body = authBody(server)
            body["redirect_uri"] = redirect
            let auth = try await call(client, .post, "/2026-06/auth", body)
            #expect(auth.status == .ok)
            #expect(auth.raw == #"{"statusCode":200,"statusMessage":"200 OK"}"#)
            expectAPIHeaders(auth)
            let code = try #require(try await server.deliveredCode(to: "ann.lee+news@googlemail.com"))

            let otp = try await call(client, .post, "/2026-06/otp", otpBody(server, otp: code))
            #expect(otp.status == .found)
            #expect(otp.raw == "{}")
            expectAPIHeaders(otp)
            let location = try #require(otp.headers[.location])
            #expect(location.hasPrefix("https://site.example.com/callback?from=logintoo&code="))
            let query = queryItems(location)
            #expect(query["state"] == Self.state && query["language"] == "de" && query["locale"] == "de-CH")
            #expect(query["iss"] == TestServer.issuer)

            let token = try await call(client, .post, "/2026-06/token",
                                       tokenBody(server, code: try #require(query["code"])).merging(["redirect_uri": redirect]) { $1 })
            #expect(token.status == .ok)
            expectAPIHeaders(token)
            let now = server.clock.now()
            #expect(token.body["token_type"] as? String == "Bearer")
            #expect(token.body["statusMessage"] as? String == "200 OK")
            #expect(token.body["state"] as? String == Self.state)
            #expect(token.body["language"] as? String == "de" && token.body["locale"] as? String == "de-CH")
            let expiresIn = try #require(token.body["expires_in"] as? Int)
            #expect(token.body["exp"] as? Int == Int(now) + expiresIn)
            #expect(token.body["rt_exp"] as? Int == Int(now) + Int(server.context.policy.refreshIdleLifetime))
            let access = try claims(try #require(token.body["access_token"] as? String))
            #expect(access["aud"] as? String == "https://api.example.com")
            #expect(access["email"] as? String == "ann.lee+news@googlemail.com")
            #expect(access["email_verified"] as? Bool == true)
            #expect(access["email_normalized"] as? String == "annlee@googlemail.com")
            #expect(access["hd"] as? String == "googlemail.com")
            #expect(access["language"] as? String == "de" && access["locale"] as? String == "de-CH")

            let first = try #require(token.body["refresh_token"] as? String)
            let rotated = try await call(client, .patch, "/2026-06/token", ["grant_type": "refresh_token", "refresh_token": first])
            #expect(rotated.status == .ok)
            expectAPIHeaders(rotated)
            let second = try #require(rotated.body["refresh_token"] as? String)
            #expect(second != first && rotated.body["access_token"] is String && rotated.body["rt_exp"] is Int)
            let third = try await call(client, .patch, "/2026-06/token", ["grant_type": "refresh_token", "refresh_token": second])
            #expect(third.status == .ok)

            let reused = try await call(client, .patch, "/2026-06/token", ["grant_type": "refresh_token", "refresh_token": first])
            #expect(reused.status == .forbidden && reused.body["error"] as? String == "access_denied")
            let latest = try #require(third.body["refresh_token"] as? String)
            let afterReuse = try await call(client, .patch, "/2026-06/token", ["grant_type": "refresh_token", "refresh_token": latest])
            #expect(afterReuse.status == .unauthorized && afterReuse.body["error"] as? String == "unauthorized_client")
        }
    }

    @Test("2020-11: no iss on the redirect; DELETE ends the sign-in and is idempotent; form bodies at /token")
    func version2020() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let otp = try await signIn(server, client, version: "2020-11")
            let location = try #require(otp.headers[.location])
            #expect(queryItems(location)["iss"] == nil)
            let form = URLQuery.encode(tokenBody(server, code: try #require(queryItems(location)["code"])).map { ($0.key, "\($0.value)") })
            let response = try await client.execute(uri: "/2020-11/token", method: .post,
                                                    headers: [.contentType: "application/x-www-form-urlencoded"],
                                                    body: ByteBuffer(string: form))
            #expect(response.status == .ok)
            let refresh = try #require(try json(response)["refresh_token"] as? String)
            for _ in 0..<2 {
                let deleted = try await call(client, .delete, "/2020-11/token", ["refresh_token": refresh])
                #expect(deleted.status == .ok && deleted.raw == #"{"statusMessage":"200 OK"}"#)
                expectAPIHeaders(deleted)
            }
            let refused = try await call(client, .patch, "/2020-11/token", ["grant_type": "refresh_token", "refresh_token": refresh])
            #expect(refused.status == .unauthorized)
            #expect(try await client.execute(uri: "/2020-11/jwks", method: .get).status == .notFound)
        }
    }

    @Test("one code per (address, challenge): repeating /auth sends nothing new; the answer hides unknown clients")
    func repeatsAndEnumeration() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let first = try await call(client, .post, "/2026-06/auth", authBody(server))
            server.clock.advance(by: 120)
            let again = try await call(client, .post, "/2026-06/auth", authBody(server))
            try await server.worker.deliverDue()
            #expect(await server.mailer.messages.count == 1)
            let unknownClient = try await call(client, .post, "/2026-06/auth", authBody(server, clientId: UUID().uuidString))
            var wrongRedirect = authBody(server, email: "bob@example.com")
            wrongRedirect["redirect_uri"] = "https://evil.example.com/callback"
            let badRedirect = try await call(client, .post, "/2026-06/auth", wrongRedirect)
            try await server.worker.deliverDue()
            #expect(await server.mailer.messages.count == 1)
            for answer in [again, unknownClient, badRedirect] {
                #expect(answer.status == first.status && answer.raw == first.raw)
                #expect(answer.headers.map(\.name) == first.headers.map(\.name))
            }
        }
    }

    @Test("input validation: 400 invalid_request naming the field, never echoing its value")
    func validation() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let cases: [[String: Any]] = [
                authBody(server, clientId: "not-a-uuid"),
                authBody(server, extra: ["code_challenge": "short"]),
                authBody(server, extra: ["code_challenge_method": "plain"]),
                authBody(server, extra: ["state": "has spaces and is long enough to pass the length rule of 43"]),
                authBody(server, extra: ["language": "deu"]),
                authBody(server, extra: ["locale": "de_CH"]),
                authBody(server, email: "secret-person@@example.com"),
                authBody(server, extra: ["redirect_uri": "not a uri"]),
                authBody(server, extra: ["response_type": "token"]),
                authBody(server, extra: ["client_id": 42]),
            ]
            for body in cases {
                let answer = try await call(client, .post, "/2020-11/auth", body)
                #expect(answer.status == .badRequest)
                #expect(answer.body["statusMessage"] as? String == "400 Bad Request")
                #expect(answer.body["error"] as? String == "invalid_request")
                #expect(!answer.raw.contains("secret-person") && !answer.raw.contains("not-a-uuid"))
                expectAPIHeaders(answer)
            }
            let notJSON = try await client.execute(uri: "/2020-11/otp", method: .post, headers: [.contentType: "application/json"],
                                                   body: ByteBuffer(string: "{\"otp\": "))
            #expect(notJSON.status == .badRequest)
            let letters = try await call(client, .post, "/2020-11/otp", otpBody(server, otp: "12ab5678"))
            #expect(letters.status == .badRequest)
            let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-WRONG"
            let echo = try await call(client, .post, "/2020-11/token", tokenBody(server, code: String(repeating: "c", count: 43),
                                                                                 verifier: verifier))
            #expect(echo.status == .forbidden && !echo.raw.contains(verifier) && !echo.raw.contains("ccccccc"))
        }
    }

    @Test("code errors: wrong code 401 and one attempt used; the budget burns the code; no challenge 403")
    func codeErrors() async throws {
        let server = try await TestServer.make()
        var site = server.publicClient
        site.settings.codeMaxAttempts = 2
        try await server.store.saveClient(site)
        try await server.test { client in
            let none = try await call(client, .post, "/2026-06/otp", otpBody(server, otp: "12345678"))
            #expect(none.status == .forbidden && none.body["error"] as? String == "access_denied")
            _ = try await call(client, .post, "/2026-06/auth", authBody(server))
            let code = try #require(try await server.deliveredCode(to: "ann.lee+news@googlemail.com"))
            let wrong = code == "00000000" ? "11111111" : "00000000"
            for _ in 0..<2 {
                let answer = try await call(client, .post, "/2026-06/otp", otpBody(server, otp: wrong))
                #expect(answer.status == .unauthorized && answer.body["error"] as? String == "unauthorized_client")
                #expect(answer.body["statusMessage"] as? String == "401 Unauthorized")
            }
            let burned = try await call(client, .post, "/2026-06/otp", otpBody(server, otp: code))
            #expect(burned.status == .forbidden)
        }
    }

    @Test("the redirect URI is checked again at /otp")
    func redirectRechecked() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            _ = try await call(client, .post, "/2026-06/auth", authBody(server))
            let code = try #require(try await server.deliveredCode(to: "ann.lee+news@googlemail.com"))
            var site = server.publicClient
            site.redirectURIs = ["https://site.example.com/new-callback"]
            try await server.store.saveClient(site)
            let otp = try await call(client, .post, "/2026-06/otp", otpBody(server, otp: code))
            #expect(otp.status == .forbidden && otp.headers[.location] == nil)
        }
    }

    @Test("token errors: verifier mismatch 401; replayed, unknown, or another client's code 403")
    func tokenErrors() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let location = try #require(try await signIn(server, client).headers[.location])
            let code = try #require(queryItems(location)["code"])
            let mismatch = try await call(client, .post, "/2026-06/token",
                                          tokenBody(server, code: code, verifier: String(repeating: "v", count: 43)))
            #expect(mismatch.status == .unauthorized && mismatch.body["error"] as? String == "unauthorized_client")
            let replay = try await call(client, .post, "/2026-06/token", tokenBody(server, code: code))
            #expect(replay.status == .forbidden && replay.body["error"] as? String == "access_denied")
            var otherClient = tokenBody(server, code: String(repeating: "x", count: 43))
            otherClient["client_id"] = UUID().uuidString
            #expect(try await call(client, .post, "/2026-06/token", otherClient).status == .forbidden)
            var wrongGrant = tokenBody(server, code: code)
            wrongGrant["grant_type"] = "password"
            #expect(try await call(client, .post, "/2026-06/token", wrongGrant).status == .badRequest)
        }
    }

    @Test("concurrent /otp with the right code: exactly one redirect")
    func concurrentOTP() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            _ = try await call(client, .post, "/2026-06/auth", authBody(server))
            let code = try #require(try await server.deliveredCode(to: "ann.lee+news@googlemail.com"))
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<8 { group.addTask { try await call(client, .post, "/2026-06/otp", otpBody(server, otp: code)).status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .found }.count == 1)
        }
    }

    @Test("while shutting down, the API answers 503 temporarily_unavailable")
    func shuttingDown() async throws {
        let server = try await TestServer.make()
        server.context.readiness.markNotReady()
        try await server.test { client in
            let answer = try await call(client, .post, "/2026-06/auth", authBody(server))
            #expect(answer.status == .serviceUnavailable && answer.body["error"] as? String == "temporarily_unavailable")
            #expect(answer.body["statusMessage"] as? String == "503 Service Unavailable")
            expectAPIHeaders(answer)
        }
    }

    @Test("preflights answer 204 to any origin; the 2026-06 JWKS is the server's, cacheable")
    func preflightAndJWKS() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            for path in ["/2020-11/auth", "/2020-11/otp", "/2020-11/token", "/2026-06/auth", "/2026-06/otp", "/2026-06/token"] {
                let response = try await client.execute(uri: path, method: .options,
                                                        headers: [.origin: "https://anywhere.example", .accessControlRequestMethod: "PATCH"])
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                #expect(response.headers[.accessControlAllowMethods]?.contains("PATCH") == true)
            }
            let jwks = try await client.execute(uri: "/2026-06/jwks", method: .get)
            let wellKnown = try await client.execute(uri: "/.well-known/jwks.json", method: .get)
            #expect(jwks.status == .ok && jwks.body == wellKnown.body)
            #expect(jwks.headers[.accessControlAllowOrigin] == "*")
            #expect(jwks.headers[.cacheControl]?.contains("max-age") == true)
        }
    }

    @Test("the original login page URL continues at this server's login page, and its code works at the JSON token resource")
    func loginPageURL() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let query = URLQuery.encode([
                ("client_id", server.publicClient.id), ("redirect_uri", server.publicClient.redirectURIs[0]), ("response_type", "code"),
                ("state", Self.state), ("code_challenge", TestServer.challenge), ("code_challenge_method", "S256"),
                ("language", "fr"), ("locale", "fr-BE"),
            ])
            let start = try await browser.get("/?" + query)
            #expect(start.status == .seeOther && start.headers[.location] == "/authorize?" + query)
            let redirect = try await browser.signIn(server, authorize: "/authorize?" + query)
            let items = queryItems(redirect)
            #expect(items["state"] == Self.state && items["language"] == "fr" && items["locale"] == "fr-BE")
            let token = try await call(client, .post, "/2020-11/token", tokenBody(server, code: try #require(items["code"])))
            #expect(token.status == .ok && token.body["state"] as? String == Self.state && token.body["locale"] as? String == "fr-BE")
            #expect(try claims(try #require(token.body["access_token"] as? String))["email_normalized"] as? String == "alice@example.com")
        }
    }
}
