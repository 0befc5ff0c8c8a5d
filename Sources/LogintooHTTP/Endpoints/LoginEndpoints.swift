import HTTPTypes
import Hummingbird
import LogintooCore
import LogintooTraces

/// The hosted login pages: the email form, the code form, "send a new code" and "use another email"; a completed sign-in
/// continues to the client, or first to the passkey offer.
struct LoginEndpoints {
    let signIn: SignInService
    /// Only to ask whether a signed-in account may be offered a passkey.
    let passkeys: PasskeyService
    let policy: Policy
    let cookies: CookieNames
    let csrf: CSRF
    let metrics: ServerMetrics
    let pages: Pages
    let traces: Traces

    func register(on router: Router<AppRequestContext>) {
        router.get("/login") { request, _ in try await show(request) }
        router.post("/login/email") { request, context in try await submitEmail(request, clientIP: context.clientIP) }
        router.post("/login/code") { request, context in try await submitCode(request, origin: request.sessionOrigin(context)) }
        router.post("/login/resend") { request, context in try await resend(request, clientIP: context.clientIP) }
        router.post("/login/restart") { request, _ in try await restart(request) }
        router.get("/login/status") { request, _ in try await status(request) }
        router.post("/login/complete") { request, context in try await complete(request, origin: request.sessionOrigin(context)) }
    }

    /// The browser cookie and the login it may continue.
    struct Continuation {
        let browser: String
        /// The login and its client, read once for the request.
        let open: OpenLogin
        /// The login as the page shows it: without its address when the address typed in its place was refused.
        var login: LoginTransaction
        var client: Client { open.client }
        /// The person's language for this sign-in.
        let words: Words
        /// Whether the browser has a session cookie: the email page then links to the account page.
        var signedIn = false
    }

