import Hummingbird
import Logging
import LogintooCore

/// Signing in with a passkey at the login page: the page's script asks for options, lets the browser sign the challenge,
/// and posts the assertion; a sign-in that required a passkey can instead go back to the site (`/login/abandon`).
/// The script's posts carry the login form's CSRF token, and the browser cookie binds them to this browser's sign-in.
struct PasskeyEndpoints {
    let passkeys: PasskeyService
    let signIn: SignInService
    let logger: Logger
    /// The sign-in's continuation, CSRF check and completed-sign-in cookies, shared with the email and code forms.
    let login: LoginEndpoints

    func register(on router: Router<AppRequestContext>) {
        router.post("/login/passkey/options") { request, _ in try await options(request) }
        router.post("/login/passkey") { request, context in try await use(request, origin: request.sessionOrigin(context)) }
        router.post("/login/abandon") { request, _ in try await abandon(request) }
    }

    /// `{tx, csrf}`, and for the assertion its `credential`.
    struct Posted: Decodable {
        let tx: String
        let csrf: String
        let credential: PasskeyAssertionJSON?
    }

    /// Why a script's post was refused, as the `error` of its 400 (or 403) answer; the page shows its own message.
    enum Refusal: String {
        /// The sign-in is unknown, not this browser's, expired, or the post is not the page's own.
        case expired
        /// The passkey's checks failed; nothing changed.
        case refused
        case disabled
    }

    func refusal(_ refusal: Refusal, status: HTTPResponse.Status = .badRequest) throws -> Response {
        try Reply.noStoreJSON(["error": refusal.rawValue], status: status)
    }

    /// The posted sign-in, when it is this browser's and the post carries its login form's token.
    func posted(_ request: Request) async throws -> (LoginEndpoints.Continuation, Posted)? {
        guard let body = await JSONBody.read(Posted.self, from: request),
              let found = try await login.continuation(request, tx: body.tx),
              login.csrf.isValid(request, presented: body.csrf, purpose: "login", binding: found.browser + "|" + found.login.id)
        else { return nil }
        return (found, body)
    }

    func options(_ request: Request) async throws -> Response {
        guard let (found, _) = try await posted(request) else { return try refusal(.expired) }
        return try Reply.noStoreJSON(try await passkeys.authenticationOptions(found.open))
    }

    /// Checks the assertion; a passkey that signs in sets the cookies a code sets, and the script follows `redirect`.
    func use(_ request: Request, origin: SessionOrigin) async throws -> Response {
        guard let (found, body) = try await posted(request), let credential = body.credential else { return try refusal(.expired) }
        let outcome: PasskeyService.SignInOutcome
        do {
            outcome = try await passkeys.signIn(found.open, response: credential, origin: origin)
        } catch let failure as PasskeyService.Failure {
            logger.info("passkey sign-in refused", metadata: ["reason": "\(failure)"])
            return try refusal(.refused)
        }
        switch outcome {
        case .signedIn(let signedIn):
            return try Reply.noStoreJSON(["redirect": signedIn.redirect],
                                         headers: LoginEndpoints.settingCookies(login.completed(signedIn)))
        case .accountDisabled:
            return try refusal(.disabled, status: .forbidden)
        }
    }

    /// "Back to the site" from a sign-in that required a passkey: the client hears `unmet_authentication_requirements`.
    func abandon(_ request: Request) async throws -> Response {
        guard let (found, _) = try await login.posted(request) else { return login.expired(request) }
        return Reply.seeOther(try await signIn.abandon(found.open))
    }
}
