import Foundation
import Logging
import SQLiteKit
import SQLKit
import Synchronization

/// SQLite through one connection in WAL mode. Work is serialized by an async lock, which suits SQLite's single writer
/// and keeps every transaction's statements together on the connection.
public final class SQLiteEngine: SQLEngine {
    let connection: SQLiteConnection
    let lock = AsyncLock()
    /// Closing twice would hand SQLite a freed handle.
    private let closed = Atomic<Bool>(false)

    /// Opens (creating if needed) the database file at `path`; `nil` for an in-memory database.
    public static func open(path: String?, logger: Logger) async throws -> SQLiteEngine {
        let storage: SQLiteConnection.Storage = path.map { .file(path: $0) } ?? .memory
        let connection = try await SQLiteConnection.open(storage: storage, logger: logger)
        let engine = SQLiteEngine(connection: connection)
        try await engine.run { db in
            if path != nil { try await db.raw("PRAGMA journal_mode=WAL").run() }
            try await db.raw("PRAGMA synchronous=NORMAL").run()
            try await db.raw("PRAGMA foreign_keys=ON").run()
            try await db.raw("PRAGMA busy_timeout=5000").run()
        }
        return engine
    }

    init(connection: SQLiteConnection) { self.connection = connection }

    /// An engine dropped without `close()` still closes its connection; the pending close keeps the connection alive until done.
    deinit {
        if claimClose() { _ = connection.close() }
    }

    /// True for exactly one caller: the one that may close the connection.
    private func claimClose() -> Bool {
        closed.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged
    }

    public func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await lock.withLock {
            let db = connection.sql()
            try await db.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    public func run<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await lock.withLock { try await body(connection.sql()) }
    }

    public func close() async throws {
        guard claimClose() else { return }
        try await lock.withLock { try await connection.close().get() }
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
