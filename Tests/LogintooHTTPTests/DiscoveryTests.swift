import Foundation
import HummingbirdTesting
import JWTKit
import Logging
import LogintooApp
import LogintooCore
import Testing

@Suite("Discovery and keys")
struct DiscoveryTests {
    @Test("metadata names every endpoint and capability truthfully, at both well-known addresses")
    func metadata() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let oidc = try await client.execute(uri: "/.well-known/openid-configuration", method: .get)
            let oauth = try await client.execute(uri: "/.well-known/oauth-authorization-server", method: .get)
            #expect(oidc.body == oauth.body)
            #expect(oidc.headers[.accessControlAllowOrigin] == "*")
            let document = try json(oidc)
            #expect(document["issuer"] as? String == TestServer.issuer)
            #expect(document["token_endpoint"] as? String == TestServer.issuer + "/token")
            #expect(document["code_challenge_methods_supported"] as? [String] == ["S256"])
            #expect(document["response_types_supported"] as? [String] == ["code"])
            #expect(document["grant_types_supported"] as? [String] == ["authorization_code", "refresh_token", "client_credentials"])
            #expect(document["authorization_response_iss_parameter_supported"] as? Bool == true)
            #expect(document["request_uri_parameter_supported"] as? Bool == false)
            #expect(document["request_parameter_supported"] as? Bool == false)
            #expect(document["id_token_signing_alg_values_supported"] as? [String] == ["ES256"])
            #expect(document["ui_locales_supported"] as? [String] == Translations.languages && Translations.languages.count == 12,
                    "every built-in language of the pages and emails")
        }
    }

    @Test("tokens from a full sign-in verify against the published JWKS with an independent JOSE library",
          arguments: [SigningAlgorithm.rs256, .es256, .edDSA])
    func tokensVerifyAgainstJWKS(algorithm: SigningAlgorithm) async throws {
        let server = try await TestServer.make(algorithm: algorithm)
        try await server.test { client in
            let jwks = String(buffer: try await client.execute(uri: "/.well-known/jwks.json", method: .get).body)
            #expect(!jwks.contains("\"d\""))
            let keys = try await JWTKeyCollection().add(jwksJSON: jwks)
            let browser = Browser(client)
            let redirect = try await browser.signIn(server)
            let code = try #require(queryItems(redirect)["code"])
            let response = try await browser.post("/token", form: [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", server.publicClient.redirectURIs[0]),
                ("client_id", server.publicClient.id), ("code_verifier", TestServer.verifier),
            ])
            let body = try json(response)
            let access = try await keys.verify(try #require(body["access_token"] as? String), as: AccessClaims.self)
            #expect(access.iss.value == TestServer.issuer)
            #expect(access.client_id == server.publicClient.id)
            let id = try await keys.verify(try #require(body["id_token"] as? String), as: IDClaims.self)
            #expect(id.nonce == "no-1")
            #expect(id.aud.value == [server.publicClient.id])
        }
    }
}

struct AccessClaims: JWTPayload {
    var iss: IssuerClaim
    var sub: SubjectClaim
    var exp: ExpirationClaim
    var client_id: String
    var scope: String
    var jti: String
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

struct IDClaims: JWTPayload {
    var iss: IssuerClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var nonce: String?
    var at_hash: String
    func verify(using algorithm: some JWTAlgorithm) async throws {}
}

@Suite("Key rotation over HTTP")
struct KeyRotationHTTPTests {
    @Test("a rotated key appears in both JWKS documents before it signs, then signs; old tokens keep working")
    func rotation() async throws {
        let server = try await TestServer.make()
        let old = server.context.ring.signingKey.kid
        try await server.test { client in
            let browser = Browser(client)
            let redirect = try await browser.signIn(server)
            let first = try await browser.post("/token", form: [
                ("grant_type", "authorization_code"), ("code", try #require(queryItems(redirect)["code"])),
                ("redirect_uri", server.publicClient.redirectURIs[0]), ("client_id", server.publicClient.id),
                ("code_verifier", TestServer.verifier)])
            let token = try #require(try json(first)["access_token"] as? String)

            let next = try await KeyLifecycle.rotate(store: server.store, algorithm: .es256,
                                                     secret: try ServerSecret(bytes: Array(repeating: 9, count: 32)),
                                                     clock: server.clock, random: server.random, delay: 300)
            try await server.context.keys.reload()
            for path in ["/.well-known/jwks.json", "/2026-06/jwks"] {
                let kids = try #require(try json(try await client.execute(uri: path, method: .get))["keys"] as? [[String: Any]])
                    .compactMap { $0["kid"] as? String }
                #expect(Set(kids) == [old, next.kid])
            }
            #expect(server.context.ring.signingKey.kid == old)
            server.clock.advance(by: 300)
            try await server.context.keys.reload()
            #expect(server.context.ring.signingKey.kid == next.kid)
            let info = try await client.execute(uri: "/userinfo", method: .get, headers: [.authorization: "Bearer \(token)"])
            #expect(info.status == .ok, "a token signed by the retiring key still verifies")
        }
    }

    @Test("the reloader publishes a scheduled key in the JWKS, and it signs after the lead time")
    func scheduledRotation() async throws {
        let server = try await TestServer.make()
        let old = server.context.ring.signingKey.kid
        let (store, clock, random) = (server.store, server.clock, server.random)
        let schedule = KeyRotationSchedule(days: 7)
        let reloader = KeyRingReloader(keys: server.context.keys, events: server.context.events, logger: Logger(label: "test")) {
            try await schedule.rotateIfDue(store: store, algorithm: .es256, secret: try ServerSecret(bytes: Array(repeating: 9, count: 32)),
                                           clock: clock, random: random)
        }
        try await server.test { client in
            func publishedKids() async throws -> Set<String> {
                Set(try #require(try json(try await client.execute(uri: "/.well-known/jwks.json", method: .get))["keys"] as? [[String: Any]])
                    .compactMap { $0["kid"] as? String })
            }
            await reloader.tick()
            #expect(try await publishedKids() == [old])
            server.clock.advance(by: schedule.period - KeyLifecycle.defaultActivationDelay)
            await reloader.tick()
            let kids = try await publishedKids()
            #expect(kids.count == 2 && kids.contains(old))
            #expect(server.context.ring.signingKey.kid == old, "published before it signs")
            server.clock.advance(by: KeyLifecycle.defaultActivationDelay)
            await reloader.tick()
            #expect(server.context.ring.signingKey.kid != old && kids.contains(server.context.ring.signingKey.kid))
        }
    }
}
