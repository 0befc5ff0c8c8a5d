import Hummingbird
import LogintooCore

/// `GET /authorize`: validates the request, then goes back to the client, or on to the login page.
struct AuthorizeEndpoint {
    let server: ServerContext
    let pages: Pages

    func register(on router: Router<AppRequestContext>) {
        router.get("/authorize") { request, _ in try await handle(request) }
    }

    func handle(_ request: Request) async throws -> Response {
        guard let parameters = request.queryPairs else {
            return Reply.html(pages.message(request.words(), "broken"), status: .badRequest)
        }
        var cookies: [String] = []
        let browser: String
        if let existing = request.cookie(server.cookies.browser) {
            browser = existing
        } else {
            browser = server.random.token(bytes: 32)
            cookies.append(server.cookies.setCookie(server.cookies.browser, value: browser, maxAge: server.policy.loginLifetime))
        }
        let decision = try await server.authorization.authorize(
            parameters: parameters, sessionHash: request.cookie(server.cookies.session).map(SecretDigest.sha256),
            browserHash: SecretDigest.sha256(browser), capabilities: server.capabilities
        )
        switch decision {
        case .redirect(let location):
            return Reply.seeOther(location, cookies: cookies)
        case .errorPage(let message):
            server.logger.notice("authorize refused without redirect", metadata: ["reason": "\(message)"])
            let words = request.words(uiLocales: parameters.first { $0.0 == "ui_locales" }?.1)
            return Reply.html(pages.message(words, "refused", detail: message), status: .badRequest)
        case .signIn(let login):
            server.metrics.signIn(.started)
            return Reply.seeOther("/login?tx=\(URLQuery.escape(login.id))", cookies: cookies)
        }
    }
}
