import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LogintooCore
import LogintooVerifier
import Synchronization
import Testing

/// A JWKS source whose document and availability the test controls, counting fetches.
final class ScriptedJWKSSource: JWKSSource {
    private struct State {
        var keys: [SigningKey]
        var reachable = true
        var fetches = 0
        var maxAge: Int?
    }
    private let state: Mutex<State>

    init(_ keys: [SigningKey], maxAge: Int? = 300) { state = Mutex(State(keys: keys, maxAge: maxAge)) }

    var fetches: Int { state.withLock { $0.fetches } }
    func publish(_ keys: [SigningKey]) { state.withLock { $0.keys = keys } }
    func setReachable(_ reachable: Bool) { state.withLock { $0.reachable = reachable } }

    func fetch() async throws -> (document: Data, maxAge: Int?) {
        let (keys, reachable, maxAge) = state.withLock { state in
            state.fetches += 1
            return (state.keys, state.reachable, state.maxAge)
        }
        guard reachable else { throw VerifierError.jwksUnavailable("unreachable") }
        let document = ["keys": try keys.map { try $0.publicJWK() }]
        return (try JSONEncoder().encode(document), maxAge)
    }
}

/// A clock the test moves.
final class TestClock: Sendable {
    private let seconds = Mutex<TimeInterval>(1_800_000_000)
    func now() -> Date { Date(timeIntervalSince1970: seconds.withLock { $0 }) }
    func advance(_ by: TimeInterval) { seconds.withLock { $0 += by } }
}

struct Fixture {
    static let issuer = "https://login.example.com"
    static let audience = "https://api.example.com"
    let key: SigningKey
    let source: ScriptedJWKSSource
    let clock = TestClock()
    let verifier: AccessTokenVerifier

    init(_ algorithm: SigningAlgorithm = .es256) throws {
        key = try SigningKey.generate(algorithm, kid: "key-1")
        source = ScriptedJWKSSource([key])
        let clock = self.clock
        verifier = AccessTokenVerifier(issuer: Self.issuer, audience: Self.audience,
                                       keys: JWKSCache(source: source, now: { clock.now() }), now: { clock.now() })
    }

    var now: Int64 { Int64(clock.now().timeIntervalSince1970) }

    func claims(_ overrides: [String: Any] = [:]) -> [String: Any] {
        var claims: [String: Any] = ["iss": Self.issuer, "sub": "user-1", "aud": Self.audience, "client_id": "site",
                                     "scope": "openid email notes:write", "iat": now, "exp": now + 600, "jti": "j1",
                                     "email": "ann@example.com"]
        for (name, value) in overrides { claims[name] = value }
        return claims
    }

    /// A compact JWS with any header, signed by `key` (or with the given raw signature).
    func token(header: [String: Any]? = nil, claims: [String: Any]? = nil, signer: SigningKey? = nil,
               signature: Data? = nil) throws -> String {
        let signer = signer ?? key
        let header = header ?? ["alg": signer.algorithm.rawValue, "typ": "at+jwt", "kid": signer.kid]
        let encodedHeader = Base64URL.encode(try JSONSerialization.data(withJSONObject: header, options: .sortedKeys))
        let encodedClaims = Base64URL.encode(try JSONSerialization.data(withJSONObject: claims ?? self.claims(), options: .sortedKeys))
        let input = encodedHeader + "." + encodedClaims
        return input + "." + Base64URL.encode(try signature ?? signer.sign(Data(input.utf8)))
    }
}

@Suite("LogintooVerifier: access tokens as RFC 9068 says")
struct AccessTokenVerifierTests {
    @Test("a valid token yields typed claims", arguments: [SigningAlgorithm.rs256, .es256, .edDSA])
    func valid(algorithm: SigningAlgorithm) async throws {
        let fixture = try Fixture(algorithm)
        let token = try await fixture.verifier.verify(try fixture.token())
        #expect(token.subject == "user-1" && token.clientId == "site" && token.email == "ann@example.com")
        #expect(token.scopes == ["openid", "email", "notes:write"] && token.hasScope("notes:write"))
        #expect(token.audience == [Fixture.audience])
        let many = try fixture.token(claims: fixture.claims(["aud": ["https://other.example.com", Fixture.audience]]))
        #expect(try await fixture.verifier.verify(many).audience.count == 2)
    }