    func continuation(_ request: Request, tx: String?) async throws -> Continuation? {
        guard let tx, let browser = request.cookie(cookies.browser) else { return nil }
        guard let open = try? await signIn.open(loginId: tx, browserHash: SecretDigest.sha256(browser)) else { return nil }
        return Continuation(browser: browser, open: open, login: open.login, words: request.words(uiLocales: open.login.request.uiLocales),
                            signedIn: request.cookie(cookies.session) != nil)
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
        let pages = pages.branded(for: found.client)
        if found.login.request.requiresPhishingResistance {
            return pages.reply(pages.passkeyOnly(found.words, clientName: found.client.name, tx: found.login.id, csrf: token,
                                                error: error), status: status)
        }
        if let email = found.login.email, emailInput == nil {
            let digits = policy.codeDigits(for: found.client)
            return pages.reply(pages.code(found.words, clientName: found.client.name, tx: found.login.id, csrf: token, email: email,
                                         digits: digits, error: error, notice: notice,
                                         number: signIn.confirmationNumber(loginId: found.login.id)), status: status)
        }
        return pages.reply(pages.email(found.words, clientName: found.client.name, tx: found.login.id, csrf: token,
                                      email: emailInput ?? found.login.request.loginHint.flatMap { EmailAddress($0)?.value },
                                      error: error, signedIn: found.signedIn), status: status)
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
            try await sendCode(found, to: email, request: request, clientIP: clientIP)
        } catch SignInService.Failure.passkeyRequired {
            return page(found, error: found.words["page.passkey.required.error"], status: .badRequest)
        } catch SignInService.Failure.invalidEmail {
            var blank = found
            blank.login.email = nil
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

    func submitCode(_ request: Request, origin: SessionOrigin) async throws -> Response {
        guard let (found, form) = try await posted(request) else { return expired(request) }
        guard found.login.email != nil else { return page(found, error: nil) }
        let outcome = try await traces.span("sign-in.verify-code") {
            try await signIn.verifyCode(found.open, code: form["code"] ?? "", origin: origin)
        }
        switch outcome {
        case .signedIn(let signedIn):
            return try await self.signedIn(signedIn, request: request, form: form, words: found.words, client: found.client)
        case .wrongCode(let left):
            metrics.signIn(.failed)
            let error = left == 0 ? found.words["page.code.error.burned"] : found.words["page.code.error.wrong", ["left": String(left)]]
            return page(found, error: error, status: .badRequest)
        case .noLiveCode:
            return page(found, error: found.words["page.code.error.expired"], status: .badRequest)
        case .throttled:
            metrics.signIn(.failed)
            return page(found, error: found.words["page.code.error.throttled"], status: .tooManyRequests)
        case .malformed:
            return page(found, error: found.words["page.code.error.malformed"], status: .badRequest)
        case .accountDisabled:
            return disabled(found)
        }
    }

    /// Back to the client with the authorization code the sign-in issued, in its new session; the browser is known to the
    /// account from now on. A browser whose form said it can make a passkey (`passkey_capable`, set by the page's script)
    /// and that did not decline one is first offered one, when the account has none: the offer page keeps the code and
    /// continues with it renewed (`/login/continue`).
    /// `client`: the sign-in's client, when known, whose branding the offer shows.
    func signedIn(_ signedIn: SignedIn, request: Request, form: FormBody, words: Words, client: Client? = nil)
        async throws -> Response {
        let set = completed(signedIn)
        if form["passkey_capable"] == "1", request.cookie(cookies.passkeyDeclined) == nil,
           try await passkeys.offersEnrollment(accountId: signedIn.account.id) {
            let pages = client.map(pages.branded(for:)) ?? pages
            return pages.reply(pages.passkeyOffer(words, email: signedIn.account.email, code: signedIn.code,
                                                 csrf: csrf.sessionToken(for: signedIn.sessionToken)),
                              headers: Self.settingCookies(set))
        }
        return Reply.seeOther(signedIn.redirect, cookies: set)
    }

    /// Counts a completed sign-in and returns its cookies: the new session, the browser binding cleared, and the known-browser
    /// cookie.
    func completed(_ signedIn: SignedIn) -> [String] {
        metrics.signIn(.completed)
        var set = [
            cookies.setCookie(cookies.session, value: signedIn.sessionToken, maxAge: policy.sessionAbsoluteLifetime),
            cookies.clearCookie(cookies.browser),
        ]
        if let known = signedIn.knownBrowserToken {
            set.append(cookies.setCookie(cookies.knownBrowser, value: known, maxAge: policy.knownBrowserLifetime))
        }
        return set
    }

    /// `Set-Cookie` headers for a page or JSON answer (a redirect takes its cookies itself).
    static func settingCookies(_ cookies: [String]) -> HTTPFields {
        var headers = HTTPFields()
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return headers
    }

    /// Whether the emailed link was confirmed on another device, for the waiting page's script.
    func status(_ request: Request) async throws -> Response {
        let tx = request.uri.queryParameters["tx"].map(String.init)
        guard let found = try await continuation(request, tx: tx) else {
            return try Reply.noStoreJSON(["approved": false], status: .notFound)
        }
        let approved = try await signIn.isApproved(found.open)
        return try Reply.noStoreJSON(["approved": approved])
    }

    /// Finishes a sign-in approved on another device, in the browser that asked.
    func complete(_ request: Request, origin: SessionOrigin) async throws -> Response {
        guard let (found, form) = try await posted(request) else { return expired(request) }
        let outcome = try await signIn.completeApproved(found.open, origin: origin)
        switch outcome {
        case .signedIn(let signedIn)?:
            return try await self.signedIn(signedIn, request: request, form: form, words: found.words, client: found.client)
        case .accountDisabled?:
            return disabled(found)
        default:
            return page(found, error: nil)
        }
    }

    func resend(_ request: Request, clientIP: String) async throws -> Response {
        guard let (found, _) = try await posted(request) else { return expired(request) }
        guard let email = found.login.email else { return page(found, error: nil) }
        try await sendCode(found, to: email, request: request, clientIP: clientIP)
        return Reply.seeOther("/login?tx=\(URLQuery.escape(found.login.id))&sent=1")
    }

    /// Sends a code for the login (the first, or again), in the `sign-in.send-code` span.
    func sendCode(_ found: Continuation, to email: String, request: Request, clientIP: String) async throws {
        _ = try await traces.span("sign-in.send-code") {
            try await signIn.sendCode(found.open, email: email, clientIP: clientIP, userAgent: request.headers[.userAgent],
                                      acceptLanguage: request.headers[.acceptLanguage], credentials: credentials(request))
        }
    }

    /// "Use another email": the first address's code and link end, and the email form comes back.
    func restart(_ request: Request) async throws -> Response {
        guard let (found, _) = try await posted(request) else { return expired(request) }
        try await signIn.useAnotherEmail(found.open)
        return Reply.seeOther("/login?tx=\(URLQuery.escape(found.login.id))")
    }

    /// The cookies that may show this browser signed in before, for its own codes and budgets.
    func credentials(_ request: Request) -> BrowserCredentials {
        BrowserCredentials(knownBrowserToken: request.cookie(cookies.knownBrowser), sessionToken: request.cookie(cookies.session))
    }

    /// The account is disabled: said in the sign-in's branding.
    func disabled(_ found: Continuation) -> Response {
        let pages = pages.branded(for: found.client)
        return pages.reply(pages.message(found.words, "disabled"), status: .forbidden)
    }

    func expired(_ request: Request) -> Response {
        Reply.html(pages.message(request.words(), "expired"), status: .badRequest)
    }
}
