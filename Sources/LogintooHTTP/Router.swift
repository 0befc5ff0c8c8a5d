import Hummingbird
import LogintooCore

/// The router with every endpoint of the server; `/metrics` too unless an admin listener serves it. The client of a
/// request forwarded by one of `trustedProxies` is the address it forwarded for. Each endpoint receives the services it
/// calls, and nothing else. `staticAnswers` are the ones the listener's connections answer themselves, when it has them.
public func buildRouter(server: ServerContext, withMetrics: Bool = true, trustedProxies: TrustedProxies = .none,
                        staticAnswers: StaticAnswers? = nil) throws -> Router<AppRequestContext>
{
    let router = Router(context: AppRequestContext.self)
    let pages = try Pages(branding: server.branding, theme: server.theme)
    // The static answers (discovery, JWKS) come first, so that the middlewares below are not theirs: they are counted
    // by route as every request is, but they write no log line, so they need no request id or client address, and
    // they cannot fail, so they need no error page.
    let discovery = try (staticAnswers ?? StaticAnswers(server: server)).discovery
    discovery.registerStaticAnswers(on: router.group().add(middleware: MetricsMiddleware(metrics: server.metrics)))
    // Traced, when a tracer is configured: every request but the static answers, whose speed is their point.
    if let tracer = server.traces.tracer { router.add(middleware: RequestTracingMiddleware(tracer: tracer)) }
    router.add(middleware: RequestFrameMiddleware(proxies: trustedProxies, random: server.random,
                                                  errorPages: ErrorPages(pages: pages, logger: server.logger),
                                                  logo: pages.brand.logoOrigin.map(ServerLogoPolicy.init),
                                                  metrics: server.metrics))
    let operations = OperationsEndpoints(outbox: server.outbox, readiness: server.readiness, metrics: server.metrics)
    if withMetrics { operations.registerMetrics(on: router) }
    discovery.register(on: router)
    AuthorizeEndpoint(authorization: server.authorization, capabilities: server.capabilities, cookies: server.cookies,
                      random: server.random, loginLifetime: server.policy.loginLifetime, logger: server.logger,
                      metrics: server.metrics, pages: pages).register(on: router)
    let login = LoginEndpoints(signIn: server.signIn, passkeys: server.passkeys, policy: server.policy,
                               cookies: server.cookies, csrf: server.csrf, metrics: server.metrics, pages: pages,
                               traces: server.traces)
    login.register(on: router)
    PasskeyEndpoints(passkeys: server.passkeys, signIn: server.signIn, logger: server.logger, login: login).register(on: router)
    PasskeyEnrollmentEndpoints(passkeys: server.passkeys, authorization: server.authorization, cookies: server.cookies,
                               csrf: server.csrf, pages: pages, logger: server.logger).register(on: router)
    AccountEndpoints(passkeys: server.passkeys, selfService: server.selfService, policy: server.policy, cookies: server.cookies,
                     csrf: server.csrf, pages: pages).register(on: router)
    MagicLinkEndpoint(signIn: server.signIn, cookies: server.cookies, csrf: server.csrf, pages: pages,
                      login: login).register(on: router)
    NotMeEndpoint(signIn: server.signIn, csrf: server.csrf, pages: pages).register(on: router)
    PasskeyNotMeEndpoint(passkeys: server.passkeys, csrf: server.csrf, pages: pages).register(on: router)
    let tokenEndpoints = TokenEndpoints(tokens: server.tokens, clients: server.clients, capabilities: server.capabilities,
                                        logger: server.logger, metrics: server.metrics, dpop: server.dpop, policy: server.policy,
                                        traces: server.traces)
    tokenEndpoints.register(on: router)
    PushedAuthorizationEndpoint(authorization: server.authorization, tokenEndpoints: tokenEndpoints,
                                capabilities: server.capabilities).register(on: router)
    UserInfoEndpoint(userInfo: server.tokens.userInfoService, dpop: server.dpop, issuer: server.policy.issuer).register(on: router)
    LogoutEndpoint(logout: server.logout, cookies: server.cookies, csrf: server.csrf, logger: server.logger, pages: pages)
        .register(on: router)
    operations.register(on: router)
    BrandEndpoints(clients: server.clients, branding: server.branding, theme: server.theme).register(on: router)
    AdminAPIEndpoints(accounts: server.accounts, clients: server.clients, access: server.tokens.adminAccess, logger: server.logger)
        .register(on: router)
    let console = AdminConsoleEndpoints(console: server.console, accounts: server.accounts, clients: server.clients,
                                        issuer: server.policy.issuer, cookies: server.cookies, csrf: server.csrf, random: server.random)
    console.register(on: router)
    AdminConsoleOperationsEndpoints(pages: console, operations: server.adminOperations).register(on: router)
    AdminAPIOperationsEndpoints(operations: server.adminOperations, access: server.tokens.adminAccess, logger: server.logger)
        .register(on: router)
    LogintooAPIEndpoints(api: server.logintooAPI, readiness: server.readiness, logger: server.logger,
                         metrics: server.metrics).register(on: router)
    if let demo = server.demoClientId {
        DemoEndpoints(issuer: server.policy.issuer, clientId: demo).register(on: router)
        DemoAPIEndpoints(issuer: server.policy.issuer, keys: server.keys, clock: server.clock, random: server.random)
            .register(on: router)
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
    let operations = OperationsEndpoints(outbox: server.outbox, readiness: server.readiness, metrics: server.metrics)
    operations.registerHealth(on: router)
    operations.registerMetrics(on: router)
    return router
}
