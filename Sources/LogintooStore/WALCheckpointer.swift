import Foundation
import Synchronization

/// Copies the write-ahead log back into the database file on a thread of its own, with a connection of its own.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses its threshold: the writing connection then copies
/// pages and waits for two `fsync`s while holding the write lock, on one of the few threads that run every task. Here
/// the commit only wakes this thread; writes and reads go on while it works, as WAL allows.
///
/// The log starts over only when a checkpoint has copied all of it before the next commit, which a steady stream of
/// commits may never allow. So a commit that finds the log at `backstopFactor` times the threshold checkpoints inline,
/// as SQLite would: that copy includes every commit and the log starts over with the next one.
public final class WALCheckpointer: Sendable {
    /// Log pages after which a commit asks for a checkpoint: SQLite's own default.
    public static let defaultThreshold: Int32 = 1000
    static let backstopFactor: Int32 = 4

    private struct State {
        var requested = false
        var stopping = false
        var checkpoints = 0
        var inlineCheckpoints = 0
    }

    private let handle: SQLiteHandle
    private let threshold: Int32
    private let state = Mutex(State())
    /// Held while either connection checkpoints: SQLite lets only one run, and turns the other away at once.
    private let checkpointing = Mutex(())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    init(path: String, threshold: Int32 = WALCheckpointer.defaultThreshold) throws {
        handle = try SQLiteHandle(path: path)
        // A connection learns that the file is in WAL mode when it first reads; until then it cannot checkpoint.
        _ = try handle.query("PRAGMA journal_mode", binds: [])
        self.threshold = threshold
        let thread = Thread { [self] in run() }
        thread.name = "sqlite-checkpoint"
        thread.start()
    }

    /// Called after each commit, on the writing connection, with the pages now in the log.
    func committed(logPages pages: Int32, writer: SQLiteHandle.Connection) {
        if pages >= threshold * Self.backstopFactor {
            // Waits for a checkpoint the thread is running, so that this one copies all that is left.
            _ = checkpointing.withLock { _ in SQLiteHandle.checkpoint(writer) }
            state.withLock { $0.inlineCheckpoints += 1 }
            return
        }
        guard pages >= threshold else { return }
        let first = state.withLock { state -> Bool in
            defer { state.requested = true }
            return !state.requested && !state.stopping
        }
        if first { wake.signal() }
    }

    /// Checkpoints completed so far by this thread, and inline by the writing connection.
    var checkpoints: (background: Int, inline: Int) { state.withLock { ($0.checkpoints, $0.inlineCheckpoints) } }

    /// Waits for a running checkpoint, then ends the thread and closes its connection. Idempotent.
    func stop() {
        let running = state.withLock { state -> Bool in
            defer { state.stopping = true }
            return !state.stopping
        }
        guard running else { return }
        wake.signal()
        finished.wait()
    }

    private func run() {
        while true {
            wake.wait()
            let stopping = state.withLock { state -> Bool in
                state.requested = false
                return state.stopping
            }
            if stopping { break }
            // A passive checkpoint copies what no reader still needs and never waits for a lock; whatever it leaves,
            // a later commit asks for again.
            if checkpointing.withLock({ _ in handle.checkpoint() }) { state.withLock { $0.checkpoints += 1 } }
        }
        handle.close()
        finished.signal()
    }
}
