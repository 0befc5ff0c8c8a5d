import Hummingbird
import LogintooCore

/// What every routed request is served in, as one middleware, so that a request pays for one frame and one task-local
/// binding around its endpoint rather than one of each per concern:
/// - its client's address, from the trusted proxies' forwarding headers (`TrustedProxies`), in the context;
/// - its id, the proxy's or a new one (`RequestID`), answered in `X-Request-Id`;
/// - both named in every log line written while serving it (`RequestID.metadataProvider`);
/// - an unexpected failure answered with a generic page, and logged (`ErrorPages`);
/// - the server's logo allowed in a hosted page's policy (`ServerLogoPolicy`), when there is one;
/// - its count and duration in the metrics, by route and status (`ServerMetrics`), the error pages' included.
struct RequestFrameMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let proxies: TrustedProxies
    let random: any RandomSource
    let errorPages: ErrorPages
    let logo: ServerLogoPolicy?
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        // `clientIP` starts as the socket peer's address (`AppRequestContext.init`).
        if !proxies.networks.isEmpty, let peer = IPAddress(context.clientIP) {
            context.clientIP = proxies.client(peer: peer, headers: request.headers).description
        }
        let labels = RequestID.Labels(id: RequestID.accept(request.headers[RequestID.header]) { random.token(bytes: 12) },
                                      client: context.clientIP)
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await RequestID.$current.withValue(labels) {
                do {
                    return try await next(request, context)
                } catch {
                    return try errorPages.answer(error, to: request)
                }
            }
        } catch {
            metrics.count(request, context, status: (error as? HTTPError)?.status.code ?? 500, since: start)
            throw error
        }
        logo?.allowLogo(in: &response, path: request.uri.path)
        response.headers[RequestID.header] = labels.id
        metrics.count(request, context, status: response.status.code, since: start)
        return response
    }
}
