import HummingbirdCore
import NIOCore
import NIOHTTP1

/// What one client can hold of the public listener: a request's time to arrive, an idle connection's time to live,
/// and the number of connections open at once. Without them a client that opens connections and sends half a
/// request keeps each socket for good.
public struct ConnectionLimits: Sendable, Equatable {
    /// Seconds from a request's first byte to its last.
    public var requestTimeout: Int64
    /// Seconds a keep-alive connection may wait for its next request.
    public var idleTimeout: Int64
    /// Connections open at once; past it the listener stops accepting until one closes.
    public var maxConnections: Int

    public init(requestTimeout: Int64 = 30, idleTimeout: Int64 = 60, maxConnections: Int = 1000) {
        (self.requestTimeout, self.idleTimeout, self.maxConnections) = (requestTimeout, idleTimeout, maxConnections)
    }
}

/// Starts a request's clock at its first byte, before the HTTP decoder, and answers 408 and closes the connection
/// when the request has not fully arrived in time. `RequestEndWatcher`, after the decoder, stops the clock.
final class RequestDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let limit: TimeAmount
    private var deadline: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    init(limit: TimeAmount) { self.limit = limit }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if deadline == nil {
            deadline = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: limit) { [weak self] in self?.expire() }
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }

    /// The request has fully arrived.
    func requestEnded() {
        deadline?.cancel()
        deadline = nil
    }

    private func expire() {
        guard let context else { return }
        var answer = context.channel.allocator.buffer(capacity: 96)
        answer.writeString("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
        context.writeAndFlush(NIOAny(answer), promise: nil)
        context.close(promise: nil)
    }
}

/// Right after the HTTP decoder: tells the connection's `RequestDeadlineHandler` when a request's last part has arrived.
final class RequestEndWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart

    private var deadline: RequestDeadlineHandler?

    func handlerAdded(context: ChannelHandlerContext) {
        deadline = try? context.pipeline.syncOperations.handler(type: RequestDeadlineHandler.self)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data) { deadline?.requestEnded() }
        context.fireChannelRead(data)
    }
}
