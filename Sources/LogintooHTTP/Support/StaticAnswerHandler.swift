import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers discovery and the JWKS on the connection's event loop as the request's last part arrives: no task, no
/// router, no middleware and no response writer, so that these answers cost little more than their socket's work. Each
/// is counted by route, method and status with its latency, as `MetricsMiddleware` counts the router's.
///
/// It sits after Hummingbird's `HTTPConnectionStateHandler`, which so sees these requests and answers too (its idle
/// timeout and graceful shutdown count them), and before the channel the router reads. A request passed on to the
/// router, and not yet answered, holds back every later one: pipelined requests are then passed on as well, so that
/// no answer overtakes another. So does a socket whose client is not reading its answers: the router's writer waits
/// for it, and stops reading requests meanwhile, where answering here would pile answers up in memory.
final class StaticAnswerHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let answers: StaticAnswers
    /// Requests passed on to the router whose answers have not ended.
    private var passedOn = 0
    /// The request being read, answered here when its last part arrives.
    private var answering: (route: String, reply: StaticAnswer.Reply, start: ContinuousClock.Instant)?
    private var date = HTTPDate()

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

    private func answer(_ reply: StaticAnswer.Reply, route: String, since start: ContinuousClock.Instant, context: ChannelHandlerContext) {
        var head = reply.head
        head.headerFields[.date] = date.now()
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if let body = reply.body { context.write(wrapOutboundOut(.body(body)), promise: nil) }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        answers.metrics.request(route: route, method: "GET", status: head.status.code, duration: .now - start)
    }
}
