import HTTPTypes
@testable import LogintooHTTP
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

/// `StaticAnswerHandler` in a pipeline of its own: what it answers, what it passes on to the router, and in what order.
@Suite("Static answers on the connection")
struct StaticAnswerHandlerTests {
    static let jwks = "/.well-known/jwks.json"

    /// A connection with the handler, and the server whose answers and metrics it has.
    func connection() async throws -> (EmbeddedChannel, TestServer) {
        let server = try await TestServer.make()
        return (EmbeddedChannel(handler: StaticAnswerHandler(answers: try StaticAnswers(server: server.context))), server)
    }

    func send(_ channel: EmbeddedChannel, _ path: String, method: HTTPRequest.Method = .get, headers: HTTPFields = [:],
              body: Bool = false) throws {
        try channel.writeInbound(HTTPRequestPart.head(HTTPRequest(method: method, scheme: "http", authority: "x", path: path,
                                                                  headerFields: headers)))
        if body { try channel.writeInbound(HTTPRequestPart.body(ByteBuffer(string: "{}"))) }
        try channel.writeInbound(HTTPRequestPart.end(nil))
    }

    /// The parts the router received, as "head PATH", "body" and "end".
    func passedOn(_ channel: EmbeddedChannel) throws -> [String] {
        var parts: [String] = []
        while let part = try channel.readInbound(as: HTTPRequestPart.self) {
            switch part {
            case .head(let head): parts.append("head \(head.path ?? "")")
            case .body: parts.append("body")
            case .end: parts.append("end")
            }
        }
        return parts
    }

    /// The answers written to the socket, as "STATUS" and "end" (bodies left out).
    func answered(_ channel: EmbeddedChannel) throws -> [String] {
        var parts: [String] = []
        while let part = try channel.readOutbound(as: HTTPResponsePart.self) {
            switch part {
            case .head(let head): parts.append("\(head.status.code)")
            case .body: break
            case .end: parts.append("end")
            }
        }
        return parts
    }

    /// The router answering the oldest request passed on: its answer passes the handler on its way out.
    func routerAnswers(_ channel: EmbeddedChannel) throws {
        try channel.writeOutbound(HTTPResponsePart.head(HTTPResponse(status: .ok)))
        try channel.writeOutbound(HTTPResponsePart.end(nil))
    }

    @Test("a GET of a static path is answered on the connection, with a Date, and counted; the router never sees it")
    func answeredHere() async throws {
        let (channel, server) = try await connection()
        try send(channel, Self.jwks + "?v=1")
        let head = try #require(try channel.readOutbound(as: HTTPResponsePart.self))
        guard case .head(let response) = head else { Issue.record("\(head)"); return }
        #expect(response.status == .ok && response.headerFields[.eTag] != nil && response.headerFields[.date]?.hasSuffix(" GMT") == true)
        guard case .body(let body)? = try channel.readOutbound(as: HTTPResponsePart.self) else { Issue.record("no body"); return }
        #expect(String(buffer: body).contains("\"keys\""))
        #expect(try answered(channel) == ["end"])
        #expect(try passedOn(channel).isEmpty)
        #expect(server.context.metrics.render(outboxDepth: 0)
            .contains(#"logintoo_http_requests_total{route="/.well-known/jwks.json",method="GET",status="200"} 1"#))
    }

    @Test("while a request passed on is unanswered, static requests behind it are passed on too, so answers keep their order")
    func pipelinedInOrder() async throws {
        let (channel, _) = try await connection()
        try send(channel, "/healthz")
        try send(channel, Self.jwks)
        #expect(try passedOn(channel) == ["head /healthz", "end", "head \(Self.jwks)", "end"])
        #expect(try answered(channel).isEmpty)
        try routerAnswers(channel)
        try send(channel, Self.jwks)
        #expect(try passedOn(channel) == ["head \(Self.jwks)", "end"], "one passed on is still unanswered")
        try routerAnswers(channel)
        try routerAnswers(channel)
        #expect(try answered(channel) == ["200", "end", "200", "end", "200", "end"])
        try send(channel, Self.jwks)
        #expect(try passedOn(channel).isEmpty)
        #expect(try answered(channel) == ["200", "end"], "everything answered: the connection answers again")
    }

    @Test("an answer the router makes of its own accord does not let a static answer overtake a later one of the router's")
    func countNeverNegative() async throws {
        let (channel, _) = try await connection()
        try routerAnswers(channel)
        try send(channel, "/healthz")
        try send(channel, Self.jwks)
        #expect(try passedOn(channel) == ["head /healthz", "end", "head \(Self.jwks)", "end"])
    }

    @Test("requests with a body, an Expect, a Connection: close, another method or path go to the router",
          arguments: [("body", HTTPRequest.Method.get), ("expect", .get), ("close", .get), ("head", .head), ("path", .get)])
    func passedOnToRouter(kind: String, method: HTTPRequest.Method) async throws {
        let (channel, _) = try await connection()
        var headers: HTTPFields = [:]
        if kind == "body" { headers[.contentLength] = "2" }
        if kind == "expect" { headers[.expect] = "100-continue" }
        if kind == "close" { headers[.connection] = "close" }
        let path = kind == "path" ? Self.jwks + "/" : Self.jwks
        try send(channel, path, method: method, headers: headers, body: kind == "body")
        #expect(try passedOn(channel).first == "head \(path)")
        #expect(try answered(channel).isEmpty)
    }

    @Test("a client that does not read its answers gets none from the connection: the router's writer waits for it")
    func unwritable() async throws {
        let (channel, _) = try await connection()
        channel.isWritable = false
        try send(channel, Self.jwks)
        #expect(try passedOn(channel) == ["head \(Self.jwks)", "end"])
        #expect(try answered(channel).isEmpty)
    }
}
