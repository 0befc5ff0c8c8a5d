import HTTPTypes
import NIOCore

/// Discovery and the JWKS (`DiscoveryEndpoints`), for the router (`buildRouter`) and for each connection's
/// `StaticAnswerHandler`, which answers them before the router whenever answering at once keeps the answers in order.
public struct StaticAnswers: Sendable {
    let discovery: DiscoveryEndpoints
    let metrics: ServerMetrics

    public init(server: ServerContext) throws {
        discovery = try DiscoveryEndpoints(issuer: server.policy.issuer, capabilities: server.capabilities, keys: server.keys)
        metrics = server.metrics
    }

    /// The handler a new connection's pipeline takes, after Hummingbird's `HTTPConnectionStateHandler`.
    public func connectionHandler() -> some RemovableChannelHandler { StaticAnswerHandler(answers: self) }

    /// What answers `head` here: a GET of one of the static paths (its query ignored, as the router ignores it), with
    /// no body and no `Expect` (the answer is written when the request ends), on a connection that stays open; `nil`
    /// for anything else, which the router answers.
    func answer(to head: HTTPRequest) -> (route: String, reply: StaticAnswer.Reply)? {
        let fields = head.headerFields
        guard head.method == .get, let target = head.path, Self.keepsConnection(fields), fields[.expect] == nil,
              fields[.transferEncoding] == nil, fields[.contentLength] == nil || fields[.contentLength] == "0"
        else { return nil }
        guard let (route, answer) = discovery.answer(at: target.prefix { $0 != "?" }) else { return nil }
        return (route, answer.reply(ifNoneMatch: fields[.ifNoneMatch]))
    }

    /// Whether the request lets the connection stay open after its answer (the router closes the connection after
    /// answering `Connection: close`).
    static func keepsConnection(_ fields: HTTPFields) -> Bool {
        guard let connection = fields[.connection] else { return true }
        return connection.lowercased() == "keep-alive"
    }
}
