import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
@testable import LogintooApp
import LogintooCore
import LogintooHTTP
import LogintooMail
import LogintooStore
import LogintooTestSupport
import LogintooTraces
import NIOCore
import Testing

/// The whole HTTP application on an in-memory store, with a manual clock, seeded randomness and a capturing mailer.
struct TestServer {
    static let issuer = "https://login.example.com"
    let clock = ManualClock(1_800_000_000)
    let random = SeededRandom(seed: 7)
    let store: SQLStore
    let context: ServerContext
    let mailer = CapturingMailer()
    let worker: OutboxWorker
    let publicClient: Client
    let confidentialClient: Client
    let confidentialSecret: String
    let secret = try! ServerSecret(bytes: Array(repeating: 9, count: 32))

    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"

    /// The public test client is registered for this API (RFC 8707 resource).
    static let api = "https://api.example.com"

    /// `traces`: the tracer of the requests, core operations, store calls and deliveries (off by default).
    static func make(algorithm: SigningAlgorithm = .es256, demo: Bool = false, traces: Traces = .off) async throws -> TestServer {
        return try await TestServer(store: SQLStore(engine: try await TestDatabase.engine(), traces: traces), algorithm: algorithm,
                                    demo: demo)
    }

    init(store: SQLStore, algorithm: SigningAlgorithm, demo: Bool = false) async throws {
        self.store = store
        let (clock, random, secret) = (self.clock, self.random, self.secret)
        let keys = try await KeyRingSource {
            try await KeyRing.load(store: store, algorithm: algorithm, secret: secret, clock: clock, random: random)
        }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var context = ServerAssembly.context(
            policy: Policy(issuer: Self.issuer), store: store, secret: secret, keys: keys, clock: clock, random: random,
            composer: try TemplatedSignInEmailComposer(serverName: "login.example.com"), demoClientId: demo ? "logintoo-demo" : nil,
            logger: logger)
        context.traces = store.traces
        self.context = context
        let metrics = context.metrics
        worker = OutboxWorker(store: store, mailer: mailer, secret: secret, clock: clock, random: random, logger: logger,
                              onAttempt: { metrics.email($0) }, traces: store.traces)
        let registry = ClientRegistry(store: store, clock: clock, random: random)
        publicClient = try await registry.register(
            name: "Static Site", redirectURIs: ["https://site.example.com/callback"],
            postLogoutRedirectURIs: ["https://site.example.com/bye"], confidential: false,
            settings: ClientSettings(resources: [Self.api, Self.issuer + "/demo/api"])).client
        let confidential = try await registry.register(name: "Backend", redirectURIs: ["https://api.example.com/cb"], confidential: true)
        confidentialClient = confidential.client
        confidentialSecret = confidential.secret!
    }

    /// Runs `body` against the router; with `live`, over connections to 127.0.0.1 set up as `logintoo serve` sets them up,
    /// which answer discovery and the JWKS themselves.
    func test(live: Bool = false, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        guard live else { return try await Application(router: try buildRouter(server: context)).test(.router, body) }
        let answers = try StaticAnswers(server: context)
        let app = Application(router: try buildRouter(server: context, staticAnswers: answers), server: .http1OnEventLoops(staticAnswers: answers),
                              configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live, body)
    }

    /// Delivers queued email and returns the link containing `path` in the newest message to `email`, as a path.
    func emailedLink(_ path: String, to email: String = "alice@example.com") async throws -> String {
        try await worker.deliverDue()
        let message = try #require(await mailer.messages.last { $0.to == email })
        let url = try #require(message.text.split(whereSeparator: { $0 == "\n" || $0 == " " }).first { $0.contains(path) })
        return String(url.dropFirst(Self.issuer.count))
    }

    /// Delivers queued email and returns the code of the newest message to `email`.
    func deliveredCode(to email: String = "alice@example.com") async throws -> String? {
        try await worker.deliverDue()
        return await mailer.messages.last { $0.to == email }.flatMap { message in
            message.text.split(separator: "\n").map { $0.filter { $0 != " " } }.first { $0.count == 8 && $0.allSatisfy(\.isNumber) }
        }
    }

