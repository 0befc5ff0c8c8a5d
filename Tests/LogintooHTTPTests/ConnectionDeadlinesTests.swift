@testable import LogintooApp
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

/// `ConnectionDeadlines` with the `RequestEndWatcher` that reports to it, on an event loop whose clock the test moves:
/// when a connection counts as idle, and when it is closed for it.
@Suite("Connection deadlines: the idle timeout")
struct ConnectionDeadlinesTests {
    static let idle = TimeAmount.seconds(10)

    /// An open connection with the two handlers, the request timeout long enough never to fire here, opened 3 s into
    /// the loop's clock so that its idle time is counted from its opening, not from the clock's zero.
    func connection() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: HalfClosure())
        channel.embeddedEventLoop.advanceTime(by: .seconds(3))
        try channel.pipeline.syncOperations.addHandler(
            ConnectionDeadlines(requestLimit: .hours(1), idleLimit: Self.idle, stallLimit: Self.idle))
        try channel.pipeline.syncOperations.addHandler(RequestEndWatcher())
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    func request(_ channel: EmbeddedChannel, headers: HTTPHeaders = [:]) throws {
        try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/",
                                                                            headers: headers)))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
    }

    func answer(_ channel: EmbeddedChannel) throws {
        try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
    }

    func wait(_ channel: EmbeddedChannel, _ seconds: Int64) {
        channel.embeddedEventLoop.advanceTime(by: .seconds(seconds))
    }

    @Test("a connection without a request is closed once it has been idle for the limit")
    func idleFromTheStart() throws {
        let channel = try connection()
        wait(channel, 9)
        #expect(channel.isActive)
        wait(channel, 1)
        #expect(!channel.isActive)
    }

    @Test("a request the server takes longer than the limit to answer keeps the connection, which is closed the limit after its answer")
    func busyWhileAnswering() throws {
        let channel = try connection()
        wait(channel, 5)
        try request(channel)
        wait(channel, 25)
        #expect(channel.isActive, "the answer is still being made")
        try answer(channel)
        wait(channel, 9)
        #expect(channel.isActive, "idle for 9 s only")
        try request(channel)
        try answer(channel)
        wait(channel, 9)
        #expect(channel.isActive, "a second request started the idle time again")
        wait(channel, 1)
        #expect(!channel.isActive)
    }

    @Test("pipelined requests keep the connection busy until the last is answered")
    func pipelined() throws {
        let channel = try connection()
        try request(channel)
        try request(channel)
        try answer(channel)
        wait(channel, 30)
        #expect(channel.isActive, "one request is still unanswered")
        try answer(channel)
        wait(channel, 10)
        #expect(!channel.isActive)
    }

    @Test("once the server has closed its side, a request left unanswered behind it does not keep the connection open (a safeguard: NIO's parser refuses requests after Connection: close)")
    func outputClosed() throws {
        let channel = try connection()
        try request(channel, headers: ["Connection": "close"])
        try request(channel)
        try answer(channel)
        wait(channel, 5)
        #expect(channel.isActive, "a request is still unanswered")
        channel.close(mode: .output, promise: nil)
        wait(channel, 9)
        #expect(channel.isActive, "idle for 9 s since the server closed its side")
        wait(channel, 1)
        #expect(!channel.isActive)
    }
}

/// Keeps the connection open when the server closes only its side, as a socket's half-closure does, where
/// `EmbeddedChannel` would close it whole.
private final class HalfClosure: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if mode == .output { promise?.succeed(()) } else { context.close(mode: mode, promise: promise) }
    }
}
