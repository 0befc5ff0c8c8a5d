import Synchronization

extension Task where Success == Void, Failure == Never {
    /// Waits for the task to finish, but not longer than `limit`: true when it finished in time. Past the limit the
    /// task is left to finish on its own, unawaited (awaiting a task's value cannot be cancelled, so a task group
    /// racing it against a timer would still wait for it).
    func finishes(within limit: Duration) async -> Bool {
        let task = self
        return await withCheckedContinuation { continuation in
            let answer = FirstAnswer(continuation)
            let timer = Task<Void, Never> {
                try? await Task<Never, Never>.sleep(for: limit)
                answer.give(false)
            }
            Task<Void, Never> {
                await task.value
                // Answered before the timer is cancelled, whose early wake-up must not answer first.
                answer.give(true)
                timer.cancel()
            }
        }
    }
}

/// A continuation resumed by whichever of several racers answers first; the later answers are ignored.
private final class FirstAnswer: Sendable {
    private let continuation: Mutex<CheckedContinuation<Bool, Never>?>

    init(_ continuation: CheckedContinuation<Bool, Never>) {
        self.continuation = Mutex(continuation)
    }

    func give(_ answer: Bool) {
        continuation.withLock { $0.take() }?.resume(returning: answer)
    }
}
