import Hummingbird
import LogintooCore

/// "This wasn't me", the link in every "passkey added" email: a GET (or a mail scanner's prefetch) only shows a
/// confirmation; the person's same-origin POST removes that passkey and ends every session of the account.
struct PasskeyNotMeEndpoint {
    let passkeys: PasskeyService
    let csrf: CSRF
    let pages: Pages

    func register(on router: Router<AppRequestContext>) {
        router.get("/passkeys/not-me") { request, _ in try await confirm(request) }
        router.head("/passkeys/not-me") { request, _ in try await confirm(request) }
        router.post("/passkeys/not-me") { request, _ in try await remove(request) }
    }

    func confirm(_ request: Request) async throws -> Response {
        let words = request.words()
        guard let token = request.uri.queryParameters["t"].map(String.init), let link = try await passkeys.notMeLink(token: token)
        else { return Reply.html(pages.message(words, "passkey.notme.invalid"), status: .notFound) }
        return Reply.html(pages.passkeyNotMe(words, token: token, link: link))
    }

    func remove(_ request: Request) async throws -> Response {
        let words = request.words()
        guard let form = try? await FormBody.read(request), form.repeated == nil, csrf.isSameOrigin(request),
              let token = form["t"], try await passkeys.notMe(token: token) != nil
        else { return Reply.html(pages.message(words, "passkey.notme.invalid"), status: .badRequest) }
        return Reply.html(pages.message(words, "passkey.notme.done"))
    }
}
