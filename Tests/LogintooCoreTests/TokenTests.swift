import Foundation
import LogintooCore
import LogintooStore
import Testing

@Suite("Tokens and grants")
struct TokenTests {
    func payload(_ jwt: String) throws -> [String: Any] {
        let part = try #require(jwt.split(separator: ".").dropFirst().first)
        let bytes = try #require(Base64URL.decode(part))
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    func header(_ jwt: String) throws -> [String: Any] {
        let part = try #require(jwt.split(separator: ".").first)
        let bytes = try #require(Base64URL.decode(part))
        return try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    @Test("the access token follows RFC 9068 and the ID token OIDC Core", arguments: SigningAlgorithm.allCases)
    func tokenContents(algorithm: SigningAlgorithm) async throws {
        let fixture = try await CoreFixture.make()
        let tokens = try await fixture.tokens(algorithm: algorithm)
        let client = try await fixture.registerClient().client
        let response = try await fixture.signInAndExchange(client: client, tokens: tokens)
        #expect(try header(response.access_token)["typ"] as? String == "at+jwt")
        #expect(try header(response.access_token)["alg"] as? String == algorithm.rawValue)
        let access = try payload(response.access_token)
        for claim in ["iss", "sub", "aud", "client_id", "scope", "iat", "exp", "jti", "email", "email_verified"] {
            #expect(access[claim] != nil, "access token lacks \(claim)")
        }
        #expect(access["exp"] as? Int64 == fixture.clock.now() + 600)
        let idToken = try #require(response.id_token)
        #expect(try header(idToken)["typ"] as? String == "JWT")
        let id = try payload(idToken)
        #expect(id["nonce"] as? String == "n")
        #expect(id["aud"] as? String == client.id)
        #expect(id["amr"] as? [String] == ["otp"])
        #expect(id["at_hash"] as? String == tokens.ring.signingKey.halfHash(of: response.access_token))
        #expect(id["auth_time"] as? Int64 == fixture.clock.now())
        let refresh = try #require(response.refresh_token)
        #expect(Base64URL.decode(refresh)?.count == 32, "256 random bits")
        #expect(try await fixture.store.refreshToken(hash: refresh) == nil, "stored only as a digest")
        #expect(try await tokens.userInfo(accessToken: response.access_token)?.email == "alice@example.com")
        #expect(try await tokens.userInfo(accessToken: idToken) == nil, "an ID token is not an access token")
    }

    @Test("the JWKS publishes only public members")
    func jwksPublicOnly() async throws {
        let fixture = try await CoreFixture.make()
        for algorithm in SigningAlgorithm.allCases {
            let ring = try await KeyRing.load(store: fixture.store, algorithm: algorithm, secret: fixture.secret, clock: fixture.clock,
                                              random: fixture.random)
            let json = String(decoding: try JSONEncoder().encode(try ring.jwks()), as: UTF8.self)
            for member in ["\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"", "\"k\""] { #expect(!json.contains(member)) }
            #expect(json.contains("\"use\":\"sig\""))
        }
        let stored = try await fixture.store.signingKeys()
        #expect(stored.count == 3)
        #expect(stored.allSatisfy { !$0.sealedPrivateKey.contains("PRIVATE KEY") }, "private keys are sealed at rest")
    }

    @Test("keys persist: a restart loads the same signing key")
    func keysPersist() async throws {
        let fixture = try await CoreFixture.make()
        let first = try await fixture.tokens(algorithm: .rs256)
        let second = try await fixture.tokens(algorithm: .rs256)
        #expect(first.ring.signingKey.kid == second.ring.signingKey.kid)
    }

    func issueCode(_ fixture: CoreFixture, client: Client) async throws -> (code: String, request: AuthorizationRequest) {
        let (login, code) = try await fixture.loginWithCode(client: client)
        guard case .signedIn(let signedIn) = try await fixture.signIn.verifyCode(fixture.signIn.open(loginId: login.id, browserHash: "browser"), code: code)
        else { throw FixtureError.noCode }
        let redirect = signedIn.redirect
        let authCode = try #require(redirect.components(separatedBy: "code=").last?.components(separatedBy: "&").first)
        #expect(redirect.hasSuffix("&iss=https%3A%2F%2Flogin.example.com"))
        return (authCode, login.request)
    }

    @Test("a replayed code is refused and revokes what the first exchange issued")
    func codeReplay() async throws {
        let fixture = try await CoreFixture.make()
        let tokens = try await fixture.tokens()
        let client = try await fixture.registerClient().client
        let (code, request) = try await issueCode(fixture, client: client)
        let first = try await tokens.exchangeCode(client: client, code: code, redirectUri: request.redirectUri,
                                                  codeVerifier: CoreFixture.verifier).response
        #expect(try await tokens.userInfo(accessToken: first.access_token) != nil)
        await #expect(throws: OAuthError.invalidGrant("the authorization code was already used; its tokens are revoked")) {
            _ = try await tokens.exchangeCode(client: client, code: code, redirectUri: request.redirectUri,
                                              codeVerifier: CoreFixture.verifier)
        }
        #expect(try await tokens.userInfo(accessToken: first.access_token) == nil)
        #expect(try await tokens.introspect(token: first.access_token, asker: client) == .inactive)
        await #expect(throws: OAuthError.self) {
            _ = try await tokens.refresh(client: client, refreshToken: first.refresh_token, scope: nil)
        }
    }

    @Test("PKCE: a wrong, missing or unexpected verifier is refused", arguments: [
        ("wrong-verifier-wrong-verifier-wrong-verifier-x", "code_verifier does not match the code_challenge"),
        ("", "code_verifier is missing"),
    ])
    func pkce(verifier: String, message: String) async throws {
        let fixture = try await CoreFixture.make()
        let tokens = try await fixture.tokens()
        let client = try await fixture.registerClient().client
        let (code, request) = try await issueCode(fixture, client: client)
        await #expect(throws: OAuthError.invalidGrant(message)) {
            _ = try await tokens.exchangeCode(client: client, code: code, redirectUri: request.redirectUri,
                                              codeVerifier: verifier.isEmpty ? nil : verifier)
        }
    }

