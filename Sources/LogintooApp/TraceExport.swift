import LogintooTraces
import ServiceLifecycle
#if OTLP
import OTel
#endif

/// Where spans go: nowhere (the default), or over OTLP/HTTP to the collector `LOGINTOO_OTLP_ENDPOINT` names, with
/// swift-otel, which only a binary built with the `OTLP` package trait holds (`swift build --traits OTLP`), so the
/// default build does not compile it.
///
/// Without an endpoint there is no tracer at all, not a no-op one: nothing would record spans, so honouring an incoming
/// `traceparent` or storing one with queued email would carry a context nobody reads, and the benchmarked paths would
/// pay for it. With one, swift-otel's tracer propagates W3C Trace Context (`traceparent`, `tracestate`; `OTEL_PROPAGATORS`
/// changes that), samples parent-based by default (`OTEL_TRACES_SAMPLER`), and exports in batches; the other `OTEL_*`
/// variables of the OpenTelemetry specification (headers, timeout, certificates) apply as swift-otel reads them. The
/// tracer is handed to the server's parts, never bootstrapped into the process-wide `InstrumentationSystem`.
public enum TraceExport {
    /// Whether this binary can export traces (built with the `OTLP` trait).
    public static var isBuiltIn: Bool {
        #if OTLP
        true
        #else
        false
        #endif
    }

    /// The tracer for `configuration`, and the service that exports its spans (run it with the server, stopped last so
    /// the final spans are flushed); `.off` and no service without an endpoint.
    public static func make(_ configuration: Configuration) throws -> (traces: Traces, exporter: (any Service)?) {
        guard let endpoint = configuration.otlpEndpoint else { return (.off, nil) }
        #if OTLP
        var otel = OTel.Configuration.default
        otel.serviceName = "logintoo"
        otel.metrics.enabled = false
        otel.logs.enabled = false
        otel.traces.otlpExporter.protocol = .httpProtobuf
        otel.traces.otlpExporter.endpoint = endpoint + "/v1/traces"
        let backend = try OTel.makeTracingBackend(configuration: otel)
        return (Traces(tracer: backend.factory), backend.service)
        #else
        _ = endpoint
        throw notBuiltIn
        #endif
    }

    /// The refusal of an endpoint by a binary that cannot export.
    static var notBuiltIn: ConfigurationError {
        .invalid(SettingTable().otlpEndpoint.label,
                 "this binary was built without trace export; build it with swift build --traits OTLP, or unset it")
    }
}
