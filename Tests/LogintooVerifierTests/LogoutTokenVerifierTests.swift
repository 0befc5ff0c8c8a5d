import Foundation
import LogintooCore
import LogintooVerifier
import Testing

@Suite("LogintooVerifier: logout tokens as Back-Channel Logout 1.0 says")
struct LogoutTokenVerifierTests {
    static let event = "http://schemas.openid.net/event/backchannel-logout"

    struct Setup {
        let fixture: Fixture
        let verifier: LogoutTokenVerifier

        init(_ algorithm: SigningAlgorithm = .es256) throws {
            fixture = try Fixture(algorithm)
            let clock = fixture.clock
            verifier = LogoutTokenVerifier(issuer: Fixture.issuer, clientId: "site",
                                           keys: JWKSCache(source: fixture.source, now: { clock.now() }), now: { clock.now() })
        }

        func claims(_ overrides: [String: Any] = [:], removing: [String] = []) -> [String: Any] {
            var claims: [String: Any] = ["iss": Fixture.issuer, "aud": "site", "iat": fixture.now, "exp": fixture.now + 120,
                                         "jti": "j1", "sub": "user-1", "sid": "s-1", "events": [LogoutTokenVerifierTests.event: [:]]]
            for (name, value) in overrides { claims[name] = value }
            for name in removing { claims[name] = nil }
            return claims
        }

        func token(typ: String? = "logout+jwt", _ claims: [String: Any]) throws -> String {
            var header: [String: Any] = ["alg": fixture.key.algorithm.rawValue, "kid": fixture.key.kid]
            header["typ"] = typ
            return try fixture.token(header: header, claims: claims)
        }
    }

    @Test("a valid logout token yields its subject, session and jti", arguments: [SigningAlgorithm.rs256, .es256, .edDSA])
    func valid(algorithm: SigningAlgorithm) async throws {
        let setup = try Setup(algorithm)
        let logout = try await setup.verifier.verify(try setup.token(setup.claims()))
        #expect(logout.subject == "user-1" && logout.sessionId == "s-1" && logout.tokenId == "j1")
        #expect(logout.expiresAt.timeIntervalSince1970 == Double(setup.fixture.now + 120))
        let sidOnly = try await setup.verifier.verify(try setup.token(setup.claims(removing: ["sub"])))
        #expect(sidOnly.subject == nil && sidOnly.sessionId == "s-1")
        let subOnly = try await setup.verifier.verify(try setup.token(setup.claims(["aud": ["other", "site"]], removing: ["sid"])))
        #expect(subOnly.subject == "user-1" && subOnly.sessionId == nil)
    }

    @Test("tokens that are not logout tokens, or not for this client, are refused with their reason")
    func refusals() async throws {
        let setup = try Setup()
        let now = setup.fixture.now
        let cases: [(String, VerifierError)] = [
            (try setup.token(typ: "JWT", setup.claims()), .invalidLogoutToken("typ must be logout+jwt")),
            (try setup.token(typ: nil, setup.claims()), .invalidLogoutToken("typ must be logout+jwt")),
            (try setup.token(setup.claims(["nonce": "n"])), .invalidLogoutToken("it carries a nonce")),
            (try setup.token(setup.claims(removing: ["events"])),
             .invalidLogoutToken("events must name \(Self.event) with an object")),
            (try setup.token(setup.claims(["events": ["http://other/event": [:]]])),
             .invalidLogoutToken("events must name \(Self.event) with an object")),
            (try setup.token(setup.claims(["events": [Self.event: "yes"]])),
             .invalidLogoutToken("events must name \(Self.event) with an object")),
            (try setup.token(setup.claims(removing: ["sub", "sid"])), .invalidLogoutToken("it names neither sub nor sid")),
            (try setup.token(setup.claims(removing: ["jti"])), .missingClaim("jti")),
            (try setup.token(setup.claims(removing: ["iat"])), .missingClaim("iat")),
            (try setup.token(setup.claims(removing: ["exp"])), .missingClaim("exp")),
            (try setup.token(setup.claims(["exp": now - 61])), .expired),
            (try setup.token(setup.claims(["iat": now + 120])), .notYetValid),
            (try setup.token(setup.claims(["aud": "another-client"])), .wrongAudience),
            (try setup.token(setup.claims(["iss": "https://evil.example.com"])), .wrongIssuer),
            (try setup.fixture.token(header: ["alg": "ES256", "typ": "logout+jwt", "kid": "key-1"], claims: setup.claims(),
                                     signer: try SigningKey.generate(.es256, kid: "key-1")), .badSignature),
        ]
        for (token, reason) in cases {
            await #expect(throws: reason) { _ = try await setup.verifier.verify(token) }
        }
    }

    @Test("an access token is not taken for a logout token")
    func accessTokenRefused() async throws {
        let setup = try Setup()
        await #expect(throws: VerifierError.invalidLogoutToken("typ must be logout+jwt")) {
            _ = try await setup.verifier.verify(try setup.fixture.token())
        }
    }
}
