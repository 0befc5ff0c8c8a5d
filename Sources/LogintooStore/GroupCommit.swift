import SQLKit
import Synchronization

/// Transactions that wait for SQLite's one writer run together: each in a savepoint of one SQLite transaction, which
/// commits once for all of them (one alone runs in the transaction itself).
///
/// A commit writes every page it changed to the log, takes and releases the file locks and updates the log's index;
/// many small transactions committed one by one pay that each time, and each hands the writer to the next through the
/// scheduler. Here whoever queued while a group ran goes into the next group. A transaction that throws rolls back to
/// its savepoint, alone (one alone in its group rolls back the transaction); a failed commit fails the whole group,
/// none of which was then written.
///
/// A group runs in the task of one of its callers, the leader, on whatever thread that caller runs on, rather than in
/// a task of its own that would wake another thread for every group. The leader runs one group, its own, and hands the
/// lead to the first caller queued after it.
final class GroupCommit: Sendable {
    /// One transaction's body, and how its caller learns the outcome or that it leads the next group.
    struct Pending: Sendable {
        /// Runs the body; the answer it returns waits for the commit.
        let run: @Sendable (any SQLDatabase) async throws -> Answer
        let fail: @Sendable (any Error) -> Void
        let lead: @Sendable () -> Void
    }

    typealias Answer = @Sendable (Result<Void, any Error>) -> Void

    private struct State {
        var queue: [Pending] = []
        var leading = false
        var groups = 0
        var transactions = 0
    }

    /// Groups run so far, the transactions they held, and the transactions waiting for the next one.
    var counts: (groups: Int, transactions: Int, waiting: Int) {
        state.withLock { ($0.groups, $0.transactions, $0.queue.count) }
    }

    private let state = Mutex(State())
    private let handle: SQLiteHandle
    private let database: InlineSQLiteDatabase
    /// Exclusive use of the writing connection, shared with statements run outside a transaction.
    private let writer: AsyncSemaphore

    init(handle: SQLiteHandle, database: InlineSQLiteDatabase, writer: AsyncSemaphore) {
        self.handle = handle
        self.database = database
        self.writer = writer
    }

    /// Runs `body` in the next group and returns its result once the group has committed.
    func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        // The group drops `body` before it answers (see `runGroup`), so `body` never outlives this call.
        try await withoutActuallyEscaping(body) { body in
            let outcome = Outcome<R>()
            let leads = enqueue(Pending(
                run: { db in
                    let result = try await body(db)
                    return { committed in outcome.send(.finished(committed.map { result })) }
                },
                fail: { outcome.send(.finished(.failure($0))) },
                lead: { outcome.send(.lead) }
            ))
            if leads { await lead() }
            while true {
                switch await outcome.next() {
                case .lead: await lead()
                case .finished(let result): return try result.get()
                }
            }
        }
    }

    /// Queues a transaction; true when nobody leads, so its caller does.
    private func enqueue(_ pending: Pending) -> Bool {
        state.withLock { state -> Bool in
            state.queue.append(pending)
            defer { state.leading = true }
            return !state.leading
        }
    }

    /// Runs the group that holds the leader's own transaction, then hands the lead on.
    private func lead() async {
        await writer.acquire()
        await runGroup()
        writer.release()
        // Only the lead is taken out: a reference to the next body here could outlive its call.
        let nextLead = state.withLock { state -> (@Sendable () -> Void)? in
            if let next = state.queue.first { return next.lead }
            state.leading = false
            return nil
        }
        nextLead?()
    }

    /// Runs everything queued as one group.
    private func runGroup() async {
        var bodies: [@Sendable (any SQLDatabase) async throws -> Answer] = []
        var fails: [@Sendable (any Error) -> Void] = []
        state.withLock { state in
            for pending in state.queue {
                bodies.append(pending.run)
                fails.append(pending.fail)
            }
            state.queue.removeAll()
            state.groups += 1
            state.transactions += bodies.count
        }
        var answers: [Answer?] = Array(repeating: nil, count: bodies.count)
        var errors: [(any Error)?] = Array(repeating: nil, count: bodies.count)
        var groupError: (any Error)?
        // A transaction alone in its group needs no savepoint, its rollback being the whole transaction's: a savepoint
        // keeps a copy of every page changed under it, which past 64 KiB SQLite writes to a temporary file.
        let alone = bodies.count == 1
        do {
            try handle.execute("BEGIN IMMEDIATE")
            for index in bodies.indices {
                if !alone { try handle.execute("SAVEPOINT grouped") }
                do {
                    answers[index] = try await bodies[index](database)
                } catch {
                    errors[index] = error
                    // After a full disk or an I/O error SQLite has rolled back the whole transaction, savepoint and
                    // all: this fails, and so does the group.
                    try handle.execute(alone ? "ROLLBACK" : "ROLLBACK TO grouped")
                }
                if !alone { try handle.execute("RELEASE grouped") }
            }
            if !(alone && errors[0] != nil) { try handle.execute("COMMIT") }
        } catch {
            groupError = error
            _ = try? handle.execute("ROLLBACK")
        }
        // Every body is dropped before anyone is answered: a caller returns as soon as it is.
        bodies.removeAll()
        for index in fails.indices {
            switch (answers[index], groupError) {
            case (let answer?, nil): answer(.success(()))
            case (let answer?, let groupError?): answer(.failure(groupError))
            case (nil, _): fails[index](errors[index] ?? groupError ?? SQLiteEngineError(message: "the transaction did not run"))
            }
        }
    }
}

/// What a transaction's caller waits for: its outcome, or first the lead of a group.
private final class Outcome<R: Sendable>: Sendable {
    enum Signal: Sendable {
        case lead
        case finished(Result<R, any Error>)
    }

    private struct State {
        var signals: [Signal] = []
        var waiter: CheckedContinuation<Signal, Never>?
    }

    private let state = Mutex(State())

    func send(_ signal: Signal) {
        let waiter = state.withLock { state -> CheckedContinuation<Signal, Never>? in
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.signals.append(signal)
            return nil
        }
        waiter?.resume(returning: signal)
    }

    func next() async -> Signal {
        await withCheckedContinuation { waiter in
            let signal = state.withLock { state -> Signal? in
                if !state.signals.isEmpty { return state.signals.removeFirst() }
                state.waiter = waiter
                return nil
            }
            if let signal { waiter.resume(returning: signal) }
        }
    }
}
