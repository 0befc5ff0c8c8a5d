import Hummingbird
import LogintooCore

/// The router with every endpoint of the server; `/metrics` too unless an admin listener serves it. The client of a
/// request forwarded by one of `trustedProxies` is the address it forwarded for.
public func buildRouter(server: ServerContext, withMetrics: Bool = true, trustedProxies: TrustedProxies = .none) throws
    -> Router<AppRequestContext>
{
    let router = Router(context: AppRequestContext.self)
    let pages = Pages()
    router.add(middleware: ClientAddressMiddleware(proxies: trustedProxies))
    router.add(middleware: MetricsMiddleware(metrics: server.metrics))
    router.add(middleware: RequestIDMiddleware(random: server.random))
    router.add(middleware: ErrorPageMiddleware(pages: pages, logger: server.logger))
    if withMetrics { OperationsEndpoints(server: server).registerMetrics(on: router) }
    try DiscoveryEndpoints(server: server).register(on: router)
    AuthorizeEndpoint(server: server, pages: pages).register(on: router)
    let login = LoginEndpoints(server: server, pages: pages)
    login.register(on: router)
    MagicLinkEndpoint(server: server, pages: pages, login: login).register(on: router)
    NotMeEndpoint(server: server, pages: pages).register(on: router)
    TokenEndpoints(server: server).register(on: router)
    UserInfoEndpoint(server: server).register(on: router)
    LogoutEndpoint(server: server, pages: pages).register(on: router)
    OperationsEndpoints(server: server).register(on: router)
    LogintooAPIEndpoints(server: server).register(on: router)
    if let demo = server.demoClientId {
        DemoEndpoints(issuer: server.policy.issuer, clientId: demo).register(on: router)
        DemoAPIEndpoints(server: server).register(on: router)
    }
    router.get("/") { request, _ in
        if let login = LoginEndpoints.logintooLoginPageRedirect(request) { return login }
        guard server.demoClientId != nil else { throw HTTPError(.notFound) }
        return Reply.seeOther("/demo")
    }
    return router
}

/// The admin listener's router: metrics and health, kept off the public address.
public func buildAdminRouter(server: ServerContext) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    let operations = OperationsEndpoints(server: server)
    operations.registerHealth(on: router)
    operations.registerMetrics(on: router)
    return router
}

/// Turns an unexpected failure into a generic page (fail closed, nothing leaked), and logs the detail.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let pages: Pages
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return Reply.html(pages.message(request.words(), "notfound"), status: .notFound)
        } catch let error as HTTPError where error.status.code < 500 {
            throw error
        } catch {
            logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            return Reply.html(pages.message(request.words(), "error"), status: .serviceUnavailable)
        }
    }
}

import Logging
