import HTTPTypes
import InMemoryTracing
import LogintooApp
import Logging
import LogintooCore
import LogintooMail
import LogintooTraces
import Synchronization
import Testing
import Tracing

@Suite("Traces of a sign-in over HTTP")
struct TraceTests {
    /// What every finished span's attributes say, as text.
    static func attributeTexts(_ spans: [FinishedInMemorySpan]) -> [String] {
        var texts: [String] = []
        for span in spans { span.attributes.forEach { key, value in texts.append("\(key)=\(value)") } }
        return texts
    }

    /// A test server whose requests, store and outbox trace into a tracer of the test's own.
    static func traced() async throws -> (InMemoryTracer, TestServer) {
        let tracer = InMemoryTracer()
        return (tracer, try await TestServer.make(traces: Traces(tracer: tracer)))
    }

    @Test("a request carrying a trace context continues it: a server span with its trace id, the core operation and the store as children")
    func continuesTheCallersTrace() async throws {
        let (tracer, server) = try await Self.traced()
        try await server.test { client in
            let browser = Browser(client)
            let (tx, csrf) = try await browser.beginLogin(server)
            let caller: HTTPFields = [HTTPField.Name(InMemoryTracer.traceIDKey)!: "trace-from-the-caller",
                                      HTTPField.Name(InMemoryTracer.spanIDKey)!: "span-of-the-caller"]
            tracer.popFinishedSpans()
            _ = try await browser.post("/login/email", form: [("tx", tx), ("csrf", csrf), ("email", "alice@example.com")],
                                       headers: caller)
        }
        let spans = tracer.popFinishedSpans()
        let request = try #require(spans.first { $0.kind == .server })
        #expect(request.operationName == "POST /login/email")
        #expect(request.traceID == "trace-from-the-caller" && request.parentSpanID == "span-of-the-caller")
        #expect(request.attributes["http.route"]?.toSpanAttribute() == "/login/email")
        let operation = try #require(spans.first { $0.operationName == "sign-in.send-code" })
        #expect(operation.traceID == request.traceID && operation.parentSpanID == request.spanID)
        let store = spans.filter { $0.operationName.hasPrefix("store.") }
        #expect(store.contains { $0.parentSpanID == operation.spanID }, "the code's transaction is a child of the operation")
        #expect(spans.allSatisfy { $0.traceID == "trace-from-the-caller" })
    }