    @Test("a verifier without a stored challenge is a downgrade and refused")
    func downgrade() throws {
        #expect(throws: OAuthError.self) { try TokenService.checkPKCE(challenge: nil, verifier: CoreFixture.verifier) }
        try TokenService.checkPKCE(challenge: CoreFixture.challenge, verifier: CoreFixture.verifier)
    }

    @Test("a code is bound to its client and redirect URI, and lives 60 seconds")
    func codeBinding() async throws {
        let fixture = try await CoreFixture.make()
        let tokens = try await fixture.tokens()
        let client = try await fixture.registerClient().client
        let other = try await fixture.registerClient(redirect: "https://other.example.com/cb").client
        var (code, request) = try await issueCode(fixture, client: client)
        await #expect(throws: OAuthError.invalidGrant("the code was issued to another client")) {
            _ = try await tokens.exchangeCode(client: other, code: code, redirectUri: request.redirectUri,
                                              codeVerifier: CoreFixture.verifier)
        }
        fixture.clock.advance(by: 61)
        (code, request) = try await issueCode(fixture, client: client)
        await #expect(throws: OAuthError.invalidGrant("redirect_uri does not match")) {
            _ = try await tokens.exchangeCode(client: client, code: code, redirectUri: "https://app.example.com/other",
                                              codeVerifier: CoreFixture.verifier)
        }
        fixture.clock.advance(by: 61)
        (code, request) = try await issueCode(fixture, client: client)
        fixture.clock.advance(by: 61)
        await #expect(throws: OAuthError.invalidGrant("the authorization code has expired")) {
            _ = try await tokens.exchangeCode(client: client, code: code, redirectUri: request.redirectUri,
                                              codeVerifier: CoreFixture.verifier)
        }
    }

    @Test("refresh rotates; a retired token after the grace window revokes the whole family")
    func rotationAndReuse() async throws {
        let fixture = try await CoreFixture.make()
        let tokens = try await fixture.tokens()
        let client = try await fixture.registerClient().client
        let first = try await fixture.signInAndExchange(client: client, tokens: tokens)
        let second = try await tokens.refresh(client: client, refreshToken: first.refresh_token, scope: nil).response
        #expect(second.refresh_token != first.refresh_token)
        #expect(second.id_token == nil)
        fixture.clock.advance(by: 11)
        await #expect(throws: OAuthError.invalidGrant("the refresh token was already used; the whole grant is revoked")) {
            _ = try await tokens.refresh(client: client, refreshToken: first.refresh_token, scope: nil)
        }
        await #expect(throws: OAuthError.self) {
            _ = try await tokens.refresh(client: client, refreshToken: second.refresh_token, scope: nil)
        }
        #expect(try await tokens.userInfo(accessToken: second.access_token) == nil, "the family's access tokens die too")
    }

    @Test("a refresh runs on statements prepared once, whatever values they are given")
    func preparedOnce() async throws {
        let fixture = try await CoreFixture.make()
        let tokens = try await fixture.tokens()
        let client = try await fixture.registerClient().client
        var refreshToken = try #require(try await fixture.signInAndExchange(client: client, tokens: tokens).refresh_token)
        refreshToken = try #require(try await tokens.refresh(client: client, refreshToken: refreshToken, scope: nil).response.refresh_token)
        let sqlite = fixture.store.engine as? SQLiteEngine
        let prepared = try await sqlite?.repreparedStatements()
        for _ in 0..<5 {
            refreshToken = try #require(try await tokens.refresh(client: client, refreshToken: refreshToken, scope: nil).response.refresh_token)
        }
        #expect(try await sqlite?.repreparedStatements() == prepared)
    }

    @Test("within 10 seconds the immediate predecessor may be retried, once its successor is unused; every reuse is logged")
    func graceWindow() async throws {
        let fixture = try await CoreFixture.make()
        let sink = CapturingEventSink()
        let tokens = try await fixture.tokens(events: sink)
        let client = try await fixture.registerClient().client
        let first = try await fixture.signInAndExchange(client: client, tokens: tokens)
        let second = try await tokens.refresh(client: client, refreshToken: first.refresh_token, scope: nil).response
        fixture.clock.advance(by: 5)
        let retry = try await tokens.refresh(client: client, refreshToken: first.refresh_token, scope: nil).response
        #expect(try await tokens.userInfo(accessToken: retry.access_token) != nil)
        #expect(second.refresh_token != retry.refresh_token)
        _ = try await tokens.refresh(client: client, refreshToken: retry.refresh_token, scope: nil)
        await #expect(throws: OAuthError.self, "the successor was used, so the predecessor is no longer the immediate one") {
            _ = try await tokens.refresh(client: client, refreshToken: first.refresh_token, scope: nil)
        }
        let kinds = sink.events.map { event -> String in
            switch event {
            case .refreshTokenGraceRetry: "grace"
            case .refreshTokenReused: "reuse"
            default: "other"
            }
        }
        #expect(kinds == ["grace", "reuse"])
    }

    @Test("a refresh cannot widen the scope, and belongs to its client")
    func refreshScopeAndClient() async throws {
        let fixture = try await CoreFixture.make()
        let tokens = try await fixture.tokens()
        let client = try await fixture.registerClient().client
        let other = try await fixture.registerClient(redirect: "https://other.example.com/cb").client
        let first = try await fixture.signInAndExchange(client: client, tokens: tokens, scope: ["openid", "offline_access"])
        await #expect(throws: OAuthError.invalidGrant("the refresh token is invalid")) {
            _ = try await tokens.refresh(client: other, refreshToken: first.refresh_token, scope: nil)
        }
        let narrowed = try await tokens.refresh(client: client, refreshToken: first.refresh_token, scope: "openid").response
        #expect(narrowed.scope == "openid")
        await #expect(throws: OAuthError(.invalidScope, "a refresh cannot add scopes beyond the original grant")) {
            _ = try await tokens.refresh(client: client, refreshToken: narrowed.refresh_token, scope: "openid email")
        }
    }

    @Test("concurrent refreshes with one token: exactly one rotation wins")
    func concurrentRefresh() async throws {
        var fixture = try await CoreFixture.make()
        fixture.policy.refreshGrace = 0
        let tokens = try await fixture.tokens()
        let client = try await fixture.registerClient().client
        let first = try await fixture.signInAndExchange(client: client, tokens: tokens)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask { (try? await tokens.refresh(client: client, refreshToken: first.refresh_token, scope: nil)) != nil }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 1)
    }

    @Test("revoking a refresh token ends its grant; another client's revocation is ignored")
    func revocation() async throws {
        let fixture = try await CoreFixture.make()
        let tokens = try await fixture.tokens()
        let client = try await fixture.registerClient().client
        let other = try await fixture.registerClient(redirect: "https://other.example.com/cb").client
        let first = try await fixture.signInAndExchange(client: client, tokens: tokens)
        let refresh = try #require(first.refresh_token)
        try await tokens.revoke(token: refresh, client: other)
        #expect(try await tokens.introspect(token: refresh, asker: client).active)
        try await tokens.revoke(token: refresh, client: client)
        #expect(try await tokens.introspect(token: refresh, asker: client) == .inactive)
        #expect(try await tokens.userInfo(accessToken: first.access_token) == nil)
    }

    func accessTokenRows(_ fixture: CoreFixture) async throws -> Int {
        try await fixture.store.engine.read { db in
            try await db.raw("SELECT COUNT(*) AS n FROM access_tokens").first(decodingColumn: "n", as: Int.self) ?? -1
        }
    }

    @Test("an access token its client revokes is refused at once; issuing tokens keeps no record of each access token")
    func accessTokenRevocation() async throws {
        let fixture = try await CoreFixture.make()
        let tokens = try await fixture.tokens()
        let client = try await fixture.registerClient().client
        let other = try await fixture.registerClient(redirect: "https://other.example.com/cb").client
        let first = try await fixture.signInAndExchange(client: client, tokens: tokens)
        let second = try await tokens.refresh(client: client, refreshToken: first.refresh_token, scope: nil).response
        #expect(try await accessTokenRows(fixture) == 0)
        try await tokens.revoke(token: first.access_token, client: other)
        #expect(try await tokens.userInfo(accessToken: first.access_token) != nil, "another client's revocation is ignored")
        try await tokens.revoke(token: first.access_token, client: client)
        #expect(try await tokens.userInfo(accessToken: first.access_token) == nil)
        #expect(try await tokens.introspect(token: first.access_token, asker: client) == .inactive)
        #expect(try await tokens.userInfo(accessToken: second.access_token) != nil, "the grant's other access token stays")
        try await tokens.revoke(token: first.access_token, client: client)
        #expect(try await accessTokenRows(fixture) == 1, "one deny-list entry, however often it is revoked")
    }

    @Test("an access token with a plain jti is honoured only while its record names a live grant")
    func plainAccessTokenID() async throws {
        let fixture = try await CoreFixture.make()
        let tokens = try await fixture.tokens()
        let client = try await fixture.registerClient().client
        let issued = try await fixture.signInAndExchange(client: client, tokens: tokens)
        let payload = try #require(issued.access_token.split(separator: ".").dropFirst().first)
        var claims = try JSONDecoder().decode(AccessTokenClaims.self, from: Data(try #require(Base64URL.decode(payload))))
        let grantId = try #require(claims.jti.split(separator: ".").first.map(String.init))
        claims.jti = "plain-identifier"
        let plain = try JWS.sign(claims, type: "at+jwt", with: tokens.ring.signingKey)
        let expiry = claims.exp
        #expect(try await tokens.userInfo(accessToken: plain) == nil, "no record: no grant to check")
        try await fixture.store.engine.run { db in
            try await db.raw("""
                INSERT INTO access_tokens (jti, grant_id, client_id, expires_at)
                VALUES ('plain-identifier', \(bind: grantId), \(bind: client.id), \(bind: expiry))
                """).run()
        }
        #expect(try await tokens.userInfo(accessToken: plain) != nil)
        try await tokens.revoke(token: try #require(issued.refresh_token), client: client)
        #expect(try await tokens.userInfo(accessToken: plain) == nil, "its grant revoked")
    }

    /// A signed-in person's first refresh token, and its grant and account as the store reads them.
    struct SignedIn {
        let fixture: CoreFixture
        let tokens: TokenService
        let client: Client
        let refresh: String
        let grant: Grant
        let account: Account?
    }

    func signIn() async throws -> SignedIn {
        let fixture = try await CoreFixture.make()
        let tokens = try await fixture.tokens()
        let client = try await fixture.registerClient().client
        let refresh = try #require(try await fixture.signInAndExchange(client: client, tokens: tokens).refresh_token)
        let (_, grant, account) = try #require(try await fixture.store.refreshToken(hash: SecretDigest.sha256(refresh)))
        return SignedIn(fixture: fixture, tokens: tokens, client: client, refresh: refresh, grant: grant, account: account)
    }

    @Test("a refresh for a disabled account is refused and rotates nothing")
    func refreshOfDisabledAccount() async throws {
        let signedIn = try await signIn()
        let (fixture, tokens, client, refresh, grant, account) =
            (signedIn.fixture, signedIn.tokens, signedIn.client, signedIn.refresh, signedIn.grant, signedIn.account)
        #expect(account?.email == "alice@example.com")
        #expect(account?.id == grant.accountId)
        func setDisabled(_ at: Int64?) async throws {
            try await fixture.store.engine.run { db in
                try await db.raw("UPDATE accounts SET disabled_at = \(bind: at) WHERE id = \(bind: grant.accountId)").run()
            }
        }
        try await setDisabled(fixture.clock.now())
        await #expect(throws: OAuthError.invalidGrant("the account is disabled")) {
            try await tokens.refresh(client: client, refreshToken: refresh, scope: nil)
        }
        try await setDisabled(nil)
        #expect(try await tokens.refresh(client: client, refreshToken: refresh, scope: nil).response.refresh_token != nil,
                "the refused attempt retired nothing")
    }

    @Test("a refresh counts as activity on the SSO session it came from")
    func refreshKeepsSessionAlive() async throws {
        let signedIn = try await signIn()
        let fixture = signedIn.fixture
        let sessionHash = try #require(signedIn.grant.sessionHash)
        fixture.clock.advance(by: 6 * 86_400)
        _ = try await signedIn.tokens.refresh(client: signedIn.client, refreshToken: signedIn.refresh, scope: nil)
        fixture.clock.advance(by: 2 * 86_400)
        let idle = fixture.policy.sessionIdleLifetime
        #expect(try await fixture.store.liveSession(idHash: sessionHash, idleLifetime: idle, now: fixture.clock.now()) != nil)
        fixture.clock.advance(by: 7 * 86_400)
        #expect(try await fixture.store.liveSession(idHash: sessionHash, idleLifetime: idle, now: fixture.clock.now()) == nil)
    }

    @Test("a session's activity is recorded to the minute: refreshes within a minute of the last write nothing")
    func sessionActivityResolution() async throws {
        let signedInPerson = try await signIn()
        let (fixture, tokens, client) = (signedInPerson.fixture, signedInPerson.tokens, signedInPerson.client)
        var refresh = signedInPerson.refresh
        let sessionHash = try #require(signedInPerson.grant.sessionHash)
        let signedIn = fixture.clock.now()
        func lastSeen() async throws -> Int64? {
            try await fixture.store.engine.read { db in
                try await db.raw("SELECT last_seen_at FROM sessions WHERE id_hash = \(bind: sessionHash)")
                    .first(decodingColumn: "last_seen_at", as: Int64.self)
            }
        }
        for (advance, expected) in [(59, signedIn), (1, signedIn + 60), (30, signedIn + 60), (31, signedIn + 121)] as [(Int64, Int64)] {
            fixture.clock.advance(by: advance)
            refresh = try #require(try await tokens.refresh(client: client, refreshToken: refresh, scope: nil).response.refresh_token)
            #expect(try await lastSeen() == expected)
        }
    }

    @Test("concurrent exchanges of one authorization code: exactly one wins")
    func concurrentCodeExchange() async throws {
        let fixture = try await CoreFixture.make()
        let tokens = try await fixture.tokens()
        let client = try await fixture.registerClient().client
        let (code, request) = try await issueCode(fixture, client: client)
        let wins = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    (try? await tokens.exchangeCode(client: client, code: code, redirectUri: request.redirectUri,
                                                    codeVerifier: CoreFixture.verifier)) != nil
                }
            }
            return await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
        }
        #expect(wins == 1)
    }

    @Test("the verifier ignores nothing dangerous: jku, x5u, jwk, crit, a foreign alg and a wrong typ are refused")
    func hostileHeaders() async throws {
        let fixture = try await CoreFixture.make()
        let tokens = try await fixture.tokens(algorithm: .rs256)
        let key = tokens.ring.signingKey
        func forge(_ header: String) throws -> String { try Self.forge(header: header, signedBy: key) }
        let good = try forge(#"{"alg":"RS256","kid":"\#(key.kid)","typ":"at+jwt"}"#)
        #expect(JWS.verify(good, type: "at+jwt", ring: tokens.ring, as: Issuer.self)?.iss == "https://login.example.com")
        for header in [
            #"{"alg":"RS256","kid":"\#(key.kid)","typ":"at+jwt","jku":"https://evil.example.com/jwks"}"#,
            #"{"alg":"RS256","kid":"\#(key.kid)","typ":"at+jwt","x5u":"https://evil.example.com/cert"}"#,
            #"{"alg":"RS256","kid":"\#(key.kid)","typ":"at+jwt","jwk":{"kty":"oct","kid":"x","alg":"HS256","use":"sig"}}"#,
            #"{"alg":"RS256","kid":"\#(key.kid)","typ":"at+jwt","crit":["exp"]}"#,
            #"{"alg":"HS256","kid":"\#(key.kid)","typ":"at+jwt"}"#,
            #"{"alg":"none","kid":"\#(key.kid)","typ":"at+jwt"}"#,
            #"{"alg":"RS256","kid":"\#(key.kid)","typ":"JWT"}"#,
            #"{"alg":"RS256","kid":"unknown","typ":"at+jwt"}"#,
        ] {
            #expect(JWS.verify(try forge(header), type: "at+jwt", ring: tokens.ring, as: Issuer.self) == nil, "\(header)")
        }
        let tampered = good.dropLast(2) + (good.hasSuffix("AA") ? "BB" : "AA")
        #expect(JWS.verify(String(tampered), type: "at+jwt", ring: tokens.ring, as: Issuer.self) == nil)
    }

    @Test("the server's own header is known by its bytes; any other spelling is decoded and checked; parts are cut at dots")
    func headerSpellings() async throws {
        let fixture = try await CoreFixture.make()
        let tokens = try await fixture.tokens(algorithm: .es256)
        let key = tokens.ring.signingKey
        let verify = { (token: String) in JWS.verify(token, type: "at+jwt", ring: tokens.ring, as: Issuer.self)?.iss }
        let own = try JWS.sign(Issuer(iss: "https://login.example.com"), type: "at+jwt", with: key)
        #expect(verify(own) == "https://login.example.com", "the header the server writes")
        #expect(verify(try Self.forge(header: #"{ "typ": "AT+JWT", "kid": "\#(key.kid)", "alg": "ES256" }"#, signedBy: key))
                == "https://login.example.com",
                "the same header spelt otherwise")
        let idToken = try JWS.sign(Issuer(iss: "https://login.example.com"), type: "JWT", with: key)
        #expect(verify(idToken) == nil, "the server's own header for another type")
        let parts: [String] = own.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let (header, payload, signature) = (parts[0], parts[1], parts[2])
        let broken: [String] = [
            "\(header).\(payload)", "\(own).", "\(own).\(signature)", ".\(own)", "\(header)..\(signature)",
            "\(header).\(payload).\(signature.dropLast())*",
        ]
        for token in broken { #expect(verify(token) == nil, "\(token)") }
        #expect(verify(try Self.forge(header: #"{"alg":"ES256","kid":"\#(key.kid)","typ":"at+jwt"}"#, payload: "not json",
                                      signedBy: key)) == nil)
    }

    @Test("a header known by its bytes names its own key: another key's signature under it, or a stranger with its kid, is refused")
    func headerOfAnotherKey() throws {
        let (rsa, ec, retired) = (try SigningKey.generate(.rs256, kid: "rsa"), try SigningKey.generate(.es256, kid: "ec"),
                                  try SigningKey.generate(.edDSA, kid: "retired"))
        let ring = try KeyRing(signingKey: ec, verificationKeys: [ec, rsa, retired])
        let verify = { (token: String) in JWS.verify(token, type: "at+jwt", ring: ring, as: Issuer.self)?.iss }
        let claims = Issuer(iss: "https://login.example.com")
        for key in [rsa, ec, retired] {
            #expect(verify(try JWS.sign(claims, type: "at+jwt", with: key)) == claims.iss, "signed by \(key.kid)")
        }
        /// The header `key` writes, over the claims, signed by `signer`.
        func token(headerOf key: SigningKey, signedBy signer: SigningKey) throws -> String {
            let parts = try JWS.sign(claims, type: "at+jwt", with: key).split(separator: ".")
            let input = "\(parts[0]).\(parts[1])"
            return input + "." + Base64URL.encode(try signer.sign(Data(input.utf8)))
        }
        for (header, signer) in [(ec, rsa), (rsa, ec), (ec, retired), (retired, ec), (rsa, retired)] {
            #expect(verify(try token(headerOf: header, signedBy: signer)) == nil, "\(header.kid)'s header, \(signer.kid)'s signature")
        }
        let stranger = try SigningKey.generate(.es256, kid: "ec")
        #expect(verify(try JWS.sign(claims, type: "at+jwt", with: stranger)) == nil, "a key outside the ring with a ring key's kid")
    }

    /// The one claim the JWS tests read back.
    struct Issuer: Decodable, JSONObjectWritable {
        var iss: String
        func write(to json: inout JSONObjectWriter) { json.field("iss", iss) }
    }

    /// A token with `header` and `payload` as written, signed by `key`.
    static func forge(header: String, payload: String = #"{"iss":"https://login.example.com"}"#, signedBy key: SigningKey)
        throws -> String {
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        return input + "." + Base64URL.encode(try key.sign(Data(input.utf8)))
    }

    @Test("a refresh family ends at its absolute lifetime, however often it rotates")
    func absoluteLifetime() async throws {
        var fixture = try await CoreFixture.make()
        fixture.policy.refreshAbsoluteLifetime = 3600
        let tokens = try await fixture.tokens()
        let client = try await fixture.registerClient().client
        var current = try await fixture.signInAndExchange(client: client, tokens: tokens).refresh_token
        for _ in 0..<3 {
            fixture.clock.advance(by: 1000)
            current = try await tokens.refresh(client: client, refreshToken: current, scope: nil).response.refresh_token
        }
        fixture.clock.advance(by: 601)
        await #expect(throws: OAuthError.invalidGrant("the refresh token is invalid or expired")) {
            _ = try await tokens.refresh(client: client, refreshToken: current, scope: nil)
        }
    }
}
