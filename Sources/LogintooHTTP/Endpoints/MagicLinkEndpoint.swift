import Hummingbird
import LogintooCore

/// The magic link of the sign-in email. A GET (a person, or a mail scanner's prefetch) shows a confirmation and changes
/// nothing; the person's POST signs in here when this is the browser that asked, and otherwise, with the number that
/// browser shows, lets the waiting browser finish by itself.
struct MagicLinkEndpoint {
    let signIn: SignInService
    let cookies: CookieNames
    let csrf: CSRF
    let pages: Pages
    /// Finishes a sign-in in the browser that asked, as the code form does.
    let login: LoginEndpoints

    func register(on router: Router<AppRequestContext>) {
        router.get("/login/link") { request, _ in try await confirm(request) }
        router.head("/login/link") { request, _ in try await confirm(request) }
        router.post("/login/link") { request, context in try await use(request, origin: request.sessionOrigin(context)) }
    }

    func browserHash(_ request: Request) -> String? {
        request.cookie(cookies.browser).map(SecretDigest.sha256)
    }

    func confirm(_ request: Request) async throws -> Response {
        guard let token = request.uri.queryParameters["t"].map(String.init),
              let target = try await signIn.linkTarget(token: token, browserHash: browserHash(request))
        else { return Reply.html(pages.message(request.words(), "link.invalid"), status: .notFound) }
        let words = request.words(uiLocales: target.login.request.uiLocales)
        let pages = pages.branded(for: target.client)
        return pages.reply(pages.link(words, token: token, clientName: target.client.name, email: target.email, askNumber: !target.sameBrowser))
    }

    func use(_ request: Request, origin: SessionOrigin) async throws -> Response {
        let words = request.words()
        guard let form = try? await FormBody.read(request), form.repeated == nil, csrf.isSameOrigin(request),
              let token = form["t"]
        else { return Reply.html(pages.message(words, "link.invalid"), status: .badRequest) }
        switch try await signIn.confirmLink(token: token, browserHash: browserHash(request), number: form["number"],
                                            origin: origin) {
        case .signedIn(let signedIn):
            return try await login.signedIn(signedIn, request: request, form: form, words: words)
        case .accountDisabled:
            return Reply.html(pages.message(words, "disabled"), status: .forbidden)
        case .approved:
            return Reply.html(pages.message(words, "link.approved"))
        case .wrongNumber:
            return Reply.html(pages.message(words, "link.wrong"), status: .badRequest)
        case .invalid:
            return Reply.html(pages.message(words, "link.invalid"), status: .badRequest)
        }
    }
}
