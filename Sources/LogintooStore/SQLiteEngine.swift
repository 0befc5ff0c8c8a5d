import Foundation
import Logging
import NIOPosix
import SQLKit
import Synchronization

/// SQLite in WAL mode through one connection. Work is serialized by an async lock, which suits SQLite's single writer
/// and keeps every transaction's statements together; statements run inline (see `InlineSQLiteDatabase`).
public final class SQLiteEngine: SQLEngine {
    let handle: SQLiteHandle
    let database: InlineSQLiteDatabase
    let lock = AsyncLock()

    /// Opens (creating if needed) the database file at `path`; `nil` for an in-memory database.
    public static func open(path: String?, logger: Logger) async throws -> SQLiteEngine {
        let engine = SQLiteEngine(handle: try SQLiteHandle(path: path), logger: logger)
        try await engine.run { db in
            if path != nil { try await db.raw("PRAGMA journal_mode=WAL").run() }
            // In WAL mode, NORMAL loses no commit on a process crash; a power cut may lose the last ones, never corrupt.
            try await db.raw("PRAGMA synchronous=NORMAL").run()
            try await db.raw("PRAGMA foreign_keys=ON").run()
        }
        return engine
    }

    init(handle: SQLiteHandle, logger: Logger) {
        self.handle = handle
        database = InlineSQLiteDatabase(handle: handle, logger: logger, eventLoop: MultiThreadedEventLoopGroup.singleton.any())
    }

    public func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await lock.withLock {
            try await database.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(database)
                try await database.raw("COMMIT").run()
                return result
            } catch {
                try? await database.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    public func run<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await lock.withLock { try await body(database) }
    }

    /// How often the cached prepared statements have been prepared again: zero while the cache works.
    public func repreparedStatements() async throws -> Int {
        try await lock.withLock { handle.repreparations }
    }

    public func close() async throws {
        try await lock.withLock { handle.close() }
    }
}

/// A first-come, first-served lock for async code.
final class AsyncLock: Sendable {
    private struct State {
        var busy = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func withLock<R: Sendable>(_ body: () async throws -> R) async throws -> R {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        // Fast path: a free lock is taken without suspending.
        let taken = state.withLock { state -> Bool in
            guard !state.busy else { return false }
            state.busy = true
            return true
        }
        if taken { return }
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let free = state.withLock { state -> Bool in
                if state.busy {
                    state.waiters.append(waiter)
                    return false
                }
                state.busy = true
                return true
            }
            if free { waiter.resume() }
        }
    }

    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.busy = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
