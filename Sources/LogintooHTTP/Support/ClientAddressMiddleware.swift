import Hummingbird
import LogintooCore

/// Sets the request's client address from the trusted proxies' forwarding headers, and names it in every log line
/// written while serving the request.
struct ClientAddressMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let proxies: TrustedProxies

    /// The client of the request being served, for `RequestID.metadataProvider`.
    @TaskLocal static var current: String?

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if !proxies.networks.isEmpty, let peer = context.remoteAddress?.ipAddress.flatMap(IPAddress.init) {
            context.clientIP = proxies.client(peer: peer, headers: request.headers).description
        }
        return try await Self.$current.withValue(context.clientIP) { try await next(request, context) }
    }
}
