import Hummingbird
import LogintooCore

/// The account page's sign-outs: one session, every session, one site. A session or site posted by a form is looked
/// for among the signed-in account's own, so another person's is never found; ending this browser's own session
/// clears its cookie.
extension AccountEndpoints {
    func endSession(_ request: Request) async throws -> Response {
        guard let (session, form) = await posted(request), let id = form["session"] else { return refused(request) }
        return answer(try await selfService.endSession(sessionToken: session, sessionHash: id), request)
    }

    func endEverySession(_ request: Request) async throws -> Response {
        guard let (session, _) = await posted(request), try await selfService.endEverySession(sessionToken: session) else {
            return refused(request)
        }
        return signedOut(request, "account.ended")
    }

    func signOutOfSite(_ request: Request) async throws -> Response {
        guard let (session, form) = await posted(request), let client = form["client"] else { return refused(request) }
        return answer(try await selfService.signOut(ofClient: client, sessionToken: session), request)
    }

    func answer(_ ending: AccountSelfService.Ending, _ request: Request) -> Response {
        switch ending {
        case .ended(thisBrowser: false): Reply.seeOther("/account")
        case .ended(thisBrowser: true): signedOut(request, "account.ended")
        case .notFound: notFound(request)
        case .signedOut: refused(request)
        }
    }

    /// The page `page.KEY.*` for a browser whose session is over, with its session cookie cleared.
    func signedOut(_ request: Request, _ key: String) -> Response {
        Reply.html(pages.message(request.words(), key),
                   headers: LoginEndpoints.settingCookies([cookies.clearCookie(cookies.session)]))
    }
}
