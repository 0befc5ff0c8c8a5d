import Hummingbird
import HummingbirdTesting
import Logging
import LogintooCore
@testable import LogintooHTTP
import Synchronization
import Testing

/// `RequestFrameMiddleware` on a router of its own, over a live connection: the answers an endpoint's failures become,
/// and what the log lines, the `X-Request-Id` header and the metrics say about them.
@Suite("The frame around every routed request")
struct RequestFrameTests {
    struct Broken: Error {}

    /// Every line logged, with its metadata and the metadata provider's.
    final class RecordedLog: Sendable {
        let lines = Mutex<[(message: String, metadata: Logger.Metadata)]>([])
    }

    struct RecordingLogHandler: LogHandler {
        let log: RecordedLog
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider? = RequestID.metadataProvider
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(metadataProvider?.get() ?? [:]) { $1 }.merging(event.metadata ?? [:]) { $1 }
            log.lines.withLock { $0.append((event.message.description, all)) }
        }
    }

    @Test("an unexpected failure is a logged 503 page naming the request and its client; client errors pass as they are")
    func failures() async throws {
        let log = RecordedLog()
        let logger = Logger(label: "test") { _ in RecordingLogHandler(log: log) }
        let metrics = ServerMetrics()
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: RequestFrameMiddleware(proxies: .none, random: SystemRandom(),
                                                      errorPages: ErrorPages(pages: try Pages(), logger: logger),
                                                      logo: nil, metrics: metrics))
        router.get("/broken") { _, _ -> Response in throw Broken() }
        router.get("/refused") { _, _ -> Response in throw HTTPError(.badRequest, message: "refused") }
        try await Application(router: router).test(.live) { client in
            let broken = try await client.execute(uri: "/broken", method: .get, headers: [RequestID.header: "req-broken-0001"])
            #expect(broken.status == .serviceUnavailable)
            #expect(broken.headers[.contentType]?.hasPrefix("text/html") == true, "a page for a person")
            #expect(!String(buffer: broken.body).contains("Broken"), "nothing of the failure leaks into the page")
            #expect(broken.headers[RequestID.header] == "req-broken-0001")
            let failed = log.lines.withLock { $0 }.filter { $0.message == "request failed" }
            #expect(failed.count == 1)
            #expect(failed.first?.metadata["request_id"] == "req-broken-0001")
            #expect(failed.first?.metadata["client_ip"] == "127.0.0.1")
            #expect(failed.first?.metadata["path"] == "/broken")

            let refused = try await client.execute(uri: "/refused", method: .get)
            #expect(refused.status == .badRequest, "the endpoint's own answer to a client")
            let missing = try await client.execute(uri: "/nowhere", method: .get)
            #expect(missing.status == .notFound && missing.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(missing.headers[RequestID.header]?.count == 16, "a new id where the request brought none")
            #expect(log.lines.withLock { $0 }.count == 1, "neither is logged as a failure")
        }
        let exposition = metrics.render(outboxDepth: 0)
        for counted in [#"{route="/broken",method="GET",status="503"} 1"#, #"{route="/refused",method="GET",status="400"} 1"#] {
            #expect(exposition.contains("logintoo_http_requests_total" + counted), "\(counted)")
        }
        #expect(exposition.contains(#",method="GET",status="404"} 1"#), "the missing page is counted too")
    }
}
