import Logging
import LogintooCore
import LogintooStore
import LogintooTestSupport

/// A core wired to an in-memory SQLite store, a manual clock and seeded randomness.
struct CoreFixture {
    let clock = ManualClock(1_800_000_000)
    let random = SeededRandom(seed: 42)
    let store: SQLStore
    let secret: ServerSecret
    var policy = Policy(issuer: "https://login.example.com")
    let composer = CapturingComposer()

    static func make() async throws -> CoreFixture {
        let engine = try await TestDatabase.engine()
        return CoreFixture(store: SQLStore(engine: engine), secret: try ServerSecret(bytes: Array(repeating: 7, count: 32)))
    }

    var signIn: SignInService {
        SignInService(store: store, policy: policy, clock: clock, random: random, secret: secret, composer: composer)
    }

    var authorization: AuthorizationService { AuthorizationService(store: store, policy: policy, clock: clock, random: random) }

    func tokens(algorithm: SigningAlgorithm = .es256, events: any SecurityEventSink = DiscardingEventSink()) async throws
        -> TokenService
    {
        let ring = try await KeyRing.load(store: store, algorithm: algorithm, secret: secret, clock: clock, random: random)
        return TokenService(store: store, policy: policy, clock: clock, random: random, ring: ring, events: events)
    }

    func registerClient(confidential: Bool = false, redirect: String = "https://app.example.com/callback") async throws
        -> ClientRegistry.Registration
    {
        try await ClientRegistry(store: store, clock: clock, random: random)
            .register(name: "Example App", redirectURIs: [redirect], confidential: confidential)
    }

    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

    func request(for client: Client, scope: [String] = ["openid", "email", "offline_access"]) -> AuthorizationRequest {
        AuthorizationRequest(clientId: client.id, redirectUri: client.redirectURIs[0], scope: scope, state: "s", nonce: "n",
                             codeChallenge: Self.challenge)
    }

    /// A saved login for `client`, no code asked for yet.
    func newLogin(client: Client, scope: [String] = ["openid", "email", "offline_access"]) async throws -> LoginTransaction {
        let login = LoginTransaction(id: random.token(bytes: 24), browserHash: "browser", request: request(for: client, scope: scope),
                                     createdAt: clock.now(), expiresAt: clock.now() + 3600)
        try await store.saveLogin(login)
        return login
    }

    func logins(client: Client, count: Int) async throws -> [LoginTransaction] {
        var logins: [LoginTransaction] = []
        for _ in 0..<count { logins.append(try await newLogin(client: client)) }
        return logins
    }

    /// Starts a login for `email` and returns it with the code that was emailed.
    func loginWithCode(client: Client, email: String = "alice@example.com", ip: String = "192.0.2.1",
                       scope: [String] = ["openid", "email", "offline_access"]) async throws -> (LoginTransaction, String)
    {
        let login = try await newLogin(client: client, scope: scope)
        let outcome = try await signIn.sendCode(signIn.open(loginId: login.id, browserHash: "browser"), email: email, clientIP: ip)
        guard outcome == .queued, let code = composer.lastCode else { throw FixtureError.noCode }
        return (login, code)
    }

    /// Signs in and exchanges the code; returns the token response.
    func signInAndExchange(client: Client, tokens: TokenService, scope: [String] = ["openid", "email", "offline_access"]) async throws
        -> TokenResponse
    {
        let (login, code) = try await loginWithCode(client: client, scope: scope)
        guard case .signedIn(let signedIn) = try await signIn.verifyCode(signIn.open(loginId: login.id, browserHash: "browser"), code: code)
        else { throw FixtureError.noCode }
        let redirect = signedIn.redirect
        let authCode = try #require(redirect.components(separatedBy: "code=").last?.components(separatedBy: "&").first)
        return try await tokens.exchangeCode(client: client, code: authCode, redirectUri: login.request.redirectUri,
                                             codeVerifier: Self.verifier).response
    }
}

enum FixtureError: Error { case noCode }

/// Remembers the codes it was asked to put in emails.
final class CapturingComposer: SignInEmailComposer, @unchecked Sendable {
    private let lock = NSLock()
    private var codes: [String] = []

    private var emails: [SignInEmail] = []

    var lastCode: String? { lock.withLock { codes.last } }
    var count: Int { lock.withLock { codes.count } }
    var last: SignInEmail? { lock.withLock { emails.last } }

    func compose(_ email: SignInEmail) -> EmailMessage {
        lock.withLock {
            codes.append(email.code)
            emails.append(email)
        }
        return EmailMessage(to: email.to, subject: "code", text: email.code)
    }
}

import Foundation
import Testing

/// Keeps the security events it is given.
final class CapturingEventSink: SecurityEventSink, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [SecurityEvent] = []

    var events: [SecurityEvent] { lock.withLock { recorded } }

    func record(_ event: SecurityEvent) async { lock.withLock { recorded.append(event) } }
}
