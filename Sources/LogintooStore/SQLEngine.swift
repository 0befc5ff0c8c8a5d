import SQLKit

/// A database that runs work one transaction at a time through SQLKit: the seam between the store and an engine.
///
/// The contract of the bodies given to an engine:
/// - **A transaction's body may run more than once** (`transaction`, `queuedTransaction`). On PostgreSQL a transaction
///   that loses a serialization conflict or a deadlock (SQLSTATE 40001, 40P01) is rolled back and its body runs again
///   from the start, up to `PostgresEngine.maxAttempts` times. So a body has no effect outside the database: no email
///   sent, no event recorded, no counter bumped, no value captured from a first run that a second run would not
///   recompute. It computes from what it reads; effects happen after the call returns, once, with its result.
/// - **A transaction's body may share a commit with other bodies.** On SQLite, transactions that queue while one runs
///   are grouped (`GroupCommit`): each body runs in a savepoint of one SQLite transaction that commits once for the
///   group (a body alone in its group, in the transaction itself). A body that throws rolls back alone; a commit that
///   fails fails every body of the group, so a body that returned is still not committed until its call returns.
///   Bodies of one group run one after another, never at once.
/// - **On SQLite every body blocks its thread** (`run` and `read` too). SQLite is called synchronously (`SQLiteHandle`,
///   `InlineSQLiteDatabase`), inline on the thread of the task that awaits the engine: in the server, a request's
///   handler runs on its connection's event loop (`EventLoopServer.swift` in LogintooApp), so a statement holds that
///   event loop, and every connection on it, until SQLite answers (microseconds from its page cache; up to the
///   five-second busy timeout when another process holds the file's lock). A group of transactions runs in the task of
///   one of its callers, on that caller's thread. Background services (outbox, cleanup, key rotation) run on Swift's
///   cooperative pool; the write-ahead log is checkpointed on a thread of its own (`WALCheckpointer`). PostgreSQL never
///   blocks: postgres-nio's connections are asynchronous on their event loops.
public protocol SQLEngine: Sendable {
    /// Runs `body` inside a transaction, committing when it returns and rolling back when it throws. The body may run
    /// more than once (PostgreSQL's serializable retries) and may share its commit with others (SQLite's group commit):
    /// it must have no side effect outside the transaction (see the protocol's contract).
    func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// Runs `body` in a transaction that waits behind concurrent writers of the rows it writes instead of failing
    /// against them. Its reads see what was committed when each statement started, so it suits bodies whose first
    /// write is to a row every competing transaction writes too (a counter), which then runs them one at a time.
    func queuedTransaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// Runs a read or a single statement outside an explicit transaction. On SQLite it waits for, and holds, the one
    /// writing connection, as a transaction does.
    func run<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// Runs statements that only read, outside a transaction; each sees what was committed when it started. An engine
    /// may run them beside a writing transaction, on a connection of their own.
    func read<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// PostgreSQL, where a statement outside a transaction runs beside others and waits only for the rows it changes:
    /// there one conditional statement can do a short transaction's work in fewer round trips. An embedded database's
    /// `run` takes its one writer as a transaction does, so nothing is saved there.
    var isPostgreSQL: Bool { get }
    /// Whether `error` is a statement's lost race (a deadlock, a serialization failure, a row lock it would not wait
    /// for), which a caller running statements outside a transaction may leave to a transaction.
    func isLostRace(_ error: any Error) -> Bool
    /// Runs `body` while no other process holds the same lock (schema migrations of instances starting together).
    func withExclusiveLock<R: Sendable>(_ body: @Sendable () async throws -> R) async throws -> R
    func close() async throws
}

extension SQLEngine {
    /// Runs one short write that needs no transaction of its own (a row inserted, a column set): on PostgreSQL as
    /// statements outside a transaction, without the round trips of BEGIN and COMMIT; on an embedded database as a
    /// transaction, so that it shares the commit of the group it queues in (see the protocol's contract) instead of
    /// paying for a commit of its own. Its body follows a transaction's contract.
    public func write<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await isPostgreSQL ? run(body) : transaction(body)
    }

    /// An embedded database runs one writing transaction at a time, so every transaction already waits its turn.
    public func queuedTransaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await transaction(body)
    }

    public func read<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await run(body)
    }

    public var isPostgreSQL: Bool { false }

    /// One writer: statements never race.
    public func isLostRace(_ error: any Error) -> Bool { false }

    /// One process owns an embedded database file, so there is nobody to exclude.
    public func withExclusiveLock<R: Sendable>(_ body: @Sendable () async throws -> R) async throws -> R {
        try await body()
    }
}
