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
/// as SQLite would: that copy includes every commit and the log starts over with the next one. Until then, a log past
/// the threshold is copied each time it has grown by a `stepFraction` of it: asked at every commit, as SQLite's own
/// automatic checkpoint is, a checkpoint would copy the pages of one commit and wait for two `fsync`s, for each commit.
public final class WALCheckpointer: Sendable {
    /// Log pages after which a commit asks for a checkpoint: SQLite's own default.
    public static let defaultThreshold: Int32 = 1000
    static let backstopFactor: Int32 = 4
    /// Past the threshold, the log's growth (as a fraction of the threshold) that asks for the next checkpoint.
    static let stepFraction: Int32 = 4

    private struct State {
        var requested = false
        var stopping = false
        /// The log's length when a checkpoint was last asked for, zero since the log started over.
        var askedAt: Int32 = 0
        /// The log's length after the last commit.
        var lastPages: Int32 = 0
        var asked = 0
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
        let ask = state.withLock { state -> Bool in
            // A log shorter than at the commit before has started over, however long its first commit made it.
            if pages < state.lastPages { state.askedAt = 0 }
            state.lastPages = pages
            guard pages >= threshold, !state.requested, !state.stopping,
                  pages - state.askedAt >= threshold / Self.stepFraction else { return false }
            (state.requested, state.askedAt, state.asked) = (true, pages, state.asked + 1)
            return true
        }
        if ask { wake.signal() }
    }

    /// Checkpoints completed so far by this thread, and inline by the writing connection.
    var checkpoints: (background: Int, inline: Int) { state.withLock { ($0.checkpoints, $0.inlineCheckpoints) } }

    /// Checkpoints commits have asked this thread for, and whether one asked for has not started yet.
    var asked: (count: Int, waiting: Bool) { state.withLock { ($0.asked, $0.requested) } }

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
