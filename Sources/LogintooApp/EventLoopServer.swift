import HummingbirdCore
import Logging
import LogintooHTTP
import NIOCore
import NIOHTTP1

extension HTTPServerBuilder {
    /// HTTP/1.1 whose connections each run on the event loop that reads and writes their socket. The default runs
    /// them on Swift Concurrency's own thread pool, so every request crosses threads twice, from the socket to the
    /// handler and back, and the two pools' threads compete for the same cores. Each connection is held to `limits`
    /// (`ConnectionLimits`); connections from `trustedProxies` are not counted against the per-client cap. Each
    /// connection answers `staticAnswers` itself (`StaticAnswers.connectionHandler`).
    static func http1OnEventLoops(limits: ConnectionLimits = ConnectionLimits(), trustedProxies: TrustedProxies = .none,
                                  staticAnswers: StaticAnswers? = nil) -> HTTPServerBuilder
    {
        let counter = ClientConnectionCounter(limit: limits.maxConnectionsPerClient, exempt: trustedProxies)
        return HTTPServerBuilder { responder in
            EventLoopChildChannel(
                base: HTTP1Channel(responder: responder), limits: limits, counter: counter, staticAnswers: staticAnswers)
        }
    }
}

/// A child channel whose handling, and every task it awaits without a preference of its own, runs on its event loop.
struct EventLoopChildChannel<Base: ServerChildChannel>: ServerChildChannel {
    let base: Base
    let limits: ConnectionLimits
    let counter: ClientConnectionCounter
    let staticAnswers: StaticAnswers?

    /// Refuses a client's connection past its cap; otherwise the base's pipeline, with `ConnectionDeadlines` before
    /// the HTTP decoder, `RequestEndWatcher` right after it, and the static answers' handler after that, before the
    /// conversion to Hummingbird's types. The base gets no idle timeout of its own: its state handler never sees the
    /// static answers, so it would close a connection busy with them; `ConnectionDeadlines` sees them all.
    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Base.Value> {
        do {
            if let counted = try counter.open(from: channel.remoteAddress?.ipAddress) {
                channel.closeFuture.whenComplete { [counter] _ in counter.close(counted) }
            }
            let idle = TimeAmount.seconds(limits.idleTimeout)
            try channel.pipeline.syncOperations.addHandler(
                ConnectionDeadlines(requestLimit: .seconds(limits.requestTimeout), idleLimit: idle, stallLimit: idle))
        } catch {
            logger.notice("connection refused", metadata: ["reason": "\(error)"])
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(error)
        }
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let pipeline = channel.pipeline.syncOperations
            let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            let watcher = RequestEndWatcher()
            try pipeline.addHandler(watcher, position: .after(decoder))
            if let staticAnswers { try pipeline.addHandler(staticAnswers.connectionHandler(), position: .after(watcher)) }
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
