import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

extension HTTPServerBuilder {
    /// HTTP/1.1 whose connections each run on the event loop that reads and writes their socket. The default runs
    /// them on Swift Concurrency's own thread pool, so every request crosses threads twice, from the socket to the
    /// handler and back, and the two pools' threads compete for the same cores. Each request has `limits.requestTimeout`
    /// to arrive and each idle connection `limits.idleTimeout` to send its next one.
    static func http1OnEventLoops(limits: ConnectionLimits = ConnectionLimits()) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            EventLoopChildChannel(
                base: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: .seconds(limits.idleTimeout))),
                requestTimeout: .seconds(limits.requestTimeout))
        }
    }
}

/// A child channel whose handling, and every task it awaits without a preference of its own, runs on its event loop.
struct EventLoopChildChannel<Base: ServerChildChannel>: ServerChildChannel {
    let base: Base
    /// A request's time from its first byte to its last.
    let requestTimeout: TimeAmount

    /// The base's pipeline, with a request's clock started before the HTTP decoder and stopped right after it.
    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Base.Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(RequestDeadlineHandler(limit: requestTimeout))
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try pipeline.addHandler(RequestEndWatcher(), position: .after(decoder))
            return value
        }
    }

    func handle(value: Base.Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await base.handle(value: value, logger: logger)
        }
    }
}

/// Runs tasks on one event loop.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) { self.eventLoop = eventLoop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
