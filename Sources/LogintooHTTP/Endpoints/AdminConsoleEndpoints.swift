import Foundation
import Hummingbird
import LogintooCore
import LogintooTemplates
import Mustache

/// The admin console at `/admin`: server-rendered pages over the same account operations as the admin API. It signs in
/// through this server like any client (`AdminConsole`): `/admin` without a console session starts the authorization
/// code flow with PKCE (the verifier in a short-lived cookie, the state derived from it), `/admin/callback` exchanges
/// the code. Every form carries the console session's CSRF token.
struct AdminConsoleEndpoints {
    let console: AdminConsole
    let accounts: AccountAdministration
    let clients: ClientRegistry
    let issuer: String
    let cookies: CookieNames
    let csrf: CSRF
    let random: any RandomSource
    let library: MustacheLibrary

    init(console: AdminConsole, accounts: AccountAdministration, clients: ClientRegistry, issuer: String, cookies: CookieNames,
         csrf: CSRF, random: any RandomSource) {
        (self.console, self.accounts, self.clients, self.issuer) = (console, accounts, clients, issuer)
        (self.cookies, self.csrf, self.random) = (cookies, csrf, random)
        // Compiled into the binary: a syntax error is a programming error.
        self.library = try! TemplateLibrary.make(
            ["layout": AdminConsoleTemplates.layout, "accounts": AdminConsoleTemplates.accounts,
             "account": AdminConsoleTemplates.account, "audit": AdminConsoleTemplates.audit,
             "message": AdminConsoleTemplates.message]
                .merging(AdminConsoleOperationsTemplates.all, uniquingKeysWith: { $1 }))
    }

    /// The console session's cookie, and the sign-in flow's (the PKCE verifier, for 10 minutes).
    var sessionCookie: String { cookies.secure ? "__Host-logintoo-admin" : "logintoo-admin" }
    var flowCookie: String { cookies.secure ? "__Host-logintoo-admin-flow" : "logintoo-admin-flow" }
    var redirectURI: String { issuer + AdminConsole.callbackPath }

    func register(on router: Router<AppRequestContext>) {
        router.get("/admin") { request, _ in try await signedIn(request) { caller, session in try await home(request, caller, session) } }
        router.get("/admin/callback") { request, _ in try await callback(request) }
        router.get("/admin/accounts/{id}") { request, context in
            try await signedIn(request) { caller, session in
                try await account(try context.parameters.require("id"), caller, session,
                                  notice: request.uri.queryParameters["done"].map(Self.notice))
            }
        }
        for action in ["disable", "enable", "erase", "sessions/end", "grants/revoke"] {
            router.post(RouterPath("/admin/accounts/{id}/\(action)")) { request, context in
                try await posted(request) { caller, form in try await act(action, try context.parameters.require("id"), form, caller) }
            }
        }
        router.get("/admin/audit") { request, _ in try await signedIn(request) { caller, session in try await audit(request, caller, session) } }
        router.post("/admin/logout") { request, _ in try await signOut(request) }
    }

    // MARK: signing in

    /// Runs `page` for the console's admin; without one, starts the sign-in.
    func signedIn(_ request: Request, _ page: (AdminCaller, String) async throws -> String) async throws -> Response {
        guard let session = request.cookie(sessionCookie), let caller = try await console.caller(sessionToken: session) else {
            return startSignIn()
        }
        return Reply.html(try await page(caller, session))
    }

    func startSignIn() -> Response {
        let verifier = random.token(bytes: 32)
        let query = URLQuery.encode([
            ("response_type", "code"), ("client_id", AdminConsole.clientId), ("redirect_uri", redirectURI),
            ("scope", AdminConsole.scope), ("state", state(of: verifier)), ("code_challenge", PKCE.challenge(for: verifier)),
            ("code_challenge_method", "S256"), ("max_age", String(AdminConsole.sessionLifetime)),
        ])
        return Reply.seeOther("/authorize?" + query, cookies: [cookies.setCookie(flowCookie, value: verifier, maxAge: 600)])
    }

    /// The `state` of a flow: bound to its verifier, so a callback from another flow, or another browser, fails.
    func state(of verifier: String) -> String { csrf.token(purpose: "admin-flow", binding: verifier) }

