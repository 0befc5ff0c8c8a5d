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
        router.get("/login/status") { request, _ in try await status(request) }
        router.post("/login/complete") { request, _ in try await complete(request) }
    }

    /// The browser cookie and the login it may continue.
    struct Continuation {
        let browser: String
        let login: LoginTransaction
        let client: Client
        /// The person's language for this sign-in.
        let words: Words
    }

    func continuation(_ request: Request, tx: String?) async throws -> Continuation? {
        guard let tx, let browser = request.cookie(server.cookies.browser) else { return nil }
        guard let login = try? await server.signIn.login(id: tx, browserHash: SecretDigest.sha256(browser)),
              let client = try await server.store.client(id: login.request.clientId)
        else { return nil }
        return Continuation(browser: browser, login: login, client: client, words: request.words(uiLocales: login.request.uiLocales))
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
        guard let found = try await continuation(request, tx: tx) else { return expired(request) }
        let notice = request.uri.queryParameters["sent"] != nil ? found.words["page.code.notice.sent"] : nil
        return page(found, error: nil, notice: notice)
    }

    func page(_ found: Continuation, error: String?, notice: String? = nil, status: HTTPResponse.Status = .ok,
              emailInput: String? = nil) -> Response {
        let token = csrf.token(purpose: "login", binding: found.browser + "|" + found.login.id)
        if let email = found.login.email, emailInput == nil {
            let digits = server.policy.codeDigits(for: found.client)
            return Reply.html(pages.code(found.words, clientName: found.client.name, tx: found.login.id, csrf: token, email: email,
                                         digits: digits, error: error, notice: notice,
                                         number: server.signIn.confirmationNumber(loginId: found.login.id)), status: status)
        }
        return Reply.html(pages.email(found.words, clientName: found.client.name, tx: found.login.id, csrf: token,
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
        guard let (found, form) = try await posted(request) else { return expired(request) }
        let email = form["email"] ?? ""
        do {
            _ = try await server.signIn.sendCode(loginId: found.login.id, browserHash: SecretDigest.sha256(found.browser),
                                                 email: email, clientIP: clientIP, userAgent: request.headers[.userAgent],
                                                 acceptLanguage: request.headers[.acceptLanguage], credentials: credentials(request))
        } catch SignInService.Failure.invalidEmail {
            let blank = Continuation(browser: found.browser, login: withoutEmail(found.login), client: found.client, words: found.words)
            return page(blank, error: found.words[Self.messageKey(EmailAddress.refusal(of: email) ?? .malformed)],
                        status: .badRequest, emailInput: email)
        }
        return Reply.seeOther("/login?tx=\(URLQuery.escape(found.login.id))")
    }

    /// The email form's message for why an address was refused.
    static func messageKey(_ refusal: EmailAddress.Refusal) -> String {
        switch refusal {
        case .empty: "page.email.error.empty"
        case .malformed: "page.email.error.invalid"
        case .invisibleCharacter: "page.email.error.invisible"
        case .nonASCIILocalPart: "page.email.error.local-ascii"
        case .unusableDomain: "page.email.error.domain"
        }
    }

    func submitCode(_ request: Request) async throws -> Response {
        guard let (found, form) = try await posted(request) else { return expired(request) }
        guard found.login.email != nil else { return page(found, error: nil) }
        let outcome: SignInService.VerifyOutcome
        do {
            outcome = try await server.signIn.verifyCode(
                loginId: found.login.id, browserHash: SecretDigest.sha256(found.browser), code: form["code"] ?? "")
        } catch SignInService.Failure.loginNotFound {
            return expired(request)
        }
        switch outcome {
        case .signedIn(let account, let token, let session):
            return try await signedIn(found.login, account: account, sessionToken: token, session: session)
        case .wrongCode(let left):
            server.metrics.signIn(.failed)
            let error = left == 0 ? found.words["page.code.error.burned"] : found.words["page.code.error.wrong", ["left": String(left)]]
            return page(found, error: error, status: .badRequest)
        case .noLiveCode:
            return page(found, error: found.words["page.code.error.expired"], status: .badRequest)
        case .throttled:
            server.metrics.signIn(.failed)
            return page(found, error: found.words["page.code.error.throttled"], status: .tooManyRequests)
        case .malformed:
            return page(found, error: found.words["page.code.error.malformed"], status: .badRequest)
        case .accountDisabled:
            return Reply.html(pages.message(found.words, "disabled"), status: .forbidden)
        }
    }

    /// Back to the client with an authorization code, in a new session; the browser is known to the account from now on.
    func signedIn(_ login: LoginTransaction, account: Account, sessionToken: String, session: Session) async throws -> Response {
        server.metrics.signIn(.completed)
        let location = try await server.authorization.issueCode(for: login.request, accountId: account.id, session: session)
        let known = try await server.signIn.rememberBrowser(accountId: account.id)
        return Reply.seeOther(location, cookies: [
            server.cookies.setCookie(server.cookies.session, value: sessionToken, maxAge: server.policy.sessionAbsoluteLifetime),
            server.cookies.clearCookie(server.cookies.browser),
            server.cookies.setCookie(server.cookies.knownBrowser, value: known, maxAge: server.policy.knownBrowserLifetime),
        ])
    }

    /// Whether the emailed link was confirmed on another device, for the waiting page's script.
    func status(_ request: Request) async throws -> Response {
        let tx = request.uri.queryParameters["tx"].map(String.init)
        guard let found = try await continuation(request, tx: tx) else {
            return try Reply.noStoreJSON(["approved": false], status: .notFound)
        }
        let approved = try await server.signIn.isApproved(loginId: found.login.id, browserHash: SecretDigest.sha256(found.browser))
        return try Reply.noStoreJSON(["approved": approved])
    }

    /// Finishes a sign-in approved on another device, in the browser that asked.
    func complete(_ request: Request) async throws -> Response {
        guard let (found, _) = try await posted(request) else { return expired(request) }
        let outcome = try await server.signIn.completeApproved(loginId: found.login.id, browserHash: SecretDigest.sha256(found.browser))
        switch outcome {
        case .signedIn(let account, let token, let session)?:
            return try await signedIn(found.login, account: account, sessionToken: token, session: session)
        case .accountDisabled?:
            return Reply.html(pages.message(found.words, "disabled"), status: .forbidden)
        default:
            return page(found, error: nil)
        }
    }

    func resend(_ request: Request, clientIP: String) async throws -> Response {
        guard let (found, _) = try await posted(request) else { return expired(request) }
        guard let email = found.login.email else { return page(found, error: nil) }
        _ = try await server.signIn.sendCode(loginId: found.login.id, browserHash: SecretDigest.sha256(found.browser), email: email,
                                             clientIP: clientIP, userAgent: request.headers[.userAgent],
                                             acceptLanguage: request.headers[.acceptLanguage], credentials: credentials(request))
        return Reply.seeOther("/login?tx=\(URLQuery.escape(found.login.id))&sent=1")
    }

    /// "Use another email": the first address's code and link end, and the email form comes back.
    func restart(_ request: Request) async throws -> Response {
        guard let (found, _) = try await posted(request) else { return expired(request) }
        try await server.signIn.useAnotherEmail(loginId: found.login.id, browserHash: SecretDigest.sha256(found.browser))
        return Reply.seeOther("/login?tx=\(URLQuery.escape(found.login.id))")
    }

    /// The cookies that may show this browser signed in before, for its own codes and budgets.
    func credentials(_ request: Request) -> BrowserCredentials {
        BrowserCredentials(knownBrowserToken: request.cookie(server.cookies.knownBrowser),
                           sessionToken: request.cookie(server.cookies.session))
    }

    func withoutEmail(_ login: LoginTransaction) -> LoginTransaction {
        var login = login
        login.email = nil
        return login
    }

    func expired(_ request: Request) -> Response {
        Reply.html(pages.message(request.words(), "expired"), status: .badRequest)
    }
}
