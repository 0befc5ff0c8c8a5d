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
/// when the request has not fully arrived in time (only closes it, when an answer has already begun: the server may
/// answer before reading a whole body). `RequestEndWatcher`, after the decoder, stops the clock.
final class RequestDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let limit: TimeAmount
    private var deadline: Scheduled<Void>?
    private var context: ChannelHandlerContext?
    /// Whether an answer to the request being read has begun.
    private var answering = false

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
        answering = false
    }

    /// The answer to the request being read has begun.
    func responseStarted() {
        if deadline != nil { answering = true }
    }

    private func expire() {
        guard let context else { return }
        guard !answering else {
            context.close(promise: nil)
            return
        }
        var answer = context.channel.allocator.buffer(capacity: 96)
        answer.writeString("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
        context.writeAndFlush(NIOAny(answer), promise: nil)
        context.close(promise: nil)
    }
}

/// Right after the HTTP decoder: tells the connection's `RequestDeadlineHandler` when a request's last part has arrived
/// and when an answer begins.
final class RequestEndWatcher: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var deadline: RequestDeadlineHandler?

    func handlerAdded(context: ChannelHandlerContext) {
        deadline = try? context.pipeline.syncOperations.handler(type: RequestDeadlineHandler.self)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data) { deadline?.requestEnded() }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head = unwrapOutboundIn(data) { deadline?.responseStarted() }
        context.write(data, promise: promise)
    }
}