    func callback(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        guard let verifier = request.cookie(flowCookie), let code = query["code"], let state = query["state"],
              SecretDigest.constantTimeEquals(String(state), self.state(of: verifier))
        else { return message("The sign-in did not finish", "It was started elsewhere, or took too long.", .badRequest) }
        let clearFlow = cookies.clearCookie(flowCookie)
        switch try await console.completeSignIn(code: String(code), verifier: verifier, redirectUri: redirectURI) {
        case .admin(let session, _):
            return Reply.seeOther("/admin", cookies: [clearFlow, cookies.setCookie(sessionCookie, value: session,
                                                                                  maxAge: AdminConsole.sessionLifetime)])
        case .notAdmin:
            var response = message("Not an administrator", "This account may not use the admin console.", .forbidden)
            response.headers[values: .setCookie].append(clearFlow)
            return response
        case .refused:
            return message("The sign-in did not finish", "The code was used or expired.", .badRequest)
        }
    }

    func signOut(_ request: Request) async throws -> Response {
        guard let form = try? await FormBody.read(request), form.repeated == nil, let session = request.cookie(sessionCookie),
              csrf.isValid(request, form: form, purpose: "admin", binding: session)
        else { return message("Not signed out", "The form was not this console's.", .forbidden) }
        try await console.signOut(sessionToken: session)
        return Reply.seeOther("/", cookies: [cookies.clearCookie(sessionCookie)])
    }

    // MARK: pages

    func render(_ template: String, title: String, caller: AdminCaller, session: String, notice: String? = nil,
                _ values: [String: Any]) async throws -> String {
        var values = values
        values["csrf"] = csrf.token(purpose: "admin", binding: session)
        let content = library.render(values, withTemplate: template) ?? ""
        var admin = caller.clientId
        if let id = caller.accountId, let account = try await accounts.account(id: id) { admin = account.email }
        var frame: [String: Any] = ["title": title, "content": content, "admin": admin, "csrf": values["csrf"]!]
        if let notice { frame["notice"] = notice }
        return library.render(frame, withTemplate: "layout") ?? content
    }

    func message(_ title: String, _ text: String, _ status: HTTPResponse.Status) -> Response {
        Reply.html(library.render(["title": title, "text": text], withTemplate: "message") ?? title, status: status)
    }

    func home(_ request: Request, _ caller: AdminCaller, _ session: String) async throws -> String {
        let query = request.uri.queryParameters["q"].map(String.init)
        var values: [String: Any] = ["query": query ?? ""]
        if let query, query.utf8.count <= 320 {
            values["searched"] = true
            values["accounts"] = try await accounts.search(prefix: query).map { summary in
                ["id": summary.account.id, "email": summary.account.email,
                 "state": summary.account.disabledAt == nil ? "active" : "disabled",
                 "lastSignIn": summary.lastSignInAt.map(Self.date) ?? "none kept"]
            }
        }
        return try await render("accounts", title: "Accounts", caller: caller, session: session,
                                notice: request.uri.queryParameters["done"].map(Self.notice), values)
    }

