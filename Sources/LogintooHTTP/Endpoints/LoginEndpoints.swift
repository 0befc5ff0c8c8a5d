import Hummingbird
import LogintooCore

/// The hosted login pages: the email form, the code form, "send a new code" and "use another email".
struct LoginEndpoints {
    let server: ServerContext
    let pages: Pages
    var csrf: CSRF { CSRF(server: server) }

    func register(on router: Router<AppRequestContext>) {
        router.get("/login") { request, _ in try await show(request) }
        router.post("/login/email") { request, context in try await submitEmail(request, clientIP: context.clientIP) }
        router.post("/login/code") { request, _ in try await submitCode(request) }
        router.post("/login/resend") { request, context in try await resend(request, clientIP: context.clientIP) }
        router.post("/login/restart") { request, _ in try await restart(request) }
    }

    /// The browser cookie and the login it may continue.
    struct Continuation {
        let browser: String
        let login: LoginTransaction
        let client: Client
    }

    func continuation(_ request: Request, tx: String?) async throws -> Continuation? {
        guard let tx, let browser = request.cookie(server.cookies.browser) else { return nil }
        guard let login = try? await server.signIn.login(id: tx, browserHash: SecretDigest.sha256(browser)),
              let client = try await server.store.client(id: login.request.clientId)
        else { return nil }
        return Continuation(browser: browser, login: login, client: client)
    }

    /// The original Logintoo login page took the authorization request itself as its query (`client_id`, `redirect_uri`,
    /// `state`, `code_challenge`, `language`, ...): such a URL continues at the authorization endpoint, which validates it
    /// and shows this server's login page.
    static func logintooLoginPageRedirect(_ request: Request) -> Response? {
        guard request.uri.queryParameters["client_id"] != nil, let query = request.uri.query else { return nil }
        return Reply.seeOther("/authorize?" + query)
    }

    func show(_ request: Request) async throws -> Response {
        if let login = Self.logintooLoginPageRedirect(request) { return login }
        let tx = request.uri.queryParameters["tx"].map(String.init)
        guard let found = try await continuation(request, tx: tx) else { return expired() }
        let notice = request.uri.queryParameters["sent"] != nil ? "We sent a new code. Use the newest one." : nil
        return page(found, error: nil, notice: notice)
    }

    func page(_ found: Continuation, error: String?, notice: String? = nil, status: HTTPResponse.Status = .ok,
              emailInput: String? = nil) -> Response {
        let token = csrf.token(purpose: "login", binding: found.browser + "|" + found.login.id)
        if let email = found.login.email, emailInput == nil {
            let digits = server.policy.codeDigits(for: found.client)
            return Reply.html(pages.code(clientName: found.client.name, tx: found.login.id, csrf: token, email: email, digits: digits,
                                         error: error, notice: notice), status: status)
        }
        return Reply.html(pages.email(clientName: found.client.name, tx: found.login.id, csrf: token,
                                      email: emailInput ?? found.login.request.loginHint.flatMap { EmailAddress($0)?.value },
                                      error: error), status: status)
    }

    /// Reads a posted login form and checks its CSRF token; `nil` when the login cannot continue.
    func posted(_ request: Request) async throws -> (Continuation, FormBody)? {
        guard let form = try? await FormBody.read(request), form.repeated == nil,
              let found = try await continuation(request, tx: form["tx"]),
              csrf.isValid(request, form: form, purpose: "login", binding: found.browser + "|" + found.login.id)
        else { return nil }
        return (found, form)
    }

    func submitEmail(_ request: Request, clientIP: String) async throws -> Response {
        guard let (found, form) = try await posted(request) else { return expired() }
        let email = form["email"] ?? ""
        do {
            _ = try await server.signIn.sendCode(loginId: found.login.id, browserHash: SecretDigest.sha256(found.browser),
                                                 email: email, clientIP: clientIP)
        } catch SignInService.Failure.invalidEmail {
            let blank = Continuation(browser: found.browser, login: withoutEmail(found.login), client: found.client)
            return page(blank, error: email.isEmpty ? "Enter your email address." : "Enter an email address like name@example.com.",
                        status: .badRequest, emailInput: email)
        }
        return Reply.seeOther("/login?tx=\(URLQuery.escape(found.login.id))")
    }

    func submitCode(_ request: Request) async throws -> Response {
        guard let (found, form) = try await posted(request) else { return expired() }
        guard found.login.email != nil else { return page(found, error: nil) }
        let outcome: SignInService.VerifyOutcome
        do {
            outcome = try await server.signIn.verifyCode(
                loginId: found.login.id, browserHash: SecretDigest.sha256(found.browser), code: form["code"] ?? "")
        } catch SignInService.Failure.loginNotFound {
            return expired()
        }
        switch outcome {
        case .signedIn(let account, let token, let session):
            server.metrics.signIn(.completed)
            let location = try await server.authorization.issueCode(for: found.login.request, accountId: account.id, session: session)
            return Reply.seeOther(location, cookies: [
                server.cookies.setCookie(server.cookies.session, value: token, maxAge: server.policy.sessionAbsoluteLifetime),
                server.cookies.clearCookie(server.cookies.browser),
            ])
        case .wrongCode(let left):
            server.metrics.signIn(.failed)
            let error = left == 0 ? "That code is not right, and it cannot be tried again. Send a new code."
                : "That code is not right. \(left) \(left == 1 ? "try" : "tries") left."
            return page(found, error: error, status: .badRequest)
        case .noLiveCode:
            return page(found, error: "This code has expired or was replaced by a newer one. Send a new code.", status: .badRequest)
        case .throttled:
            server.metrics.signIn(.failed)
            return page(found, error: "Too many wrong codes. Wait a few minutes, then try again.", status: .tooManyRequests)
        case .malformed:
            return page(found, error: "Enter the code from the email: digits only.", status: .badRequest)
        case .accountDisabled:
            return Reply.html(pages.message(heading: "This account is disabled",
                                            message: "Contact the site's owner if you think this is a mistake."), status: .forbidden)
        }
    }

    func resend(_ request: Request, clientIP: String) async throws -> Response {
        guard let (found, _) = try await posted(request) else { return expired() }
        guard let email = found.login.email else { return page(found, error: nil) }
        _ = try await server.signIn.sendCode(loginId: found.login.id, browserHash: SecretDigest.sha256(found.browser), email: email,
                                             clientIP: clientIP)
        return Reply.seeOther("/login?tx=\(URLQuery.escape(found.login.id))&sent=1")
    }

    func restart(_ request: Request) async throws -> Response {
        guard let (found, _) = try await posted(request) else { return expired() }
        try await server.store.saveLogin(withoutEmail(found.login))
        return Reply.seeOther("/login?tx=\(URLQuery.escape(found.login.id))")
    }

    func withoutEmail(_ login: LoginTransaction) -> LoginTransaction {
        var login = login
        login.email = nil
        return login
    }

    func expired() -> Response {
        Reply.html(pages.message(heading: "This sign-in has expired",
                                 message: "For your safety, a sign-in page works only for a while and only in the browser "
                                    + "that opened it. Go back to the site and choose \u{201C}Sign in\u{201D} again."),
                   status: .badRequest)
    }
}