    @Test("forged and misdirected tokens are refused, each with its reason")
    func refusals() async throws {
        let fixture = try Fixture()
        let other = try SigningKey.generate(.es256, kid: "key-1")
        let hmacKey = SymmetricKey(data: try JSONEncoder().encode(try fixture.key.publicJWK()))
        func hs256(_ header: [String: Any]) throws -> String {
            let encodedHeader = Base64URL.encode(try JSONSerialization.data(withJSONObject: header))
            let input = encodedHeader + "." + Base64URL.encode(try JSONSerialization.data(withJSONObject: fixture.claims()))
            return input + "." + Base64URL.encode(Data(HMAC<SHA256>.authenticationCode(for: Data(input.utf8), using: hmacKey)))
        }
        let cases: [(String, VerifierError)] = [
            (try fixture.token(header: ["alg": "none", "typ": "at+jwt", "kid": "key-1"], signature: Data()), .algorithmMismatch),
            (try hs256(["alg": "HS256", "typ": "at+jwt", "kid": "key-1"]), .algorithmMismatch),
            (try fixture.token(header: ["alg": "ES256", "typ": "at+jwt", "kid": "../../etc/passwd"]), .unknownKey),
            (try fixture.token(header: ["alg": "ES256", "typ": "at+jwt"]), .unknownKey),
            (try fixture.token(header: ["alg": "ES256", "typ": "at+jwt", "kid": "key-1", "jku": "https://evil.example/jwks"]),
             .forbiddenHeader("jku")),
            (try fixture.token(header: ["alg": "ES256", "typ": "at+jwt", "kid": "key-1", "x5u": "https://evil.example/cert"]),
             .forbiddenHeader("x5u")),
            (try fixture.token(header: ["alg": "ES256", "typ": "at+jwt", "kid": "key-1",
                                        "jwk": ["kty": "EC", "crv": "P-256", "x": "AA", "y": "AA"]]), .forbiddenHeader("jwk")),
            (try fixture.token(header: ["alg": "ES256", "typ": "JWT", "kid": "key-1"]), .wrongType),
            (try fixture.token(header: ["alg": "ES256", "kid": "key-1"]), .wrongType),
            (try fixture.token(signer: other), .badSignature),
            (try fixture.token(claims: fixture.claims(["exp": fixture.now - 61])), .expired),
            (try fixture.token(claims: fixture.claims(["nbf": fixture.now + 120])), .notYetValid),
            (try fixture.token(claims: fixture.claims(["aud": "https://other.example.com"])), .wrongAudience),
            (try fixture.token(claims: fixture.claims(["iss": "https://login.example.com/"])), .wrongIssuer),
            (try fixture.token(claims: fixture.claims(["client_id": NSNull()]).filter { $0.key != "client_id" }), .missingClaim("client_id")),
            ("not.a.jwt.at.all", .malformed),
            ("", .malformed),
        ]
        for (token, reason) in cases {
            await #expect(throws: reason) { _ = try await fixture.verifier.verify(token) }
        }
    }

    @Test("clock skew up to the leeway is tolerated, and no more")
    func skew() async throws {
        let fixture = try Fixture()
        _ = try await fixture.verifier.verify(try fixture.token(claims: fixture.claims(["exp": fixture.now - 59])))
        _ = try await fixture.verifier.verify(try fixture.token(claims: fixture.claims(["nbf": fixture.now + 59])))
    }

    @Test("rotation: a new kid is fetched once; the old key stays accepted until the issuer removes it")
    func rotation() async throws {
        let fixture = try Fixture()
        let next = try SigningKey.generate(.es256, kid: "key-2")
        _ = try await fixture.verifier.verify(try fixture.token())
        #expect(fixture.source.fetches == 1)
        fixture.source.publish([fixture.key, next])
        _ = try await fixture.verifier.verify(try fixture.token(signer: next))
        #expect(fixture.source.fetches == 2)
        _ = try await fixture.verifier.verify(try fixture.token())
        fixture.source.publish([next])
        fixture.clock.advance(301)
        await #expect(throws: VerifierError.unknownKey) { _ = try await fixture.verifier.verify(try fixture.token()) }
    }