    @Test("one sign-in is one trace through the outbox; no attribute carries the address, the code or a token")
    func signInTraceHasNoSecrets() async throws {
        let (tracer, server) = try await Self.traced()
        try await server.test { client in
            let browser = Browser(client)
            // `login_hint` puts the address in the query of `/authorize`, which no span may record.
            let redirect = try await browser.signIn(server, authorize: server.authorizeURI(extra: [("login_hint", "alice@example.com")]),
                                                    email: "alice@example.com")
            let code = try #require(queryItems(redirect)["code"])
            let tokens = try await browser.post("/token", form: [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", "https://site.example.com/callback"),
                ("client_id", server.publicClient.id), ("code_verifier", TestServer.verifier),
            ])
            let body = try json(tokens)
            let refresh = try #require(body["refresh_token"] as? String)
            _ = try await browser.post("/token", form: [
                ("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", server.publicClient.id),
            ])
            let spans = tracer.finishedSpans
            let names = Set(spans.map(\.operationName))
            #expect(names.isSuperset(of: ["sign-in.send-code", "sign-in.verify-code", "token.authorization_code",
                                          "token.refresh_token", "outbox.deliver"]))
            let send = try #require(spans.first { $0.operationName == "sign-in.send-code" })
            let delivery = try #require(spans.first { $0.operationName == "outbox.deliver" })
            #expect(delivery.traceID == send.traceID && delivery.parentSpanID == send.spanID,
                    "the email's delivery continues the trace of the request that queued it")
            let emailed = try #require(await server.mailer.messages.last).text
            let signInCode = try #require(emailed.split(separator: "\n").map { $0.filter { $0 != " " } }
                .first { $0.count == 8 && $0.allSatisfy(\.isNumber) })
            let linkTokens = emailed.split(whereSeparator: { $0 == "\n" || $0 == " " })
                .filter { $0.hasPrefix(TestServer.issuer) && $0.contains("?") }.flatMap { queryItems(String($0)).values.filter { $0.count >= 16 } }
            #expect(!linkTokens.isEmpty, "the email's links (magic link, \"this wasn't me\") carry tokens to look for")
            let secrets = ["alice@example.com", signInCode, code, refresh, try #require(body["access_token"] as? String),
                           try #require(body["id_token"] as? String)] + linkTokens
            let texts = Self.attributeTexts(spans) + spans.map(\.operationName)
            for secret in secrets + secrets.map(URLQuery.escape) {
                #expect(!texts.contains { $0.localizedCaseInsensitiveContains(secret) }, "no span names or carries \(secret.prefix(12))…")
            }
        }
    }

    @Test("a sign-in's webhook is delivered in the sign-in's trace, signed, its span naming neither address nor body")
    func webhookDeliveryContinuesTheTrace() async throws {
        let (tracer, server) = try await Self.traced()
        let (endpoint, secret) = try await WebhookAdministration(store: server.store, secret: server.secret, clock: server.clock,
                                                                 random: server.random, events: server.context.events)
            .add(url: "https://hooks.example/in", events: ["sign_in.succeeded"], actor: "cli")
        let posted = Mutex<[DeliveryComposer.Request]>([])
        let worker = DeliveryWorker(
            store: server.store,
            composer: DeliveryComposer(logoutTokens: LogoutTokenMinter(keys: server.context.keys, issuer: TestServer.issuer,
                                                                       random: server.random),
                                       webhookKeys: WebhookSigningKeys(store: server.store, secret: server.secret)),
            clock: server.clock, random: server.random, logger: Logger(label: "test"),
            post: { url, request in
                #expect(url == endpoint.url)
                posted.withLock { $0.append(request) }
            }, traces: Traces(tracer: tracer))
        try await server.test { client in
            _ = try await Browser(client).signIn(server, authorize: server.authorizeURI(), email: "alice@example.com")
        }
        #expect(try await worker.deliverDue() == 1)
        let request = try #require(posted.withLock { $0.first })
        let id = try #require(request.headers["webhook-id"])
        #expect(request.headers["webhook-signature"] == WebhookSignature.sign(
            id: id, timestamp: server.clock.now(), body: request.body, key: secret.bytes))
        #expect(request.body.contains(#""type":"sign_in.succeeded""#))
        let spans = tracer.finishedSpans
        let verify = try #require(spans.first { $0.operationName == "sign-in.verify-code" })
        let delivery = try #require(spans.first { $0.operationName == "delivery.post" })
        #expect(delivery.traceID == verify.traceID, "the delivery continues the trace of the sign-in that queued it")
        #expect(delivery.attributes["logintoo.delivery.kind"]?.toSpanAttribute() == "webhook")
        let texts = Self.attributeTexts([delivery])
        #expect(!texts.contains { $0.contains("alice@example.com") || $0.contains("hooks.example") })
    }

    @Test("LOGINTOO_OTLP_ENDPOINT takes a collector's http(s) base URL; a binary built without trace export refuses to serve with one")
    func endpointSetting() throws {
        let load = { (value: String) throws(ConfigurationError) in
            try Configuration.load(flags: [:], environment: ["LOGINTOO_OTLP_ENDPOINT": value], configFile: nil)
        }
        let configured = try load("http://collector:4318/")
        #expect(configured.otlpEndpoint == "http://collector:4318", "kept without the trailing slash, for /v1/traces")
        #expect(try load("").otlpEndpoint == nil)
        for refused in ["collector:4318", "ftp://collector", "http://collector:4318/?x=1", "https://"] {
            #expect(throws: ConfigurationError.self, "\(refused)") { try load(refused) }
        }
        if TraceExport.isBuiltIn {
            try configured.checkServable()
        } else {
            do {
                try configured.checkServable()
                Issue.record("a binary without trace export served with LOGINTOO_OTLP_ENDPOINT")
            } catch {
                #expect(error.description.hasPrefix("LOGINTOO_OTLP_ENDPOINT (--otlp-endpoint):"))
            }
        }
    }

    @Test("the static answers, and every request of a server without a tracer, make no span")
    func untraced() async throws {
        let (tracer, traced) = try await Self.traced()
        try await traced.test { client in
            _ = try await client.execute(uri: "/.well-known/openid-configuration", method: .get)
            _ = try await client.execute(uri: "/.well-known/jwks.json", method: .get)
        }
        #expect(tracer.finishedSpans.isEmpty)
        let plain = try await TestServer.make()
        #expect(!plain.context.traces.isOn && !plain.store.traces.isOn)
    }
}
