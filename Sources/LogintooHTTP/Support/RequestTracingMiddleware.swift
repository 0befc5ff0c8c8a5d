import HTTPTypes
import Hummingbird
import LogintooTraces
import Tracing

/// A server span per request, continuing the caller's trace when the request carries one (W3C `traceparent`, read by
/// the injected tracer's propagator). Hummingbird's `TracingMiddleware` is not used: it reads the process-wide
/// `InstrumentationSystem` and records the query string, where `/authorize` carries `login_hint` (an email address) and
/// a magic link its token. This one records the route pattern, never the path or query (docs/security.md
/// K94).
struct RequestTracingMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let tracer: any Tracer

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var parent = ServiceContext.current ?? .topLevel
        tracer.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        let method = request.method.rawValue
        let span = tracer.startSpan("HTTP \(method)", context: parent, ofKind: .server)
        defer { span.end() }
        span.attributes["http.request.method"] = method
        do {
            let response = try await ServiceContext.$current.withValue(span.context) { try await next(request, context) }
            finish(span, method: method, route: context.endpointPath, status: Int(response.status.code))
            return response
        } catch {
            finish(span, method: method, route: context.endpointPath, status: Int((error as? any HTTPResponseError)?.status.code ?? 500))
            span.recordError(error)
            throw error
        }
    }

    /// Names the span after the route the router matched (OpenTelemetry's `{method} {route}`), once it is known.
    private func finish(_ span: any Span, method: String, route: String?, status: Int) {
        if let route {
            span.operationName = "\(method) \(route)"
            span.attributes["http.route"] = route
        }
        span.attributes["http.response.status_code"] = status
        if status >= 500 { span.setStatus(SpanStatus(code: .error)) }
    }
}

struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from fields: HTTPFields) -> String? {
        HTTPField.Name(key).flatMap { fields[$0] }
    }
}