    @Test("unknown kids refetch at most once per interval, so forged kids cannot hammer the issuer")
    func unknownKidRateLimit() async throws {
        let fixture = try Fixture()
        _ = try await fixture.verifier.verify(try fixture.token())
        for index in 0..<20 {
            let forged = try fixture.token(header: ["alg": "ES256", "typ": "at+jwt", "kid": "forged-\(index)"])
            await #expect(throws: VerifierError.unknownKey) { _ = try await fixture.verifier.verify(forged) }
        }
        #expect(fixture.source.fetches == 2)
        fixture.clock.advance(61)
        _ = try? await fixture.verifier.verify(try fixture.token(header: ["alg": "ES256", "typ": "at+jwt", "kid": "forged-x"]))
        #expect(fixture.source.fetches == 3)
    }

    @Test("while the issuer is unreachable the cached keys keep verifying")
    func unreachableIssuer() async throws {
        let fixture = try Fixture()
        _ = try await fixture.verifier.verify(try fixture.token())
        fixture.source.setReachable(false)
        fixture.clock.advance(3600)
        let token = try await fixture.verifier.verify(try fixture.token())
        #expect(token.subject == "user-1")
        #expect(fixture.source.fetches == 2)
    }

    @Test("Cache-Control decides how long keys are kept", arguments: [
        ("public, max-age=600", 600), ("no-store", 0), ("max-age=\"60\"", 60), ("private", nil),
    ] as [(String, Int?)])
    func cacheControl(value: String, expected: Int?) {
        #expect(HTTPJWKSSource.maxAge(value) == expected)
    }
}

@Suite("LogintooVerifier over real HTTP")
struct DiscoveryTests {
    /// An issuer on loopback: discovery names the issuer after the `Host` it was asked at, and the JWKS says how long to cache.
    final class Counter: Sendable {
        private let count = Mutex(0)
        func increment() { count.withLock { $0 += 1 } }
        var value: Int { count.withLock { $0 } }
    }

    static func issuerRouter(key: SigningKey, fetches: Counter) throws -> Router<BasicRequestContext> {
        let jwks = try JSONEncoder().encode(["keys": [try key.publicJWK()]])
        let router = Router()
        router.get("/.well-known/openid-configuration") { request, _ in
            let issuer = "http://" + (request.head.authority ?? "")
            let body = #"{"issuer":"\#(issuer)","jwks_uri":"\#(issuer)/jwks"}"#
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("/jwks") { _, _ in
            fetches.increment()
            return Response(status: .ok, headers: [.contentType: "application/json", .cacheControl: "public, max-age=600"],
                            body: .init(byteBuffer: ByteBuffer(bytes: jwks)))
        }
        return router
    }

    @Test("discovery from the issuer URL alone, the JWKS fetched over HTTP and cached")
    func discover() async throws {
        let key = try SigningKey.generate(.rs256, kid: "live-1")
        let fetches = Counter()
        let app = Application(router: try Self.issuerRouter(key: key, fetches: fetches),
                              configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let issuer = "http://127.0.0.1:\(try #require(client.port))"
            let verifier = try await AccessTokenVerifier.discover(issuer: issuer, audience: Fixture.audience)
            let now = Int64(Date().timeIntervalSince1970)
            let claims: [String: Any] = ["iss": issuer, "sub": "u", "aud": Fixture.audience, "client_id": "c", "scope": "email",
                                         "iat": now, "exp": now + 300]
            let header = Base64URL.encode(try JSONSerialization.data(withJSONObject: ["alg": "RS256", "typ": "at+jwt", "kid": "live-1"]))
            let input = header + "." + Base64URL.encode(try JSONSerialization.data(withJSONObject: claims))
            let token = input + "." + Base64URL.encode(try key.sign(Data(input.utf8)))
            for _ in 0..<3 { #expect(try await verifier.verify(token).subject == "u") }
            #expect(fetches.value == 1)
            await #expect(throws: VerifierError.self) {
                _ = try await AccessTokenVerifier.discover(issuer: issuer + "/", audience: Fixture.audience)
            }
        }
    }
}
