import Hummingbird
import Logging
import LogintooCore

/// Adding a passkey to the signed-in account, from the offer after an email sign-in, and continuing from that offer to the
/// client. Every post acts for the live session of the session cookie and carries that session's CSRF token.
struct PasskeyEnrollmentEndpoints {
    let passkeys: PasskeyService
    let authorization: AuthorizationService
    let cookies: CookieNames
    let csrf: CSRF
    let pages: Pages
    let logger: Logger

    func register(on router: Router<AppRequestContext>) {
        router.post("/passkeys/registration/options") { request, _ in try await options(request) }
        router.post("/passkeys/registration") { request, _ in try await add(request) }
        router.post("/login/continue") { request, _ in try await continueToClient(request) }
    }

    /// `{csrf}`, and for a new passkey its `credential`.
    struct Posted: Decodable {
        let csrf: String
        let credential: PasskeyRegistrationJSON?
    }

    /// The session cookie and the posted body, when the post carries that session's token.
    func posted(_ request: Request) async -> (session: String, body: Posted)? {
        guard let body = await JSONBody.read(Posted.self, from: request), let session = request.cookie(cookies.session),
              csrf.isValid(request, presented: body.csrf, purpose: "session", binding: session)
        else { return nil }
        return (session, body)
    }

    func refused(_ error: String) throws -> Response {
        try Reply.noStoreJSON(["error": error], status: .badRequest)
    }

    func options(_ request: Request) async throws -> Response {
        guard let (session, _) = await posted(request),
              let options = try await passkeys.registrationOptions(sessionToken: session)
        else { return try refused("expired") }
        return try Reply.noStoreJSON(options)
    }

    /// Checks the new credential against the session's ceremony and adds it: 201 with its name.
    func add(_ request: Request) async throws -> Response {
        guard let (session, body) = await posted(request), let credential = body.credential else { return try refused("expired") }
        do {
            let passkey = try await passkeys.register(sessionToken: session, response: credential,
                                                      userAgent: request.headers[.userAgent],
                                                      acceptLanguage: request.headers[.acceptLanguage])
            return try Reply.noStoreJSON(["name": passkey.name], status: .created)
        } catch let failure as PasskeyService.Failure {
            logger.info("passkey registration refused", metadata: ["reason": "\(failure)"])
            return try refused(failure == .noSession ? "expired" : "refused")
        }
    }

    /// On to the client from the offer, with a fresh code in place of the sign-in's (time spent on the offer never expires
    /// it); "Not now" (`choice=decline`) is remembered in this browser for `passkeyDeclinedLifetime`.
    func continueToClient(_ request: Request) async throws -> Response {
        guard let form = try? await FormBody.read(request), form.repeated == nil, let session = request.cookie(cookies.session),
              csrf.isValid(request, form: form, purpose: "session", binding: session), let code = form["code"],
              let redirect = try await authorization.renewCode(code, sessionToken: session)
        else { return Reply.html(pages.message(request.words(), "expired"), status: .badRequest) }
        let declined = form["choice"] == "decline"
            ? [cookies.setCookie(cookies.passkeyDeclined, value: "1", maxAge: CookieNames.passkeyDeclinedLifetime)] : []
        return Reply.seeOther(redirect, cookies: declined)
    }
}
