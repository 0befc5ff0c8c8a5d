import Foundation
import Logging
import LogintooCore
import PostgresKit
import PostgresNIO
import SQLKit
import Synchronization

/// PostgreSQL through postgres-nio's `PostgresClient` pool, for several instances sharing one database.
/// Transactions run at SERIALIZABLE isolation, so every multi-statement rule (single use, budgets) holds exactly as on
/// SQLite's single writer; a transaction that loses a conflict is retried from the start. Queued transactions run at
/// READ COMMITTED instead, taking turns on the hot rows they lock or write first (see `queuedTransaction`): counters,
/// and a refresh family's rotation.
public final class PostgresEngine: SQLEngine {
    let client: PostgresClient
    let settings: Settings
    let runner: Task<Void, Never>
    let logger: Logger
    /// How long one unit of work may wait for the database before the request is answered "try again".
    let deadline: Duration
    /// A transaction on busy rows can lose several races in a row.
    static let maxAttempts = 30
    /// Transactions that lost a conflict and ran again, since the engine opened.
    public let retriedTransactions = Atomic<Int>(0)

    /// The usual `deadline`: long enough for a busy database, short enough that a client's retry still helps.
    public static let defaultDeadline: Duration = .seconds(8)
    /// How long `close` waits for the pool to close its connections. Every connection is closed at once, and one being
    /// opened gives up when told to, so this bounds only a misbehaving pool: shutdown must not hang on it.
    static let closingLimit: Duration = .seconds(5)

    /// The pool on `settings`; connections open when first needed. Each call that gets no answer within `deadline`
    /// fails with `StoreUnavailable`.
    public static func open(_ settings: Settings, logger: Logger, deadline: Duration = defaultDeadline) -> PostgresEngine {
        PostgresEngine(client: PostgresClient(configuration: settings.clientConfiguration(), backgroundLogger: logger),
                       settings: settings, logger: logger, deadline: deadline)
    }

    init(client: PostgresClient, settings: Settings, logger: Logger, deadline: Duration) {
        self.client = client
        self.settings = settings
        self.logger = logger
        self.deadline = deadline
        // Started at once, on this thread: the pool must be running before the first query asks it for a connection,
        // or postgres-nio warns that `run()` has not been called.
        runner = Task.immediate { await client.run() }
    }

    public var isPostgreSQL: Bool { true }

    /// A serialization failure or a deadlock (`isRetryable`), or a row lock a statement would not wait for (55P03).
    public func isLostRace(_ error: any Error) -> Bool {
        guard let error = error as? PSQLError else { return false }
        return Self.isRetryable(error) || error.serverInfo?[.sqlState] == "55P03"
    }

    public func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        // The guard's task group awaits its tasks before returning, so `body` never outlives this call.
        try await withoutActuallyEscaping(body) { body in
            try await guarded { held in try await self.transaction(isolation: "SERIALIZABLE", held: held, body) }
        }
    }

    /// Read committed: a write to a row another transaction holds waits for it and then applies to the committed row,
    /// where a serializable transaction would fail and start over.
    public func queuedTransaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await withoutActuallyEscaping(body) { body in
            try await guarded { held in try await self.transaction(isolation: "READ COMMITTED", held: held, body) }
        }
    }

    func transaction<R: Sendable>(isolation: String, held: HeldConnection,
                                  _ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        var attempt = 1
        while true {
            do {
                return try await withConnection(held) { db in
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
            try await guarded { held in try await self.withConnection(held) { db in try await body(db) } }
        }
    }

    /// Runs `body` on a pooled connection that `held` can close.
    func withConnection<R: Sendable>(_ held: HeldConnection, _ body: (any SQLDatabase) async throws -> R) async throws -> R {
        try await client.withConnection { connection in
            guard held.hold(connection) else { throw CancellationError() }
            defer { held.release() }
            return try await body(LiveConnection(connection: connection).sql(queryLogLevel: nil))
        }
    }

    /// Turns a lost connection, a database that is down or restarting, or a wait past the deadline into
    /// `StoreUnavailable`, so that clients get a 503 rather than a 500 or a hang.
    ///
    /// The task group waits for `work` before it returns, and postgres-nio cannot cancel a statement in flight; so at the
    /// deadline the connection `work` holds is closed. That ends every wait inside it at once: a statement in flight
    /// fails, a later one is refused (`LiveConnection`), a wait for a connection from the pool is withdrawn by the
    /// cancellation, and so is a retry's pause. The call returns as the work unwinds. A cancelled caller stops the
    /// timer task, so its call is expired at the same instant by `HeldConnection.expire(at:)`.
    func guarded<R: Sendable>(_ work: @escaping @Sendable (HeldConnection) async throws -> R) async throws -> R {
        let held = HeldConnection()
        let deadline = self.deadline
        let expiry = ContinuousClock.now + deadline
        do {
            return try await withTaskCancellationHandler {
                try await withThrowingTaskGroup(of: R?.self) { group in
                    group.addTask { try await work(held) }
                    group.addTask {
                        try await Task.sleep(for: deadline)
                        return nil
                    }
                    defer { group.cancelAll() }
                    guard let first = try await group.next(), let result = first else {
                        held.expire()
                        throw StoreUnavailable("no answer within \(deadline)")
                    }
                    return result
                }
            } onCancel: {
                held.expire(at: expiry)
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
    /// and escape the pool's handling of cancellation at shutdown. Waiting for the lock has no deadline (another instance
    /// may be migrating), but a cancelled caller gets one: its connection is closed a deadline later, which ends the wait
    /// (or a statement the database no longer answers) and frees the lock.
    public func withExclusiveLock<R: Sendable>(_ body: @Sendable () async throws -> R) async throws -> R {
        let held = HeldConnection()
        let deadline = self.deadline
        return try await withTaskCancellationHandler {
            try await withConnection(held) { db in
                try await Self.holdingLock(on: db, body, releasing: { held.expire(at: .now + deadline) })
            }
        } onCancel: {
            held.expire(at: .now + deadline)
        }
    }

    /// Runs `body` between taking and releasing the lock on `db`'s connection. Waiting for the lock has no deadline
    /// (another instance may be migrating), but releasing it does: `releasing` runs first, so that an unlock the
    /// database never answers closes the connection, which ends the lock's session, instead of holding it for good.
    static func holdingLock<R: Sendable>(on db: any SQLDatabase, _ body: @Sendable () async throws -> R,
                                         releasing: @Sendable () -> Void) async throws -> R {
        try await db.raw("SELECT pg_advisory_lock(\(bind: Self.migrationLockKey))").run()
        let result: R
        do {
            result = try await body()
        } catch {
            releasing()
            try? await db.raw("SELECT pg_advisory_unlock(\(bind: Self.migrationLockKey))").run()
            throw error
        }
        releasing()
        // The body's work is done: an unlock that fails (its connection closed at the release deadline) loses nothing,
        // since a closed session holds no lock.
        try? await db.raw("SELECT pg_advisory_unlock(\(bind: Self.migrationLockKey))").run()
        return result
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

    /// Closes every connection, those in use included (their calls fail with `StoreUnavailable`), and waits for the pool
    /// to stop, at most `closingLimit`.
    public func close() async throws {
        runner.cancel()
        if await !runner.finishes(within: Self.closingLimit) {
            logger.warning("the PostgreSQL pool did not stop within \(Self.closingLimit); shutting down without it")
        }
    }
}
