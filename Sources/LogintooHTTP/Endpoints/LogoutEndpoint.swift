import HTTPTypes
import Logging
import Hummingbird
import LogintooCore

/// RP-initiated logout: decodes the request, lets `LogoutService` decide, and renders its outcome. A link ends the session
/// without asking only when its `id_token_hint` was made for this browser's session; otherwise the person confirms with a
/// CSRF-protected form first, so a third-party page cannot sign them out.
struct LogoutEndpoint {
    let logout: LogoutService
    let cookies: CookieNames
    let csrf: CSRF
    let logger: Logger
    let pages: Pages

    func register(on router: Router<AppRequestContext>) {
        router.get("/logout") { request, _ in try await handleGet(request) }
        router.post("/logout") { request, _ in try await handlePost(request) }
    }

    func handleGet(_ request: Request) async throws -> Response {
        guard let pairs = request.queryPairs else { return refused(request) }
        let form = FormBody(pairs: pairs)
        guard form.repeated == nil else { return refused(request) }
        return try await respond(request, form: form, csrfValid: nil)
    }

    func handlePost(_ request: Request) async throws -> Response {
        guard let form = try? await FormBody.read(request), form.repeated == nil else { return refused(request) }
        let session = request.cookie(cookies.session)
        let csrfValid = csrf.isValid(request, form: form, purpose: "logout", binding: session)
        return try await respond(request, form: form, csrfValid: csrfValid)
    }

    func respond(_ request: Request, form: FormBody, csrfValid: Bool?) async throws -> Response {
        let session = request.cookie(cookies.session)
        let outcome = try await logout.logout(LogoutService.Request(
            sessionCookie: session, idTokenHint: form["id_token_hint"], clientId: form["client_id"],
            postLogoutRedirectUri: form["post_logout_redirect_uri"], state: form["state"], confirmationCSRFValid: csrfValid))
        switch outcome {
        case .refused:
            return refused(request)
        case .ask(let destination):
            guard let session else { return refused(request) }
            return Reply.html(pages.logoutConfirm(
                request.words(), csrf: csrf.token(purpose: "logout", binding: session), clientName: destination.client?.name,
                clientId: destination.client?.id, postLogoutRedirectUri: destination.postLogoutRedirectUri,
                state: destination.state))
        case .signedOut(let destination, let ended):
            if ended { logger.info("signed out; session grants revoked") }
            return signedOut(request, destination)
        }
    }

    /// The signed-out answer; it clears the session cookie only when the request carried one, so an answer to a request
    /// made without the person's cookies (from another site) never touches them.
    func signedOut(_ request: Request, _ destination: LogoutService.Destination) -> Response {
        let clear = request.cookie(cookies.session) == nil ? [] : [cookies.clearCookie(cookies.session)]
        if let uri = destination.postLogoutRedirectUri {
            let location = destination.state.map { URLQuery.append([("state", $0)], to: uri) } ?? uri
            return Reply.seeOther(location, cookies: clear)
        }
        var response = Reply.html(pages.message(request.words(), "signedout"))
        for cookie in clear { response.headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return response
    }

    func refused(_ request: Request) -> Response {
        Reply.html(pages.message(request.words(), "logout.refused"), status: .badRequest)
    }
}
