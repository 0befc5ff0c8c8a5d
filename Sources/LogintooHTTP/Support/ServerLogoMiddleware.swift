import HTTPTypes
import Hummingbird

/// With a server-wide logo, every hosted page shows it: a page answered with the plain policy (no client logo of its
/// own) may load images from the logo's origin too. The admin console and the demo draw no logo, so they keep the plain
/// policy.
struct ServerLogoMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let logoOrigin: String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        let path = request.uri.path
        guard response.headers[.contentSecurityPolicy] == Reply.contentSecurityPolicy,
              !path.hasPrefix("/admin"), !path.hasPrefix("/demo")
        else { return response }
        response.headers[.contentSecurityPolicy] = Reply.contentSecurityPolicy(imagesFrom: logoOrigin)
        return response
    }
}
