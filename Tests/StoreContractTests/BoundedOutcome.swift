import Synchronization

/// What became of work that a test gave a limited time.
enum BoundedOutcome<Value: Sendable>: Sendable {
    case finished(Result<Value, any Error>, after: Duration)
    case stillRunning

    /// How long the work took, nil when it had not finished in time.
    var duration: Duration? {
        guard case .finished(_, let after) = self else { return nil }
        return after
    }

    /// The error the work threw, nil when it returned or had not finished.
    var error: (any Error)? {
        guard case .finished(.failure(let error), _) = self else { return nil }
        return error
    }

    /// Runs `work` in a task of its own and waits for it at most `limit`. A test about hangs must not hang the suite, and
    /// a task group racing the work against a timer would wait for the work all the same; so past the limit the work is
    /// left running, unawaited.
    static func of(within limit: Duration, _ work: @escaping @Sendable () async throws -> Value) async -> BoundedOutcome {
        let started = ContinuousClock.now
        return await withCheckedContinuation { continuation in
            let answer = FirstAnswer(continuation)
            let timer = Task {
                try? await Task.sleep(for: limit)
                answer.give(.stillRunning)
            }
            Task {
                let result: Result<Value, any Error>
                do { result = .success(try await work()) } catch { result = .failure(error) }
                answer.give(.finished(result, after: ContinuousClock.now - started))
                timer.cancel()
            }
        }
    }

    /// A continuation resumed by whichever racer answers first.
    private final class FirstAnswer: Sendable {
        private let continuation: Mutex<CheckedContinuation<BoundedOutcome, Never>?>

        init(_ continuation: CheckedContinuation<BoundedOutcome, Never>) { self.continuation = Mutex(continuation) }

        func give(_ outcome: BoundedOutcome) {
            continuation.withLock { $0.take() }?.resume(returning: outcome)
        }
    }
}