    func authorizeURI(client: Client? = nil, extra: [(String, String)] = [], without: Set<String> = []) -> String {
        let client = client ?? publicClient
        let base = [("response_type", "code"), ("client_id", client.id), ("redirect_uri", client.redirectURIs[0]),
                    ("scope", "openid email offline_access"), ("state", "st-1"), ("nonce", "no-1"),
                    ("code_challenge", Self.challenge), ("code_challenge_method", "S256")]
        return "/authorize?" + URLQuery.encode(base.filter { !without.contains($0.0) } + extra)
    }
}

/// Collects sent emails.
actor CapturingMailer: Mailer {
    var messages: [EmailMessage] = []
    func send(_ message: EmailMessage, id: String) async throws { messages.append(message) }
}

/// A browser: keeps cookies between requests, and reads forms from pages.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]

    init(_ client: any TestClientProtocol) { self.client = client }

    @discardableResult
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await send(uri, method: .get, headers: headers, body: nil)
    }

    @discardableResult
    func post(_ uri: String, form: [(String, String)], headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        headers[.contentType] = "application/x-www-form-urlencoded"
        return try await send(uri, method: .post, headers: headers, body: ByteBuffer(string: URLQuery.encode(form)))
    }

    func send(_ uri: String, method: HTTPRequest.Method, headers: HTTPFields, body: ByteBuffer?) async throws -> TestResponse {
        var headers = headers
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 {
                if header.contains("Max-Age=0") { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] }
            }
        }
        return response
    }

    func setCookie(_ name: String, _ value: String?) { cookies[name] = value }

    /// Opens the login page of a new authorization request; returns the form's transaction id and CSRF token.
    func beginLogin(_ server: TestServer, authorize: String? = nil) async throws -> (tx: String, csrf: String) {
        let start = try await get(authorize ?? server.authorizeURI())
        #expect(start.status == .seeOther)
        let emailPage = try await get(try #require(start.headers[.location]))
        return (try Page(emailPage).hidden("tx"), try Page(emailPage).hidden("csrf"))
    }

    /// Opens the login page and asks for a code for `email`; returns the form's transaction id and CSRF token.
    func askForCode(_ server: TestServer, email: String = "alice@example.com") async throws -> (tx: String, csrf: String) {
        let (tx, csrf) = try await beginLogin(server)
        _ = try await post("/login/email", form: [("tx", tx), ("csrf", csrf), ("email", email)])
        return (tx, csrf)
    }

    /// Signs in through the hosted pages; returns the final redirect to the client.
    func signIn(_ server: TestServer, authorize: String? = nil, email: String = "alice@example.com") async throws -> String {
        let (tx, csrf) = try await beginLogin(server, authorize: authorize)
        let sent = try await post("/login/email", form: [("tx", tx), ("csrf", csrf), ("email", email)])
        #expect(sent.status == .seeOther)
        let code = try #require(try await server.deliveredCode(to: email))
        let done = try await post("/login/code", form: [("tx", tx), ("csrf", csrf), ("code", code)])
        #expect(done.status == .seeOther)
        return try #require(done.headers[.location])
    }
}

/// A page's HTML, with helpers to read form fields.
struct Page {
    let html: String

    init(_ response: TestResponse) { html = String(buffer: response.body) }

    func hidden(_ name: String) throws -> String {
        let marker = "name=\"\(name)\" value=\""
        let start = try #require(html.range(of: marker)).upperBound
        let end = try #require(html[start...].firstIndex(of: "\""))
        return String(html[start..<end])
    }
}

/// The query parameters of a redirect target.
func queryItems(_ uri: String) -> [String: String] {
    guard let query = uri.split(separator: "?", maxSplits: 1).dropFirst().first, let pairs = URLQuery.decode(query) else { return [:] }
    return Dictionary(pairs, uniquingKeysWith: { first, _ in first })
}

func json(_ response: TestResponse) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
}
