import LogintooCore
import LogintooTraces
import SQLKit

/// The one store implementation, written once on SQLKit for every engine.
public final class SQLStore: Sendable {
    public let engine: any SQLEngine
    /// Rung after a transaction queues an email, so the outbox worker sends it at once.
    public let outboxDoorbell = Doorbell()
    /// Rung when a transaction queues a delivery (`DeliveryStore`), so the delivery worker tries it at once.
    public let deliveryDoorbell = Doorbell()
    let decodedClients = DecodedClients()
    /// Rows decode into the core's records: snake_case columns to camelCase properties, each name converted once.
    static let decoder = SQLRowDecoder(keyDecodingStrategy: .custom { path in SnakeCaseKey.for(path.last!) })

    /// The tracer of the store's calls, and of the trace context queued email carries to its delivery.
    public let traces: Traces

    /// With a tracer, each engine call is a span (`TracedEngine`); without one, the engine is called as it is.
    public init(engine: any SQLEngine, traces: Traces = .off) {
        self.engine = traces.isOn ? TracedEngine(engine, traces: traces) : engine
        self.traces = traces
    }

    /// Thrown inside a transaction to roll it back and answer `outcome`.
    struct Rollback<T: Sendable>: Error { let outcome: T }

    /// Runs a transaction whose body may end it early, rolled back, with an answer; `queued` as `SQLEngine.queuedTransaction`.
    func transaction<R: Sendable>(queued: Bool = false, _ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        do {
            return try await queued ? engine.queuedTransaction(body) : engine.transaction(body)
        } catch let rollback as Rollback<R> {
            return rollback.outcome
        }
    }

    /// Counts one event against a limit in one statement; false when the limit refuses (nothing counted). Without an
    /// interval the order of events does not matter, so requests that started a second apart on other instances count.
    static func consume(_ limit: RateLimit, now: Int64, on db: any SQLDatabase) async throws -> Bool {
        let windowStart = now - limit.window
        let row = try await db.raw("""
            INSERT INTO rate_limits (bucket, window_start, hits, last_at) VALUES (\(bind: limit.key), \(bind: now), 1, \(bind: now))
            ON CONFLICT (bucket) DO UPDATE SET
              hits = CASE WHEN rate_limits.window_start <= \(bind: windowStart) THEN 1 ELSE rate_limits.hits + 1 END,
              window_start = CASE WHEN rate_limits.window_start <= \(bind: windowStart) THEN \(bind: now)
                             ELSE rate_limits.window_start END,
              last_at = \(bind: now)
            WHERE (\(bind: limit.interval) = 0 OR rate_limits.last_at <= \(bind: now - limit.interval))
              AND (rate_limits.window_start <= \(bind: windowStart) OR rate_limits.hits < \(bind: limit.limit))
            RETURNING hits
            """).first()
        return row != nil
    }
}

extension SQLDatabase {
    /// PostgreSQL, where a statement is spelt differently or an index added (the store's SQL is otherwise the same).
    var isPostgreSQL: Bool { dialect.name == "postgresql" }
}

extension SQLQueryFetcher {
    func first<D: Decodable>(as type: D.Type) async throws -> D? {
        try await first(decoding: type, with: SQLStore.decoder)
    }

    func all<D: Decodable>(as type: D.Type) async throws -> [D] {
        try await all(decoding: type, with: SQLStore.decoder)
    }
}

/// The snake_case column for a camelCase property, cached: decoding asks for it on every row.
struct SnakeCaseKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }

    private static let cache = Mutex<[String: String]>([:])

    static func `for`(_ key: any CodingKey) -> any CodingKey {
        let name = key.stringValue
        if let cached = cache.withLock({ $0[name] }) { return SnakeCaseKey(stringValue: cached) }
        var snake = ""
        for character in name {
            if character.isUppercase {
                snake += "_" + character.lowercased()
            } else {
                snake.append(character)
            }
        }
        cache.withLock { $0[name] = snake }
        return SnakeCaseKey(stringValue: snake)
    }
}

import Synchronization
