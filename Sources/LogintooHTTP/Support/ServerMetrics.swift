import Hummingbird
import LogintooCore
import Prometheus
import Synchronization

/// The server's Prometheus metrics: requests and latency by route, the sign-in funnel, email delivery, tokens by grant
/// and refresh-token reuse. One registry per server, handed to whoever counts; nothing global.
public final class ServerMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    /// Each series counted on every request, found once: the registry builds and looks up its name on every call.
    private let requestSeries = Mutex<[RequestSeries: (requests: Counter, latency: DurationHistogram)]>([:])
    private let tokenSeries = Mutex<[String: Counter]>([:])

    private struct RequestSeries: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    public init() {
        registry.makeGauge(descriptor: Self.buildInfo, labels: [("version", LogintooVersion.current)]).set(Int64(1))
    }

    static func name(_ metric: String, unit: String, help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "logintoo", metricName: metric, unitName: unit, helpText: help)
    }

    static var requests: MetricNameDescriptor { name("http_requests", unit: "total", help: "HTTP requests by route, method and status") }
    static var latency: MetricNameDescriptor { name("http_request_duration", unit: "seconds", help: "HTTP request latency by route") }
    static var signIns: MetricNameDescriptor { name("sign_ins", unit: "total", help: "Sign-ins by stage: started, completed, failed") }
    static var emails: MetricNameDescriptor { name("emails", unit: "total", help: "Sign-in emails by outcome: sent, retried, abandoned") }
    static var tokens: MetricNameDescriptor { name("tokens_issued", unit: "total", help: "Token responses by grant type") }
    static var reuse: MetricNameDescriptor { name("refresh_token_reuse", unit: "total", help: "Refresh tokens presented again after rotation") }
    static var outbox: MetricNameDescriptor { name("outbox_depth", unit: "messages", help: "Emails waiting to be delivered") }
    static var buildInfo: MetricNameDescriptor { name("build", unit: "info", help: "This build: its version, always 1") }
    static let buckets: [Duration] = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500].map { .milliseconds($0) }

    public enum SignInStage: String, Sendable { case started, completed, failed }

    func request(route: String, method: String, status: Int, duration: Duration) {
        let key = RequestSeries(route: route, method: method, status: status)
        let series = requestSeries.withLock { known in
            if let series = known[key] { return series }
            let series = (
                registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("method", method), ("status", "\(status)")]),
                registry.makeDurationHistogram(descriptor: Self.latency, labels: [("route", route)], buckets: Self.buckets)
            )
            known[key] = series
            return series
        }
        series.requests.increment()
        series.latency.record(duration)
    }

    public func signIn(_ stage: SignInStage) {
        registry.makeCounter(descriptor: Self.signIns, labels: [("stage", stage.rawValue)]).increment()
    }

    public func email(_ outcome: String) {
        registry.makeCounter(descriptor: Self.emails, labels: [("outcome", outcome)]).increment()
    }

    public func tokensIssued(grant: String) {
        tokenSeries.withLock { known in
            if let counter = known[grant] { return counter }
            let counter = registry.makeCounter(descriptor: Self.tokens, labels: [("grant", grant)])
            known[grant] = counter
            return counter
        }.increment()
    }

    public func refreshTokenReused() {
        registry.makeCounter(descriptor: Self.reuse).increment()
    }

    /// The exposition text, with the outbox depth measured now.
    public func render(outboxDepth: Int) -> String {
        registry.makeGauge(descriptor: Self.outbox).set(Int64(outboxDepth))
        return registry.emitToString()
    }
}

/// Counts every request by its route pattern (never the raw path, so the number of series stays bounded) and status.
struct MetricsMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            metrics.count(request, context, status: response.status.code, since: start)
            return response
        } catch {
            metrics.count(request, context, status: (error as? HTTPError)?.status.code ?? 500, since: start)
            throw error
        }
    }
}

extension ServerMetrics {
    /// Counts a request answered with `status` by its route pattern (never the raw path), with its time since `start`.
    func count<Context: RequestContext>(_ request: Request, _ context: Context, status: Int, since start: ContinuousClock.Instant) {
        self.request(route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: status,
                     duration: ContinuousClock.now - start)
    }
}
