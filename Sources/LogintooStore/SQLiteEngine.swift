import Foundation
import Logging
import SQLKit
import Synchronization

/// SQLite in WAL mode: one connection writes, and a few more only read. Writing is serialized by an async lock, which
/// suits SQLite's single writer and keeps every transaction's statements together; transactions that wait for it run
/// in groups that commit once (see `GroupCommit`). Reads take a reading connection of their own and run beside a
/// transaction, as WAL allows. Statements run inline (see `InlineSQLiteDatabase`).
public final class SQLiteEngine: SQLEngine {
    let handle: SQLiteHandle
    let database: InlineSQLiteDatabase
    let lock = AsyncSemaphore()
    /// Transactions, run in groups that commit once.
    let group: GroupCommit
    /// Connections that only read; none for an in-memory database, whose reads go through the writing connection.
    let readers: ReadingConnections?
    /// Keeps the log short from a thread of its own; none for an in-memory database.
    let checkpointer: WALCheckpointer?

    /// Opens (creating if needed) the database file at `path`; `nil` for an in-memory database. A commit that leaves
    /// at least `checkpointAfter` pages in the write-ahead log asks the background checkpoint to copy them back.
    public static func open(path: String?, logger: Logger, readers: Int = 2,
                            checkpointAfter: Int32 = WALCheckpointer.defaultThreshold) async throws -> SQLiteEngine {
        let handle = try SQLiteHandle(path: path)
        let writer = InlineSQLiteDatabase(handle: handle, logger: logger)
        // journal_mode is set before any reader opens: WAL stays with the file.
        if path != nil { try await writer.raw("PRAGMA journal_mode=WAL").run() }
        // In WAL mode, NORMAL loses no commit on a process crash; a power cut may lose the last ones, never corrupt.
        try await writer.raw("PRAGMA synchronous=NORMAL").run()
        try await writer.raw("PRAGMA foreign_keys=ON").run()
        var readingHandles: [SQLiteHandle] = []
        var checkpointer: WALCheckpointer?
        if let path {
            let background = try WALCheckpointer(path: path, threshold: checkpointAfter)
            handle.reportLogGrowth(to: background)
            checkpointer = background
            for _ in 0..<readers {
                let reader = try SQLiteHandle(path: path)
                // A write through a reading connection is a bug; SQLite refuses it.
                _ = try reader.query("PRAGMA query_only=ON", binds: [])
                readingHandles.append(reader)
            }
        }
        return SQLiteEngine(handle: handle, database: writer,
                            readers: readingHandles.isEmpty ? nil : ReadingConnections(readingHandles, logger: logger),
                            checkpointer: checkpointer)
    }

    init(handle: SQLiteHandle, database: InlineSQLiteDatabase, readers: ReadingConnections?, checkpointer: WALCheckpointer?) {
        self.handle = handle
        self.database = database
        group = GroupCommit(handle: handle, database: database, writer: lock)
        self.readers = readers
        self.checkpointer = checkpointer
    }

    public func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await group.transaction(body)
    }

    public func run<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await lock.withPermit { try await body(database) }
    }

    public func read<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        guard let readers else { return try await run(body) }
        return try await readers.withConnection(body)
    }

    /// Transaction groups run so far, the transactions they held, and the transactions waiting for the next group.
    public var transactionGroups: (groups: Int, transactions: Int, waiting: Int) { group.counts }

    /// Checkpoints completed by the background thread, and inline by commits that found the log too long.
    public var walCheckpoints: (background: Int, inline: Int) { checkpointer?.checkpoints ?? (0, 0) }

    /// Checkpoints commits have asked the background thread for, and whether one asked for has not started yet.
    public var walCheckpointsAsked: (count: Int, waiting: Bool) { checkpointer?.asked ?? (0, false) }

    /// How often the cached prepared statements have been prepared again: zero while the cache works.
    public func repreparedStatements() async throws -> Int {
        try await lock.withPermit { handle.repreparations }
    }

    public func close() async throws {
        checkpointer?.stop()
        try await readers?.close()
        try await lock.withPermit { handle.close() }
    }
}

/// Reading connections to one file, each lent to one task at a time.
final class ReadingConnections: Sendable {
    private let permits: AsyncSemaphore
    private let idle: Mutex<[InlineSQLiteDatabase]>
    private let count: Int

    init(_ handles: [SQLiteHandle], logger: Logger) {
        count = handles.count
        permits = AsyncSemaphore(permits: count)
        idle = Mutex(handles.map { InlineSQLiteDatabase(handle: $0, logger: logger) })
    }

    func withConnection<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await permits.withPermit {
            // Holding a permit, there is an idle connection.
            let connection = idle.withLock { $0.removeLast() }
            defer { idle.withLock { $0.append(connection) } }
            return try await body(connection)
        }
    }

    /// Waits for the reads running, then closes every connection; a read after that fails, as on a closed handle.
    func close() async throws {
        for _ in 0..<count { await permits.acquire() }
        // Holding every permit, every connection is idle.
        for connection in idle.withLock({ $0 }) { connection.handle.close() }
        for _ in 0..<count { permits.release() }
    }
}

/// First-come, first-served permits for async code; with one permit, a lock.
final class AsyncSemaphore: Sendable {
    private struct State {
        var free: Int
        var waiters: [CheckedContinuation<Void, Never>] = []

        mutating func take() -> Bool {
            guard free > 0 else { return false }
            free -= 1
            return true
        }
    }

    private let state: Mutex<State>

    init(permits: Int = 1) { state = Mutex(State(free: permits)) }

    func withPermit<R: Sendable>(_ body: () async throws -> R) async throws -> R {
        await acquire()
        defer { release() }
        return try await body()
    }

    func acquire() async {
        // Fast path: a free permit is taken without suspending.
        if state.withLock({ $0.take() }) { return }
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let taken = state.withLock { state -> Bool in
                if state.take() { return true }
                state.waiters.append(waiter)
                return false
            }
            if taken { waiter.resume() }
        }
    }

    func release() {
        // A waiter inherits the permit directly, so a newcomer cannot take it first.
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.free += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
