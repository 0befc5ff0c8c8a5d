import Hummingbird
import LogintooCore

/// "This wasn't me", the link in every sign-in email: a GET (or a mail scanner's prefetch) only shows a confirmation; the
/// person's POST cancels the mailbox's pending sign-ins and pauses its codes for an hour, for browsers that never signed
/// in to the account (the owner's known browsers still get codes).
struct NotMeEndpoint {
    let signIn: SignInService
    let csrf: CSRF
    let pages: Pages

    func register(on router: Router<AppRequestContext>) {
        router.get("/login/not-me") { request, _ in try await confirm(request) }
        router.head("/login/not-me") { request, _ in try await confirm(request) }
        router.post("/login/not-me") { request, _ in try await cancel(request) }
    }

    func confirm(_ request: Request) async throws -> Response {
        let words = request.words()
        guard let token = request.uri.queryParameters["t"].map(String.init),
              let email = try await signIn.cancelLinkEmail(token: token)
        else { return Reply.html(pages.message(words, "notme.invalid"), status: .notFound) }
        return Reply.html(pages.notMe(words, token: token, email: email))
    }

    func cancel(_ request: Request) async throws -> Response {
        let words = request.words()
        guard let form = try? await FormBody.read(request), form.repeated == nil, csrf.isSameOrigin(request),
              let token = form["t"], try await signIn.cancelSignIns(token: token) != nil
        else { return Reply.html(pages.message(words, "notme.invalid"), status: .badRequest) }
        return Reply.html(pages.message(words, "notme.done"))
    }
}
