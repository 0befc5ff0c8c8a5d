import LogintooTraces
import SQLKit
import Tracing

/// An engine whose calls are spans (`store.transaction`, `store.read`…), children of the operation that made them.
///
/// A call outside any traced operation (the workers' polls, housekeeping) records nothing, so an idle server makes no
/// traces. Spans carry the engine and the kind of call, never SQL or its parameters (docs/security.md K94). The span
/// wraps the caller's await, not the body: on SQLite a body may run in another caller's task (`GroupCommit`).
struct TracedEngine: SQLEngine {
    let base: any SQLEngine
    let traces: Traces
    let system: String

    init(_ base: any SQLEngine, traces: Traces) {
        self.base = base
        self.traces = traces
        system = base is PostgresEngine ? "postgresql" : "sqlite"
    }

    var isPostgreSQL: Bool { base.isPostgreSQL }

    func isLostRace(_ error: any Error) -> Bool { base.isLostRace(error) }

    private func traced<R: Sendable>(_ call: String, _ work: () async throws -> R) async throws -> R {
        guard ServiceContext.current != nil else { return try await work() }
        return try await traces.span("store.\(call)", kind: .client,
                                     attributes: ["db.system.name": system, "db.operation.name": call], work)
    }

    func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await traced("transaction") { try await base.transaction(body) }
    }

    func queuedTransaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await traced("queued-transaction") { try await base.queuedTransaction(body) }
    }

    func run<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await traced("run") { try await base.run(body) }
    }

    func read<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await traced("read") { try await base.read(body) }
    }

    func withExclusiveLock<R: Sendable>(_ body: @Sendable () async throws -> R) async throws -> R {
        try await base.withExclusiveLock(body)
    }

    func close() async throws { try await base.close() }
}
