import Hummingbird
import Logging
import LogintooCore

/// `GET /authorize`: validates the request, then goes back to the client, or on to the login page.
struct AuthorizeEndpoint {
    let authorization: AuthorizationService
    /// What the request is checked against, as discovery publishes it.
    let capabilities: ServerCapabilities
    let cookies: CookieNames
    let random: any RandomSource
    /// How long the browser-binding cookie lives: as long as a sign-in may take.
    let loginLifetime: Int64
    let logger: Logger
    let metrics: ServerMetrics
    let pages: Pages

    func register(on router: Router<AppRequestContext>) {
        router.get("/authorize") { request, _ in try await handle(request) }
    }

    func handle(_ request: Request) async throws -> Response {
        guard let parameters = request.queryPairs else {
            return Reply.html(pages.message(request.words(), "broken"), status: .badRequest)
        }
        var setCookies: [String] = []
        let browser: String
        if let existing = request.cookie(cookies.browser) {
            browser = existing
        } else {
            browser = random.token(bytes: 32)
            setCookies.append(cookies.setCookie(cookies.browser, value: browser, maxAge: loginLifetime))
        }
        let decision = try await authorization.authorize(
            parameters: parameters, sessionHash: request.cookie(cookies.session).map(SecretDigest.sha256),
            browserHash: SecretDigest.sha256(browser), capabilities: capabilities
        )
        switch decision {
        case .redirect(let location):
            return Reply.seeOther(location, cookies: setCookies)
        case .errorPage(let message):
            logger.notice("authorize refused without redirect", metadata: ["reason": "\(message)"])
            let words = request.words(uiLocales: parameters.first { $0.0 == "ui_locales" }?.1)
            return Reply.html(pages.message(words, "refused", detail: message), status: .badRequest)
        case .signIn(let login):
            metrics.signIn(.started)
            return Reply.seeOther("/login?tx=\(URLQuery.escape(login.id))", cookies: setCookies)
        }
    }
}
