import HTTPTypes
import NIOCore
import NIOHTTP1

/// Discovery and the JWKS (`DiscoveryEndpoints`), for the router (`buildRouter`) and for each connection's
/// `StaticAnswerHandler`, which answers them before the router whenever answering at once keeps the answers in order.
public struct StaticAnswers: Sendable {
    let discovery: DiscoveryEndpoints
    let metrics: ServerMetrics

    public init(server: ServerContext) throws {
        discovery = try DiscoveryEndpoints(issuer: server.policy.issuer, capabilities: server.capabilities, keys: server.keys)
        metrics = server.metrics
    }

    /// The handler a new connection's pipeline takes after the HTTP/1 decoder, before the conversion to Hummingbird's
    /// types.
    public func connectionHandler() -> some RemovableChannelHandler { StaticAnswerHandler(answers: self) }

    /// What answers `head` here: a GET of one of the static paths (its query ignored, as the router ignores it), with
    /// no body and no `Expect` (the answer is written when the request ends), on a connection that stays open; `nil`
    /// for anything else, which the router answers.
    func answer(to head: HTTPRequestHead) -> (route: String, reply: StaticAnswer.WireReply)? {
        let fields = head.headers
        guard head.method == .GET, head.isKeepAlive, !fields.contains(name: "expect"),
              !fields.contains(name: "transfer-encoding"), fields["content-length"].allSatisfy({ $0 == "0" })
        else { return nil }
        let uri = head.uri
        let path = uri[..<(uri.utf8.firstIndex(of: UInt8(ascii: "?")) ?? uri.endIndex)]
        guard let (route, answer) = discovery.answer(at: path) else { return nil }
        let tags = fields["if-none-match"]
        return (route, answer.wireReply(ifNoneMatch: tags.isEmpty ? nil : tags.joined(separator: ",")))
    }
}
