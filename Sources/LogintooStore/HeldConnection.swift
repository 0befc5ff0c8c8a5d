import PostgresNIO
import Synchronization

/// The pooled connection one database call holds, so that the call's deadline, or its caller's cancellation, can close
/// it. postgres-nio cannot withdraw a statement once it is sent: closing the connection is what fails the statement at
/// once, and it takes the connection, whose state is then unknown, out of the pool.
final class HeldConnection: Sendable {
    private enum State {
        case free
        case holding(PostgresConnection)
        case expired
    }

    private let state = Mutex(State.free)

    /// Records the connection the call leased; false when the call has already expired (the lease came too late, and
    /// the connection, untouched, goes back to the pool).
    func hold(_ connection: PostgresConnection) -> Bool {
        state.withLock { state in
            if case .expired = state { return false }
            state = .holding(connection)
            return true
        }
    }

    /// The call gave its connection back to the pool.
    func release() {
        state.withLock { state in
            if case .holding = state { state = .free }
        }
    }

    /// Expires the call at `instant` unless it is over by then. For a cancelled caller: a statement in flight is left
    /// to finish (closing its connection would abort a commit about to succeed), but not to hang.
    func expire(at instant: ContinuousClock.Instant) {
        Task { [self] in
            try? await Task.sleep(until: instant, clock: .continuous)
            expire()
        }
    }

    /// The call is over without an answer: closes the connection it holds, and any it leases later.
    func expire() {
        let held: PostgresConnection? = state.withLock { state in
            defer { state = .expired }
            guard case .holding(let connection) = state else { return nil }
            return connection
        }
        guard let held else { return }
        // The future only reports the close, which the pool observes on its own.
        let _: EventLoopFuture<Void> = held.close()
    }
}
