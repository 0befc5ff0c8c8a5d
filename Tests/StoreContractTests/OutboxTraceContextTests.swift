import InMemoryTracing
import LogintooCore
import LogintooStore
import LogintooTraces
import Testing
import Tracing

@Suite("The outbox carries the trace of the request that queued an email")
struct OutboxTraceContextTests {
    /// The fixture's database under a store that traces into `tracer`.
    func traced(_ tracer: InMemoryTracer) async throws -> CoreFixture {
        let base = try await CoreFixture.make()
        return CoreFixture(store: SQLStore(engine: base.store.engine, traces: Traces(tracer: tracer)), secret: base.secret)
    }

    @Test("a code queued inside a span comes back with that span's context for the worker, and the store calls are its children")
    func queuedContextComesBack() async throws {
        let tracer = InMemoryTracer()
        let fixture = try await traced(tracer)
        let client = try await fixture.registerClient().client
        let sending = try await tracer.withSpan("sign-in.send-code") { span in
            _ = try await fixture.loginWithCode(client: client, email: "alice@example.com")
            return span.spanContext
        }
        let claimed = try await fixture.store.claimDueMessages(now: fixture.clock.now(), limit: 10, lease: 120)
        let message = try #require(claimed.first)
        let carried = try #require(Traces(tracer: tracer).context(carried: message.traceContext)?.inMemorySpanContext)
        #expect(carried.traceID == sending.traceID && carried.spanID == sending.spanID,
                "the delivery continues the span that queued the email")

        let storeSpans = tracer.finishedSpans.filter { $0.operationName.hasPrefix("store.") }
        #expect(!storeSpans.isEmpty)
        #expect(storeSpans.allSatisfy { $0.traceID == sending.traceID && $0.parentSpanID == sending.spanID })
        #expect(storeSpans.allSatisfy { $0.attributes["db.system.name"] != nil })
        #expect(tracer.finishedSpans.count == storeSpans.count + 1,
                "the claim, outside any traced operation, makes no span (an idle server makes no traces)")
    }

    @Test("an email queued outside any traced operation, or by a store without a tracer, carries no trace context")
    func untracedCarriesNothing() async throws {
        let tracedFixture = try await traced(InMemoryTracer())
        let plain = try await CoreFixture.make()
        for fixture in [tracedFixture, plain] {
            let client = try await fixture.registerClient().client
            _ = try await fixture.loginWithCode(client: client, email: "bob@example.com")
            let claimed = try await fixture.store.claimDueMessages(now: fixture.clock.now(), limit: 10, lease: 120)
            #expect(claimed.count == 1 && claimed.allSatisfy { $0.traceContext == nil })
        }
    }

    @Test("the carried context is the tracer's propagated fields, one line each, read back as they were written")
    func carrierText() throws {
        let fields = ["traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                      "tracestate": "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"]
        let text = try #require(TraceCarrier.text(of: fields))
        #expect(text == "traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\ntracestate: congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")
        #expect(TraceCarrier.fields(of: text) == fields)
        #expect(TraceCarrier.text(of: [:]) == nil)
        #expect(TraceCarrier.text(of: ["x": "a\nb"]) == nil, "a value with a line break is not carried")
    }
}
