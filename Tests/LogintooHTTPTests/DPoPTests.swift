import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
import LogintooTestSupport
import NIOCore
import Testing

extension HTTPField.Name {
    static let dpop = HTTPField.Name("DPoP")!
    static let dpopNonce = HTTPField.Name("DPoP-Nonce")!
}

/// A text member of a JSON answer.
func field(_ response: TestResponse, _ name: String) -> String? {
    (try? json(response))?[name] as? String
}

/// DPoP (RFC 9449) at the token endpoint and `/userinfo`, with proofs made by hand.
@Suite("DPoP-bound tokens")
struct DPoPTests {
    static let tokenURL = TestServer.issuer + "/token"
    static let userInfoURL = TestServer.issuer + "/userinfo"

    /// The code a browser brings back from signing in with `client`: a new browser each time, so that each one signs in.
    func code(_ server: TestServer, _ browser: Browser, client: Client? = nil, extra: [(String, String)] = []) async throws -> String {
        let redirect = try await Browser(browser.client).signIn(server, authorize: server.authorizeURI(client: client ?? server.publicClient,
                                                                                                        extra: extra),
                                                                email: "person-\(UUID().uuidString.prefix(8).lowercased())@example.com")
        return try #require(queryItems(redirect)["code"])
    }

    func exchange(_ browser: Browser, _ server: TestServer, code: String, proof: String?, client: Client? = nil) async throws
        -> TestResponse {
        let client = client ?? server.publicClient
        var form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", client.redirectURIs[0]),
                    ("code_verifier", TestServer.verifier), ("client_id", client.id)]
        if client.isConfidential { form.append(("client_secret", server.confidentialSecret)) }
        return try await browser.post("/token", form: form, headers: proof.map { [.dpop: $0] } ?? [:])
    }

    func refresh(_ browser: Browser, _ server: TestServer, token: String, proof: String?, client: Client? = nil) async throws
        -> TestResponse {
        let client = client ?? server.publicClient
        var form = [("grant_type", "refresh_token"), ("refresh_token", token), ("client_id", client.id)]
        if client.isConfidential { form.append(("client_secret", server.confidentialSecret)) }
        return try await browser.post("/token", form: form, headers: proof.map { [.dpop: $0] } ?? [:])
    }

    /// The server's current nonce, as a first proof without one learns it.
    func nonce(_ browser: Browser, _ server: TestServer, key: DPoPSigner) async throws -> String {
        let refused = try await refresh(browser, server, token: "x", proof: key.proof("POST", Self.tokenURL, iat: server.clock.now()))
        #expect(refused.status == .badRequest && field(refused, "error") == "use_dpop_nonce")
        return try #require(refused.headers[.dpopNonce])
    }

    /// A browser that signed in and exchanged its code with a proof by `key`; the nonce it used, and the answer.
    func signedIn(_ server: TestServer, _ client: any TestClientProtocol, key: DPoPSigner) async throws
        -> (Browser, nonce: String, issued: TestResponse) {
        let browser = Browser(client)
        let nonce = try await nonce(browser, server, key: key)
        let issued = try await exchange(browser, server, code: try await code(server, browser),
                                        proof: key.proof("POST", Self.tokenURL, iat: server.clock.now(), nonce: nonce))
        return (browser, nonce, issued)
    }

    /// A new server, and a browser that learned its nonce, for `body`.
    func withServer(_ body: @Sendable (_ server: TestServer, _ browser: Browser, _ nonce: String) async throws -> Void)
        async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            try await body(server, browser, try await nonce(browser, server, key: DPoPSigner()))
        }
    }

    @Test("a proof binds the access token and a public client's refresh token to its key")
    func binding() async throws {
        let server = try await TestServer.make()
        let key = DPoPSigner(), other = DPoPSigner()
        try await server.test { client in
            let (browser, nonce, issued) = try await signedIn(server, client, key: key)
            let now = server.clock.now()
            #expect(issued.status == .ok)
            #expect(issued.headers[.dpopNonce] != nil)
            let body = try json(issued)
            #expect(body["token_type"] as? String == "DPoP")
            let access = try #require(body["access_token"] as? String)
            #expect((DPoPSigner.claims(of: access)["cnf"] as? [String: String])?["jkt"] == key.thumbprint)
            let refreshToken = try #require(body["refresh_token"] as? String)

            let unproven = try await refresh(browser, server, token: refreshToken, proof: nil)
            #expect(unproven.status == .badRequest && field(unproven, "error") == "invalid_dpop_proof")
            let otherKey = try await refresh(browser, server, token: refreshToken,
                                             proof: other.proof("POST", Self.tokenURL, iat: now, nonce: nonce))
            #expect(otherKey.status == .badRequest && field(otherKey, "error") == "invalid_grant")
            let proof = key.proof("POST", Self.tokenURL, iat: now, nonce: nonce)
            let rotated = try await refresh(browser, server, token: refreshToken, proof: proof)
            #expect(rotated.status == .ok)
            let next = try json(rotated)
            #expect(next["token_type"] as? String == "DPoP")
            #expect((DPoPSigner.claims(of: try #require(next["access_token"] as? String))["cnf"] as? [String: String])?["jkt"]
                    == key.thumbprint)
            let replayed = try await refresh(browser, server, token: try #require(next["refresh_token"] as? String), proof: proof)
            #expect(replayed.status == .badRequest && field(replayed, "error") == "invalid_dpop_proof",
                    "the same proof twice is a replay")
        }
    }

    @Test("a public client's grant begun without DPoP is bound by its first refresh with a proof")
    func lateBinding() async throws {
        let server = try await TestServer.make()
        let key = DPoPSigner(), other = DPoPSigner()
        try await server.test { client in
            let browser = Browser(client)
            let plain = try await exchange(browser, server, code: try await code(server, browser), proof: nil)
            #expect(field(plain, "token_type") == "Bearer")
            let nonce = try await nonce(browser, server, key: key)
            let now = server.clock.now()
            let bound = try await refresh(browser, server, token: try #require(field(plain, "refresh_token")),
                                          proof: key.proof("POST", Self.tokenURL, iat: now, nonce: nonce))
            #expect(field(bound, "token_type") == "DPoP")
            let next = try #require(field(bound, "refresh_token"))
            let unproven = try await refresh(browser, server, token: next, proof: nil)
            #expect(field(unproven, "error") == "invalid_dpop_proof")
            let otherKey = try await refresh(browser, server, token: next, proof: other.proof("POST", Self.tokenURL, iat: now, nonce: nonce))
            #expect(field(otherKey, "error") == "invalid_grant")
        }
    }

    @Test("a thief who binds a stolen refresh token to its key cannot shield the family from reuse detection")
    func stolenThenBound() async throws {
        let server = try await TestServer.make()
        let thief = DPoPSigner()
        try await server.test { client in
            let browser = Browser(client)
            let stolen = try #require(field(try await exchange(browser, server, code: try await code(server, browser), proof: nil),
                                            "refresh_token"))
            let nonce = try await nonce(browser, server, key: thief)
            let taken = try await refresh(browser, server, token: stolen,
                                          proof: thief.proof("POST", Self.tokenURL, iat: server.clock.now(), nonce: nonce))
            #expect(field(taken, "token_type") == "DPoP")
            server.clock.advance(by: 60)
            let owner = try await refresh(browser, server, token: stolen, proof: nil)
            #expect(field(owner, "error_description")?.contains("already used") == true, "the owner's retired token is reuse")
            let after = try await refresh(browser, server, token: try #require(field(taken, "refresh_token")),
                                          proof: thief.proof("POST", Self.tokenURL, iat: server.clock.now(), nonce: nonce))
            #expect(field(after, "error") == "invalid_grant", "the family is revoked")
        }
    }

    @Test("the Logintoo JSON API refuses a bound grant's refresh token with 401, not 500")
    func jsonAPI() async throws {
        let server = try await TestServer.make()
        let key = DPoPSigner()
        try await server.test { client in
            let (_, _, issued) = try await signedIn(server, client, key: key)
            let body = #"{"grant_type":"refresh_token","refresh_token":"\#(try #require(field(issued, "refresh_token")))"}"#
            let answer = try await client.execute(uri: "/2026-06/token", method: .patch, headers: [.contentType: "application/json"],
                                                  body: ByteBuffer(string: body))
            #expect(answer.status == .unauthorized)
            #expect(field(answer, "error_description")?.contains("DPoP") == true)
        }
    }

    @Test("/userinfo takes a bound token only with the DPoP scheme and a proof by its key, for this request")
    func userInfo() async throws {
        let server = try await TestServer.make()
        let key = DPoPSigner(), other = DPoPSigner()
        try await server.test { client in
            let (browser, nonce, issued) = try await signedIn(server, client, key: key)
            let now = server.clock.now()
            let access = try #require(field(issued, "access_token"))
            func ask(_ authorization: String, _ proof: String?) async throws -> TestResponse {
                var headers: HTTPFields = [.authorization: authorization]
                if let proof { headers[.dpop] = proof }
                return try await browser.get("/userinfo", headers: headers)
            }
            let good = try await ask("DPoP " + access, key.proof("GET", Self.userInfoURL, iat: now, nonce: nonce, accessToken: access))
            #expect(good.status == .ok && field(good, "sub") != nil)

            let asBearer = try await ask("Bearer " + access, nil)
            #expect(asBearer.status == .unauthorized)
            #expect(asBearer.headers[values: .wwwAuthenticate].contains { $0.hasPrefix("DPoP ") && $0.contains("invalid_token") })
            let refusals: [(String, String?, String)] = [
                ("no proof", nil, "invalid_dpop_proof"),
                ("another key", other.proof("GET", Self.userInfoURL, iat: now, nonce: nonce, accessToken: access), "invalid_token"),
                ("wrong ath", key.proof("GET", Self.userInfoURL, iat: now, nonce: nonce, accessToken: access + "x"),
                 "invalid_dpop_proof"),
                ("no ath", key.proof("GET", Self.userInfoURL, iat: now, nonce: nonce), "invalid_dpop_proof"),
                ("wrong htm", key.proof("POST", Self.userInfoURL, iat: now, nonce: nonce, accessToken: access), "invalid_dpop_proof"),
                ("wrong htu", key.proof("GET", TestServer.issuer + "/token", iat: now, nonce: nonce, accessToken: access),
                 "invalid_dpop_proof"),
                ("no nonce", key.proof("GET", Self.userInfoURL, iat: now, accessToken: access), "use_dpop_nonce"),
            ]
            for (name, proof, error) in refusals {
                let refused = try await ask("DPoP " + access, proof)
                #expect(refused.status == .unauthorized, "\(name)")
                #expect(refused.headers[values: .wwwAuthenticate].contains { $0.hasPrefix("DPoP algs=") && $0.contains(error) },
                        "\(name): \(refused.headers[values: .wwwAuthenticate])")
            }
        }
    }

    @Test("a proof is refused unless every member checks out", arguments: [
        ("wrong htm", ["htm": "GET"], [:]), ("wrong htu", ["htu": "https://login.example.com/userinfo"], [:]),
        ("htu of another host", ["htu": "https://evil.example/token"], [:]),
        ("iat too old", ["iat": 1_800_000_000 - 301], [:]), ("iat ahead", ["iat": 1_800_000_000 + 61], [:]),
        ("no jti", ["jti": NSNull()], [:]), ("no iat", ["iat": NSNull()], [:]),
        ("typ JWT", [:], ["typ": "JWT"]), ("no typ", [:], ["typ": NSNull()]),
        ("alg none", [:], ["alg": "none"]), ("alg HS256", [:], ["alg": "HS256"]), ("alg RS256 with an EC key", [:], ["alg": "RS256"]),
        ("private key in jwk", [:], ["jwk": ["kty": "EC", "crv": "P-256", "x": "AA", "y": "AA", "d": "AA"]]),
        ("no jwk", [:], ["jwk": NSNull()]), ("kid instead", [:], ["kid": "k1"]),
    ] as [(String, [String: any Sendable], [String: any Sendable])])
    func refusedProofs(name: String, claims: [String: any Sendable], header: [String: any Sendable]) async throws {
        let key = DPoPSigner()
        try await withServer { server, browser, nonce in
            var claims = claims
            claims["nonce"] = nonce
            let proof = key.proof("POST", Self.tokenURL, iat: server.clock.now(), header: header, claims: claims)
            let refused = try await refresh(browser, server, token: "any", proof: proof)
            #expect(refused.status == .badRequest)
            #expect(try json(refused)["error"] as? String == "invalid_dpop_proof", "\(name)")
        }
    }

    @Test("a proof with a changed signature or two DPoP headers is refused")
    func forgedProofs() async throws {
        let key = DPoPSigner(), other = DPoPSigner()
        try await withServer { server, browser, nonce in
            let now = server.clock.now()
            var parts = key.proof("POST", Self.tokenURL, iat: now, nonce: nonce).split(separator: ".").map(String.init)
            parts[2] = other.proof("POST", Self.tokenURL, iat: now, nonce: nonce).split(separator: ".")[2].description
            let forged = try await refresh(browser, server, token: "any", proof: parts.joined(separator: "."))
            #expect(try json(forged)["error"] as? String == "invalid_dpop_proof")
            var headers: HTTPFields = [:]
            headers.append(HTTPField(name: .dpop, value: key.proof("POST", Self.tokenURL, iat: now, nonce: nonce)))
            headers.append(HTTPField(name: .dpop, value: key.proof("POST", Self.tokenURL, iat: now, nonce: nonce)))
            let twice = try await browser.post("/token", form: [("grant_type", "refresh_token"), ("refresh_token", "any"),
                                                                 ("client_id", server.publicClient.id)], headers: headers)
            #expect(try json(twice)["error"] as? String == "invalid_dpop_proof")
        }
    }

    @Test("nonces last two periods, then a proof must carry the new one")
    func nonceExpiry() async throws {
        let key = DPoPSigner()
        try await withServer { server, browser, nonce in
            server.clock.advance(by: 2 * DPoPNonces.period)
            let stale = try await refresh(browser, server, token: "any", proof: key.proof("POST", Self.tokenURL,
                                                                                          iat: server.clock.now(), nonce: nonce))
            #expect(try json(stale)["error"] as? String == "use_dpop_nonce")
            #expect(stale.headers[.dpopNonce] != nil && stale.headers[.dpopNonce] != nonce)
        }
    }

    @Test("dpop_jkt binds the code: only a proof by that key exchanges it")
    func codeBinding() async throws {
        let key = DPoPSigner(), other = DPoPSigner()
        try await withServer { server, browser, nonce in
            let now = server.clock.now()
            let bound = try await code(server, browser, extra: [("dpop_jkt", key.thumbprint)])
            let wrong = try await exchange(browser, server, code: bound, proof: other.proof("POST", Self.tokenURL, iat: now, nonce: nonce))
            #expect(wrong.status == .badRequest && field(wrong, "error") == "invalid_grant")
            let unproven = try await exchange(browser, server, code: try await code(server, browser, extra: [("dpop_jkt", key.thumbprint)]),
                                              proof: nil)
            #expect(unproven.status == .badRequest && field(unproven, "error") == "invalid_grant")
            let right = try await exchange(browser, server, code: try await code(server, browser, extra: [("dpop_jkt", key.thumbprint)]),
                                           proof: key.proof("POST", Self.tokenURL, iat: now, nonce: nonce))
            #expect(right.status == .ok && field(right, "token_type") == "DPoP")
            let malformed = try await browser.get(server.authorizeURI(extra: [("dpop_jkt", "not-a-thumbprint")]))
            #expect(queryItems(try #require(malformed.headers[.location]))["error"] == "invalid_request")
        }
    }

    @Test("a proof at /par binds the code to its key, as dpop_jkt does; a dpop_jkt naming another key is refused")
    func pushedRequest() async throws {
        let key = DPoPSigner(), other = DPoPSigner()
        try await withServer { server, browser, nonce in
            let now = server.clock.now()
            let parURL = TestServer.issuer + "/par"
            let pushed = [("client_id", server.publicClient.id), ("response_type", "code"),
                          ("redirect_uri", server.publicClient.redirectURIs[0]), ("scope", "openid offline_access"),
                          ("code_challenge", TestServer.challenge), ("code_challenge_method", "S256")]
            let mismatch = try await browser.post("/par", form: pushed + [("dpop_jkt", other.thumbprint)],
                                                  headers: [.dpop: key.proof("POST", parURL, iat: now, nonce: nonce)])
            #expect(mismatch.status == .badRequest && field(mismatch, "error") == "invalid_dpop_proof")
            let answer = try await browser.post("/par", form: pushed, headers: [.dpop: key.proof("POST", parURL, iat: now, nonce: nonce)])
            #expect(answer.status == .created)
            let requestURI = try #require(field(answer, "request_uri"))
            let redirect = try await Browser(browser.client).signIn(
                server, authorize: "/authorize?" + URLQuery.encode([("client_id", server.publicClient.id), ("request_uri", requestURI)]),
                email: "pushed@example.com")
            let code = try #require(queryItems(redirect)["code"])
            let wrong = try await exchange(browser, server, code: code, proof: other.proof("POST", Self.tokenURL, iat: now, nonce: nonce))
            #expect(wrong.status == .badRequest && field(wrong, "error") == "invalid_grant")
        }
    }

    @Test("a client whose tokens are DPoP-bound must send a proof; a confidential client's refresh tokens stay unbound")
    func clientRules() async throws {
        let server = try await TestServer.make()
        let key = DPoPSigner()
        var strict = server.publicClient
        strict.settings.dpopBoundAccessTokens = true
        try await server.store.saveClient(strict)
        try await server.test { client in
            let browser = Browser(client)
            let refused = try await exchange(browser, server, code: try await code(server, browser), proof: nil)
            #expect(refused.status == .badRequest && field(refused, "error") == "invalid_dpop_proof")
            #expect(refused.headers[.dpopNonce] != nil, "the refusal hands out the nonce for the first proof")

            let nonce = try #require(refused.headers[.dpopNonce])
            let backend = server.confidentialClient
            let issued = try await exchange(browser, server, code: try await code(server, browser, client: backend),
                                            proof: key.proof("POST", Self.tokenURL, iat: server.clock.now(), nonce: nonce),
                                            client: backend)
            let body = try json(issued)
            #expect(body["token_type"] as? String == "DPoP")
            let introspected = try json(try await browser.post("/introspect", form: [
                ("token", try #require(body["access_token"] as? String)), ("client_id", backend.id),
                ("client_secret", server.confidentialSecret)]))
            #expect(introspected["token_type"] as? String == "DPoP")
            #expect((introspected["cnf"] as? [String: String])?["jkt"] == key.thumbprint)
            if let refreshToken = body["refresh_token"] as? String {
                let plain = try await refresh(browser, server, token: refreshToken, proof: nil, client: backend)
                #expect(plain.status == .ok && field(plain, "token_type") == "Bearer")
            }
        }
    }

    @Test("discovery lists the proof algorithms")
    func discovery() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let metadata = try json(try await client.execute(uri: "/.well-known/openid-configuration", method: .get))
            #expect(metadata["dpop_signing_alg_values_supported"] as? [String] == ["ES256", "EdDSA", "RS256", "PS256"])
        }
    }
}
