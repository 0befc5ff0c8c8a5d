import HummingbirdCore
import NIOCore
import NIOHTTP1

/// What one client can hold of a listener: a request's time to arrive, an idle connection's time to live, the time a
/// connection may go without reading its answers, and the number of connections open at once, in all and per client.
/// Without them a client that opens connections and sends half a request, or never reads, keeps each socket for good.
public struct ConnectionLimits: Sendable, Equatable {
    /// Seconds from a request's first byte to its last.
    public var requestTimeout: Int64
    /// Seconds a keep-alive connection may wait for its next request, and a client may leave its answers unread.
    public var idleTimeout: Int64
    /// Connections open at once; past it the listener stops accepting until one closes.
    public var maxConnections: Int
    /// Connections open at once from one client address (trusted proxies excepted); past it, new ones are closed.
    public var maxConnectionsPerClient: Int

    public init(requestTimeout: Int64 = 30, idleTimeout: Int64 = 60, maxConnections: Int = 1000, maxConnectionsPerClient: Int = 100) {
        (self.requestTimeout, self.idleTimeout, self.maxConnections, self.maxConnectionsPerClient) =
            (requestTimeout, idleTimeout, maxConnections, maxConnectionsPerClient)
    }
}

/// At the front of a connection's pipeline, before the HTTP decoder:
/// - starts a request's clock at its first byte and answers 408 and closes the connection when the request has not
///   fully arrived in time (only closes it when an answer has begun: a 408 must never land inside or after another
///   answer). `RequestEndWatcher`, after the decoder, stops the clock and reports answers;
/// - closes a connection whose client has not read its answers for `stallLimit`: once the socket's buffers are full
///   the server can neither answer nor finish, and no other timer runs while an answer is being written;
/// - closes a keep-alive connection that has been idle for `idleLimit`: no request being read, none waiting for its
///   answer, no answer being written; once the server has closed its side, no answer being written. It sees every
///   request and answer, those the connection answers itself (`StaticAnswerHandler`) included, where Hummingbird's
///   own idle timeout sees only the router's.
///
/// Its clock is the event loop's (`EventLoop.now`).
final class ConnectionDeadlines: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let requestLimit: TimeAmount
    private let idleLimit: TimeAmount
    private let stallLimit: TimeAmount
    /// When the request being read began to arrive; `nil` between requests.
    private var requestStartedAt: NIODeadline?
    /// One timer for the connection's requests, not one per request: it fires at the deadline of the request that was
    /// being read when it was set, and then looks at the request being read now (a later one, or none).
    private var requestTimer: Scheduled<Void>?
    private var stallDeadline: Scheduled<Void>?
    private var context: ChannelHandlerContext?
    /// Whether an answer has begun since the request being read started.
    private var answeredDuringRequest = false
    /// Whether an answer has begun and not ended.
    private var answerOpen = false
    /// Requests whose head has arrived and whose answer has not ended.
    private var requestsOpen = 0
    /// Whether the server has closed its side: it answers nothing more, whatever was asked.
    private var outputClosed = false
    /// When the connection last became idle.
    private var idleSince = NIODeadline.uptimeNanoseconds(0)
    /// One timer for the connection's idleness: it fires `idleLimit` after the connection became idle, or after it was
    /// last found busy, so that requests cost no timer of their own.
    private var idleTimer: Scheduled<Void>?

    init(requestLimit: TimeAmount, idleLimit: TimeAmount, stallLimit: TimeAmount) {
        (self.requestLimit, self.idleLimit, self.stallLimit) = (requestLimit, idleLimit, stallLimit)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { startIdleTimer(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        startIdleTimer(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        cancelTimers()
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if requestStartedAt == nil {
            let now = context.eventLoop.now
            requestStartedAt = now
            if requestTimer == nil { scheduleRequestTimer(at: now + requestLimit, context: context) }
        }
        context.fireChannelRead(data)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            stallDeadline?.cancel()
            stallDeadline = nil
        } else if stallDeadline == nil {
            stallDeadline = schedule(after: stallLimit, context: context) { $0.context?.close(promise: nil) }
        }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancelTimers()
        context.fireChannelInactive()
    }

    /// A request's head has arrived.
    func requestBegan() { requestsOpen += 1 }

    /// The request has fully arrived.
    func requestEnded() {
        requestStartedAt = nil
        answeredDuringRequest = false
        noteIfIdle()
    }

    /// An answer's head was written.
    func answerStarted() {
        answerOpen = true
        if requestStartedAt != nil { answeredDuringRequest = true }
    }

    /// The request timer: the request being read now has run out of time, or gets a timer for its own deadline.
    private func requestTimerFired(context: ChannelHandlerContext) {
        requestTimer = nil
        guard let started = requestStartedAt else { return }
        let deadline = started + requestLimit
        if deadline <= context.eventLoop.now { requestExpired() } else { scheduleRequestTimer(at: deadline, context: context) }
    }

    private func scheduleRequestTimer(at deadline: NIODeadline, context: ChannelHandlerContext) {
        requestTimer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: deadline) { [weak self] in
            if let self, let context = self.context { self.requestTimerFired(context: context) }
        }
    }

    /// An answer's end was written. It ends the oldest open request; an answer to no request (a 400 for bytes that
    /// were no request) ends none.
    func answerEnded() {
        answerOpen = false
        if requestsOpen > 0 { requestsOpen -= 1 }
        noteIfIdle()
    }

    /// The server closed its side of the connection (after answering `Connection: close`): any request still counted
    /// open stays unanswered, and must not keep the connection busy while the client keeps its side open. A safeguard:
    /// NIO's parser already refuses requests pipelined behind `Connection: close`.
    func outputWasClosed() {
        outputClosed = true
        noteIfIdle()
    }

    private var isIdle: Bool { !answerOpen && (outputClosed || (requestsOpen == 0 && requestStartedAt == nil)) }

    private func noteIfIdle() {
        if isIdle, let context { idleSince = context.eventLoop.now }
    }

    private func startIdleTimer(context: ChannelHandlerContext) {
        guard idleTimer == nil else { return }
        idleSince = context.eventLoop.now
        scheduleIdleTimer(at: idleSince + idleLimit, context: context)
    }

    /// The idle timer: closes the connection when it has been idle for the whole limit, or sets itself for the limit's
    /// end, counted from when the connection became idle or, if it is busy, from now.
    private func idleTimerFired(context: ChannelHandlerContext) {
        idleTimer = nil
        let now = context.eventLoop.now
        let deadline = isIdle ? idleSince + idleLimit : now + idleLimit
        if deadline <= now { context.close(promise: nil) } else { scheduleIdleTimer(at: deadline, context: context) }
    }

    private func scheduleIdleTimer(at deadline: NIODeadline, context: ChannelHandlerContext) {
        idleTimer = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: deadline) { [weak self] in
            if let self, let context = self.context { self.idleTimerFired(context: context) }
        }
    }

    private func requestExpired() {
        guard let context else { return }
        if !answeredDuringRequest, !answerOpen {
            var answer = context.channel.allocator.buffer(capacity: 96)
            answer.writeString("HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n")
            context.writeAndFlush(NIOAny(answer), promise: nil)
        }
        context.close(promise: nil)
    }

    private func schedule(after limit: TimeAmount, context: ChannelHandlerContext,
                          _ action: @escaping (ConnectionDeadlines) -> Void) -> Scheduled<Void> {
        context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: limit) { [weak self] in
            if let self { action(self) }
        }
    }

    private func cancelTimers() {
        requestTimer?.cancel()
        requestTimer = nil
        stallDeadline?.cancel()
        stallDeadline = nil
        idleTimer?.cancel()
        idleTimer = nil
    }
}

/// Right after the HTTP decoder: tells the connection's `ConnectionDeadlines` when a request's head and last part have
/// arrived, when an answer begins and ends, and when the server closes its side.
final class RequestEndWatcher: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var deadlines: ConnectionDeadlines?

    func handlerAdded(context: ChannelHandlerContext) {
        deadlines = try? context.pipeline.syncOperations.handler(type: ConnectionDeadlines.self)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: deadlines?.requestBegan()
        case .end: deadlines?.requestEnded()
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head: deadlines?.answerStarted()
        case .end: deadlines?.answerEnded()
        case .body: break
        }
        context.write(data, promise: promise)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if mode == .output { deadlines?.outputWasClosed() }
        context.close(mode: mode, promise: promise)
    }
}
