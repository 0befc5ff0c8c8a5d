import Tracing

/// The server's tracer, or none: spans for requests, core operations, store calls and outbox deliveries.
///
/// Without a tracer (`off`, the default build without OTLP export) every `span` is only its body: no span, no
/// task-local context, no propagation, so the benchmarked paths pay nothing for traces nobody collects. A tracer is
/// injected, never bootstrapped into `InstrumentationSystem`, so tests running side by side each see their own spans.
///
/// Attributes never carry an email address, a code, a token, a link or a client secret (docs/security.md K94): span
/// names are fixed strings and attributes are route patterns, statuses, grant types and client ids.
public struct Traces: Sendable {
    public let tracer: (any Tracer)?

    public init(tracer: (any Tracer)?) { self.tracer = tracer }

    /// No tracer: nothing recorded, nothing propagated.
    public static let off = Traces(tracer: nil)

    public var isOn: Bool { tracer != nil }

    /// Runs `body` in a span named `name`, a child of the current span (or of `parent`), ended when `body` returns or
    /// throws; a thrown error marks the span failed. `attributes` are set when the span starts.
    public func span<R>(_ name: String, kind: SpanKind = .internal, parent: ServiceContext? = nil,
                        attributes: [String: String] = [:], isolation: isolated (any Actor)? = #isolation,
                        _ body: () async throws -> R) async throws -> R {
        guard let tracer else { return try await body() }
        let span = tracer.startSpan(name, context: parent ?? .current ?? .topLevel, ofKind: kind)
        defer { span.end() }
        for (key, value) in attributes { span.attributes[key] = value }
        do {
            return try await ServiceContext.$current.withValue(span.context) { try await body() }
        } catch {
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
    }

    /// The current trace context as the tracer propagates it (W3C `traceparent` and `tracestate` with OpenTelemetry),
    /// as text to store beside queued work; nil without a tracer or outside a traced operation.
    public func carriedContext() -> String? {
        guard let tracer, let context = ServiceContext.current else { return nil }
        var fields: [String: String] = [:]
        tracer.inject(context, into: &fields, using: FieldsInjector())
        return TraceCarrier.text(of: fields)
    }

    /// The trace context stored by `carriedContext`, for continuing its trace; nil when there is none to continue.
    public func context(carried text: String?) -> ServiceContext? {
        guard let tracer, let text else { return nil }
        let fields = TraceCarrier.fields(of: text)
        guard !fields.isEmpty else { return nil }
        var context = ServiceContext.topLevel
        tracer.extract(fields, into: &context, using: FieldsExtractor())
        return context
    }

    /// Runs queued work (`body`) in a producer span named `name`, a child of the span that queued it (`carried`, stored
    /// beside the row by `carriedContext`), on whichever instance claimed it. Work queued outside a trace starts none:
    /// `body` alone runs. `body` handles its own failures, so the span ends as it returns.
    public func continuing(_ carried: String?, in name: String, attributes: [String: String],
                           isolation: isolated (any Actor)? = #isolation, _ body: () async -> Void) async {
        guard let parent = context(carried: carried) else { return await body() }
        try? await span(name, kind: .producer, parent: parent, attributes: attributes) { await body() }
    }
}

/// The propagated fields of a trace context as text: one `name: value` line each, as HTTP headers are written, sorted.
/// Header values hold no line breaks, and W3C `tracestate` holds commas and equals signs, hence lines.
public enum TraceCarrier {
    public static func text(of fields: [String: String]) -> String? {
        let lines = fields.sorted { $0.key < $1.key }.compactMap { name, value in
            name.contains(where: \.isNewline) || value.contains(where: \.isNewline) ? nil : "\(name): \(value)"
        }
        return lines.isEmpty ? nil : lines.joined(separator: "\n")
    }

    public static func fields(of text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[String(line[..<colon])] = String(line[line.index(after: colon)...].drop { $0 == " " })
        }
        return fields
    }
}

struct FieldsInjector: Injector {
    func inject(_ value: String, forKey key: String, into fields: inout [String: String]) { fields[key] = value }
}

struct FieldsExtractor: Extractor {
    func extract(key: String, from fields: [String: String]) -> String? { fields[key] }
}