    func account(_ id: String, _ caller: AdminCaller, _ session: String, notice: String? = nil) async throws -> String {
        guard let details = try await accounts.details(id: id) else { throw HTTPError(.notFound) }
        let account = details.summary.account
        let names = Dictionary(try await clients.all().map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let values: [String: Any] = [
            "id": account.id, "email": account.email, "created": Self.date(account.createdAt),
            "state": account.disabledAt == nil ? "active" : "disabled", "disabled": account.disabledAt != nil,
            "hasSessions": !details.sessions.isEmpty,
            "sessions": details.sessions.map { ["id": $0.idHash, "accountId": account.id, "signedIn": Self.date($0.authTime),
                                                "lastSeen": Self.date($0.lastSeenAt),
                                                "method": SignInMethod.amr(stored: $0.amr).joined(separator: " ")] },
            "grants": details.grants.map { ["id": $0.id, "accountId": account.id, "client": names[$0.clientId] ?? $0.clientId,
                                            "scope": $0.scope, "created": Self.date($0.createdAt)] },
            "passkeys": details.passkeys.map { ["name": $0.name, "created": Self.date($0.createdAt)] },
            "events": details.recentEvents.map(Self.event),
        ]
        return try await render("account", title: account.email, caller: caller, session: session, notice: notice, values)
    }

    func audit(_ request: Request, _ caller: AdminCaller, _ session: String) async throws -> String {
        let query = request.uri.queryParameters
        guard (["account", "client", "kind", "before"] as [Substring]).allSatisfy({ (query[$0]?.utf8.count ?? 0) <= 256 }) else {
            throw HTTPError(.badRequest)
        }
        let account = query["account"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        var filter = AuditFilter()
        if let account { filter = try await accounts.auditFilter(accountId: account) }
        filter.clientId = query["client"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        filter.kind = query["kind"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let before = query["before"].flatMap { AuditCursor(text: $0) }
        let limit = 50
        let records = try await accounts.audit(filter, before: before, limit: limit)
        var values: [String: Any] = ["account": account ?? "", "client": filter.clientId ?? "", "kind": filter.kind ?? "",
                                     "events": records.map(Self.event)]
        if records.count == limit, let last = records.last {
            values["next"] = URLQuery.encode([("account", account ?? ""), ("client", filter.clientId ?? ""),
                                              ("kind", filter.kind ?? ""), ("before", AuditCursor.text(after: last))])
        }
        return try await render("audit", title: "Audit trail", caller: caller, session: session, values)
    }

    // MARK: actions

    /// Runs a form's action for the console's admin, when the form carries the console session's token.
    func posted(_ request: Request, _ action: (AdminCaller, FormBody) async throws -> Response) async throws -> Response {
        guard let form = try? await FormBody.read(request), form.repeated == nil, let session = request.cookie(sessionCookie),
              csrf.isValid(request, form: form, purpose: "admin", binding: session)
        else { return message("Not done", "The form was not this console's, or the console session ended. Nothing changed.", .forbidden) }
        guard let caller = try await console.caller(sessionToken: session) else {
            return message("Not done", "The console session ended. Nothing changed.", .forbidden)
        }
        return try await action(caller, form)
    }

    func act(_ action: String, _ id: String, _ form: FormBody, _ caller: AdminCaller) async throws -> Response {
        let back = "/admin/accounts/" + URLQuery.escape(id)
        switch action {
        case "disable":
            guard try await accounts.disable(id: id, actor: caller.actor) != nil else { throw HTTPError(.notFound) }
            return Reply.seeOther(back + "?done=disabled")
        case "enable":
            guard try await accounts.enable(id: id, actor: caller.actor) else { throw HTTPError(.notFound) }
            return Reply.seeOther(back + "?done=enabled")
        case "erase":
            guard form["confirm"] == "erase" else { return message("Not erased", "Tick the box to confirm. Nothing changed.", .badRequest) }
            guard try await accounts.erase(id: id, actor: caller.actor) != nil else { throw HTTPError(.notFound) }
            return Reply.seeOther("/admin?done=erased")
        case "sessions/end":
            guard try await accounts.endSessions(accountId: id, sessionHash: form["session"], actor: caller.actor) != nil else {
                throw HTTPError(.notFound)
            }
            return Reply.seeOther(back + "?done=sessions")
        default:
            guard try await accounts.revokeGrants(accountId: id, grantId: form["grant"], actor: caller.actor) != nil else {
                throw HTTPError(.notFound)
            }
            return Reply.seeOther(back + "?done=grants")
        }
    }

    static func notice(_ done: Substring) -> String {
        switch done {
        case "disabled": "Disabled: every session and site sign-in of this account is ended."
        case "enabled": "Enabled: the person can sign in again."
        case "erased": "Erased."
        case "sessions": "Sessions ended."
        default: "Sign-ins revoked."
        }
    }

    static func event(_ record: AuditRecord) -> [String: String] {
        ["kind": record.kind, "at": date(record.at), "detail": record.detail ?? "", "email": record.email ?? "",
         "client": record.clientId ?? ""]
    }

    static func date(_ time: Int64) -> String { AccountEndpoints.date(time) }
}
