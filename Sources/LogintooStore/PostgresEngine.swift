import Foundation
import Logging
import LogintooCore
import PostgresKit
import PostgresNIO
import SQLKit
import Synchronization

/// PostgreSQL through postgres-nio's `PostgresClient` pool, for several instances sharing one database.
/// Transactions run at SERIALIZABLE isolation, so every multi-statement rule (single use, budgets, rotation) holds
/// exactly as on SQLite's single writer; a transaction that loses a conflict is retried from the start. Queued
/// transactions run at READ COMMITTED instead, taking turns on the hot rows they write (see `queuedTransaction`).
public final class PostgresEngine: SQLEngine {
    let client: PostgresClient
    let settings: Settings
    let runner: Task<Void, Never>
    let logger: Logger
    /// A transaction on busy rows can lose several races in a row.
    static let maxAttempts = 30
    /// Transactions that lost a conflict and ran again, since the engine opened.
    public let retriedTransactions = Atomic<Int>(0)

    /// The pool on `settings`; connections open when first needed.
    public static func open(_ settings: Settings, logger: Logger) -> PostgresEngine {
        PostgresEngine(client: PostgresClient(configuration: settings.clientConfiguration(), backgroundLogger: logger),
                       settings: settings, logger: logger)
    }

    init(client: PostgresClient, settings: Settings, logger: Logger) {
        self.client = client
        self.settings = settings
        self.logger = logger
        // Started at once, on this thread: the pool must be running before the first query asks it for a connection,
        // or postgres-nio warns that `run()` has not been called.
        runner = Task.immediate { await client.run() }
    }

    public func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        // The guard's task group awaits its tasks before returning, so `body` never outlives this call.
        try await withoutActuallyEscaping(body) { body in try await guarded { try await self.transaction(isolation: "SERIALIZABLE", body) } }
    }

    /// Read committed: a write to a row another transaction holds waits for it and then applies to the committed row,
    /// where a serializable transaction would fail and start over.
    public func queuedTransaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await withoutActuallyEscaping(body) { body in try await guarded { try await self.transaction(isolation: "READ COMMITTED", body) } }
    }

    func transaction<R: Sendable>(isolation: String, _ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        var attempt = 1
        while true {
            do {
                return try await client.withConnection { connection in
                    let db = connection.sql(queryLogLevel: nil)
                    try await db.raw("BEGIN ISOLATION LEVEL \(unsafeRaw: isolation)").run()
                    do {
                        let result = try await body(db)
                        try await db.raw("COMMIT").run()
                        return result
                    } catch {
                        try? await db.raw("ROLLBACK").run()
                        throw error
                    }
                }
            } catch let error as PSQLError where Self.isRetryable(error) && attempt < Self.maxAttempts {
                attempt += 1
                retriedTransactions.add(1, ordering: .relaxed)
                // Random backoff, growing to at most 100 ms, so the racers spread out.
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...min(100, 1 << min(attempt, 7)))))
            }
        }
    }

    /// Single statements run in autocommit: each is atomic on its own (conditional updates re-check their rows).
    public func run<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await withoutActuallyEscaping(body) { body in
            try await guarded {
                try await self.client.withConnection { connection in try await body(connection.sql(queryLogLevel: nil)) }
            }
        }
    }

    /// How long one unit of work may wait for the database before the request is answered "try again".
    static let deadline: Duration = .seconds(8)

    /// Turns a lost connection, a database that is down or restarting, or a wait past the deadline into
    /// `StoreUnavailable`, so that clients get a 503 rather than a 500 or a hang.
    func guarded<R: Sendable>(_ work: @escaping @Sendable () async throws -> R) async throws -> R {
        do {
            return try await withThrowingTaskGroup(of: R?.self) { group in
                group.addTask { try await work() }
                group.addTask {
                    try await Task.sleep(for: Self.deadline)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let result = first else {
                    throw StoreUnavailable("no answer within \(Self.deadline)")
                }
                return result
            }
        } catch let error as PSQLError where Self.isUnavailable(error) {
            throw StoreUnavailable(error.serverInfo?[.message] ?? "the connection failed")
        }
    }

    /// Connection failures, and server answers that mean "not now" (class 08 connection exceptions, class 57 shutdown).
    static func isUnavailable(_ error: PSQLError) -> Bool {
        guard error.code == .server else { return true }
        let state = error.serverInfo?[.sqlState] ?? ""
        return state.hasPrefix("08") || state.hasPrefix("57")
    }

    /// Serialization failures and deadlocks: the transaction lost a race and can run again.
    static func isRetryable(_ error: PSQLError) -> Bool {
        ["40001", "40P01"].contains(error.serverInfo?[.sqlState] ?? "")
    }

    /// Runs `body` holding a database-wide lock, so that instances starting together migrate one after another, and
    /// one instance at a time reloads or rotates the signing keys. The lock is taken on a pooled connection: this runs
    /// every 30 seconds in a running server, where opening a connection of its own each time would cost a handshake
    /// and escape the pool's handling of cancellation at shutdown.
    public func withExclusiveLock<R: Sendable>(_ body: @Sendable () async throws -> R) async throws -> R {
        try await client.withConnection { connection in
            let db = connection.sql(queryLogLevel: nil)
            try await db.raw("SELECT pg_advisory_lock(\(bind: Self.migrationLockKey))").run()
            do {
                let result = try await body()
                try await db.raw("SELECT pg_advisory_unlock(\(bind: Self.migrationLockKey))").run()
                return result
            } catch {
                try? await db.raw("SELECT pg_advisory_unlock(\(bind: Self.migrationLockKey))").run()
                throw error
            }
        }
    }

    /// Opens and closes one connection of its own, outside the pool: at startup, a server that cannot be reached, or
    /// whose certificate does not verify, stops the start at once with the reason, where the pool would keep retrying
    /// in the background.
    public func checkConnection() async throws {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(configuration: settings.connectionConfiguration(), id: 0, logger: logger)
        } catch {
            throw PostgresConnectionFailure(error, settings: settings)
        }
        try? await connection.close()
    }

    static let migrationLockKey: Int64 = 0x4C6F_6769_6E74_6F6F

    public func close() async throws {
        runner.cancel()
        _ = await runner.value
    }
}
