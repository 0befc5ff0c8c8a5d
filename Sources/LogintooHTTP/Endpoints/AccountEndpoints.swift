import Foundation
import Hummingbird
import LogintooCore

/// The person's own page: their passkeys (name, created, last used), to rename or remove; their sessions and the sites
/// they signed in to, to sign out of (`AccountEndpoints+Sessions`); and deleting the account (`AccountEndpoints+Deletion`).
/// It acts for the live session of the session cookie, and every form carries that session's CSRF token.
struct AccountEndpoints {
    let passkeys: PasskeyService
    let selfService: AccountSelfService
    let policy: Policy
    let cookies: CookieNames
    let csrf: CSRF
    let pages: Pages

    func register(on router: Router<AppRequestContext>) {
        router.get("/account") { request, _ in try await show(request) }
        router.post("/account/passkeys/rename") { request, _ in try await rename(request) }
        router.post("/account/passkeys/remove") { request, _ in try await remove(request) }
        router.post("/account/sessions/end") { request, _ in try await endSession(request) }
        router.post("/account/sessions/end-all") { request, _ in try await endEverySession(request) }
        router.post("/account/sites/sign-out") { request, _ in try await signOutOfSite(request) }
        router.post("/account/delete") { request, _ in try await requestDeletion(request) }
        router.post("/account/delete/confirm") { request, _ in try await confirmDeletion(request) }
    }

    func show(_ request: Request) async throws -> Response {
        guard let session = request.cookie(cookies.session), let overview = try await selfService.overview(sessionToken: session),
              let (_, list) = try await passkeys.passkeys(sessionToken: session)
        else { return refused(request) }
        let content = Pages.AccountContent(
            email: overview.account.email,
            passkeys: list.map { passkey in
                Pages.PasskeyRow(id: passkey.credentialId, name: passkey.name, created: Self.date(passkey.createdAt),
                                 lastUsed: passkey.lastUsedAt.map(Self.date))
            },
            sessions: overview.sessions.map { entry in
                Pages.SessionRow(id: entry.session.idHash, browser: entry.session.browser, network: entry.session.network,
                                 signedIn: Self.date(entry.session.authTime), lastSeen: Self.date(entry.session.lastSeenAt),
                                 thisBrowser: entry.isThisBrowser)
            },
            sites: overview.sites.map { Pages.SiteRow(id: $0.clientId, name: $0.name, signedIn: Self.date($0.signedInAt)) })
        return Reply.html(pages.account(request.words(), content, csrf: csrf.sessionToken(for: session)))
    }

    /// The session and the posted form, when the form carries that session's token.
    func posted(_ request: Request) async -> (session: String, form: FormBody)? {
        guard let form = try? await FormBody.read(request), form.repeated == nil, let session = request.cookie(cookies.session),
              csrf.isValid(request, form: form, purpose: "session", binding: session)
        else { return nil }
        return (session, form)
    }

    func rename(_ request: Request) async throws -> Response {
        guard let (session, form) = await posted(request), let id = form["id"], let name = form["name"] else {
            return refused(request)
        }
        guard try await passkeys.rename(sessionToken: session, credentialId: id, name: name) else { return notFound(request) }
        return Reply.seeOther("/account")
    }

    func remove(_ request: Request) async throws -> Response {
        guard let (session, form) = await posted(request), let id = form["id"] else { return refused(request) }
        guard try await passkeys.remove(sessionToken: session, credentialId: id) else { return notFound(request) }
        return Reply.seeOther("/account")
    }

    func refused(_ request: Request) -> Response {
        Reply.html(pages.message(request.words(), "account.signedout"), status: .forbidden)
    }

    func notFound(_ request: Request) -> Response {
        Reply.html(pages.message(request.words(), "notfound"), status: .notFound)
    }

    /// `2026-11-25 14:05 UTC`: unambiguous in every language, as the sign-in email writes times.
    static func date(_ seconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(seconds))
            .formatted(Date.ISO8601FormatStyle(dateTimeSeparator: .space, timeZone: .gmt).year().month().day()
                .dateTimeSeparator(.space).time(includingFractionalSeconds: false)).dropLast(3) + " UTC"
    }
}
