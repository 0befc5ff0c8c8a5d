import Logging
import LogintooCore
import ServiceLifecycle

/// The loop of the outbox's worker: work through what is due, and when nothing was, wait for
/// the doorbell or the poll interval; stop on graceful shutdown or cancellation. An error is logged and the loop goes
/// on a second later, so a database that is down for a while does not end the worker.
enum QueueWorkerLoop {
    static func run(_ name: String, doorbell: Doorbell, pollInterval: Duration, logger: Logger,
                    deliverDue: () async throws -> Int) async {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                if try await deliverDue() == 0 {
                    await doorbell.wait(timeout: pollInterval)
                    try Task.checkCancellation()
                }
            } catch is CancellationError {
                return
            } catch {
                logger.error("\(name): \(String(describing: error))")
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }
}
