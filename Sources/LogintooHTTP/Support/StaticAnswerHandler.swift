import NIOCore
import NIOHTTP1

/// Answers discovery and the JWKS on the connection's event loop as the request's last part arrives: no task, no
/// router, no middleware, no response writer and no conversion to or from Hummingbird's HTTP types, so that these
/// answers cost little more than their socket's work. Each is counted by route, method and status with its latency, as
/// `MetricsMiddleware` counts the router's.
///
/// It sits right after the HTTP/1 decoder (and the watcher that reports requests and answers to the connection's
/// deadlines, which so count these too), before the conversion to Hummingbird's types and the channel the router reads.
/// Its answers go through the HTTP/1 encoder, which pairs each answer with its request's method. Hummingbird's
/// connection state handler, further on, never sees them: its graceful shutdown closes a connection at once unless the
/// router is answering, which cannot cut one of these answers short, since each is written whole as its request ends. A
/// request passed on to the router, and not yet answered, holds back every later one: pipelined requests are then
/// passed on as well, so that no answer overtakes another. So does a socket whose client is not reading its answers:
/// the router's writer waits for it, and stops reading requests meanwhile, where answering here would pile answers up
/// in memory.
final class StaticAnswerHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let answers: StaticAnswers
    /// Requests passed on to the router whose answers have not ended.
    private var passedOn = 0
    /// The request being read, answered here when its last part arrives.
    private var answering: (route: String, reply: StaticAnswer.WireReply, start: ContinuousClock.Instant)?
    private var date = HTTPDate()
    /// The heads written in the second `dateText` names, each with that `Date`: the header fields copied and dated
    /// once a second per answer, not once a request.
    private var datedHeads: [(etag: String, status: HTTPResponseStatus, head: HTTPResponseHead)] = []
    private var dateText = ""

    init(answers: StaticAnswers) { self.answers = answers }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            if passedOn == 0, context.channel.isWritable, let (route, reply) = answers.answer(to: head) {
                answering = (route, reply, .now)
                return
            }
            passedOn += 1
        case .body:
            // Not sent with the requests answered here (`StaticAnswers.answer(to:)`), but read past if it comes.
            if answering != nil { return }
        case .end:
            if let answering {
                self.answering = nil
                answer(answering.reply, route: answering.route, since: answering.start, context: context)
                return
            }
        }
        context.fireChannelRead(data)
    }

    /// The router's answers pass here on their way out; this handler's own do not.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // Never below zero: an answer of the router's own (a 400 for a request it could not parse) ends no request
        // passed on, and a negative count would let a later answer here overtake one of the router's.
        if case .end = unwrapOutboundIn(data), passedOn > 0 { passedOn -= 1 }
        context.write(data, promise: promise)
    }

    private func answer(_ reply: StaticAnswer.WireReply, route: String, since start: ContinuousClock.Instant, context: ChannelHandlerContext) {
        context.write(wrapOutboundOut(.head(datedHead(of: reply))), promise: nil)
        if let body = reply.body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        answers.metrics.request(route: route, method: "GET", status: Int(reply.status.code), duration: .now - start)
    }

    private func datedHead(of reply: StaticAnswer.WireReply) -> HTTPResponseHead {
        let now = date.now()
        if now != dateText { (dateText, datedHeads) = (now, []) }
        if let known = datedHeads.first(where: { $0.etag == reply.etag && $0.status == reply.status }) { return known.head }
        var headers = reply.headers
        headers.add(name: "Date", value: now)
        let head = HTTPResponseHead(version: .http1_1, status: reply.status, headers: headers)
        datedHeads.append((reply.etag, reply.status, head))
        return head
    }
}
