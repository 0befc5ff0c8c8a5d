@testable import LogintooHTTP
import NIOCore
import NIOEmbedded
import NIOHTTP1
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

    func send(_ channel: EmbeddedChannel, _ path: String, method: HTTPMethod = .GET, version: HTTPVersion = .http1_1,
              headers: HTTPHeaders = [:], body: Bool = false) throws {
        try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: version, method: method, uri: path,
                                                                            headers: headers)))
        if body { try channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "{}"))) }
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
    }

    /// The parts the router received, as "head PATH", "body" and "end".
    func passedOn(_ channel: EmbeddedChannel) throws -> [String] {
        var parts: [String] = []
        while let part = try channel.readInbound(as: HTTPServerRequestPart.self) {
            switch part {
            case .head(let head): parts.append("head \(head.uri)")
            case .body: parts.append("body")
            case .end: parts.append("end")
            }
        }
        return parts
    }

    /// The answers written to the socket, as "STATUS" and "end" (bodies left out).
    func answered(_ channel: EmbeddedChannel) throws -> [String] {
        var parts: [String] = []
        while let part = try channel.readOutbound(as: HTTPServerResponsePart.self) {
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
        try channel.writeOutbound(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: .ok)))
        try channel.writeOutbound(HTTPServerResponsePart.end(nil))
    }

    @Test("a GET of a static path is answered on the connection, with a Date, and counted; the router never sees it")
    func answeredHere() async throws {
        let (channel, server) = try await connection()
        try send(channel, Self.jwks + "?v=1")
        let head = try #require(try channel.readOutbound(as: HTTPServerResponsePart.self))
        guard case .head(let response) = head else { Issue.record("\(head)"); return }
        #expect(response.status == .ok && response.headers.first(name: "ETag") != nil
            && response.headers.first(name: "Date")?.hasSuffix(" GMT") == true)
        guard case .body(.byteBuffer(let body))? = try channel.readOutbound(as: HTTPServerResponsePart.self) else {
            Issue.record("no body")
            return
        }
        #expect(String(buffer: body).contains("\"keys\""))
        #expect(try answered(channel) == ["end"])
        #expect(try passedOn(channel).isEmpty)
        #expect(server.context.metrics.render(outboxDepth: 0)
            .contains(#"logintoo_http_requests_total{route="/.well-known/jwks.json",method="GET",status="200"} 1"#))
    }

    @Test("If-None-Match naming the answer, on the second of two header lines, gets a 304 with its tag and no body")
    func notModified() async throws {
        let (channel, _) = try await connection()
        try send(channel, Self.jwks)
        guard case .head(let full)? = try channel.readOutbound(as: HTTPServerResponsePart.self),
              let tag = full.headers.first(name: "ETag") else { Issue.record("no tagged head"); return }
        _ = try answered(channel)
        try send(channel, Self.jwks, headers: HTTPHeaders([("If-None-Match", #""other""#), ("If-None-Match", tag)]))
        var parts: [String] = []
        while let part = try channel.readOutbound(as: HTTPServerResponsePart.self) {
            switch part {
            case .head(let head): parts.append("\(head.status.code) \(head.headers.first(name: "ETag") ?? "")")
            case .body: parts.append("body")
            case .end: parts.append("end")
            }
        }
        #expect(parts == ["304 \(tag)", "end"])
    }

    @Test("an HTTP/1.0 request that asks to keep the connection is answered on it")
    func keepAliveHTTP10() async throws {
        let (channel, _) = try await connection()
        try send(channel, Self.jwks, version: .http1_0, headers: ["Connection": "keep-alive"])
        #expect(try answered(channel) == ["200", "end"])
        #expect(try passedOn(channel).isEmpty)
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

    @Test("requests with a body, an Expect, a Connection: close, HTTP/1.0 without keep-alive, another method or path go to the router",
          arguments: [("body", HTTPMethod.GET), ("chunked", .GET), ("expect", .GET), ("close", .GET), ("1.0", .GET),
                      ("head", .HEAD), ("path", .GET)])
    func passedOnToRouter(kind: String, method: HTTPMethod) async throws {
        let (channel, _) = try await connection()
        var headers: HTTPHeaders = [:]
        if kind == "body" { headers.add(name: "Content-Length", value: "2") }
        if kind == "chunked" { headers.add(name: "Transfer-Encoding", value: "chunked") }
        if kind == "expect" { headers.add(name: "Expect", value: "100-continue") }
        if kind == "close" { headers.add(name: "Connection", value: "close") }
        let path = kind == "path" ? Self.jwks + "/" : Self.jwks
        try send(channel, path, method: method, version: kind == "1.0" ? .http1_0 : .http1_1, headers: headers,
                 body: kind == "body" || kind == "chunked")
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
