import HTTPTypes
import Hummingbird
import LogintooCore

/// "Delete my account": the account page's button emails a code to the account's address and shows the form for it;
/// the right code erases the account and signs the browser out.
extension AccountEndpoints {
    func requestDeletion(_ request: Request) async throws -> Response {
        guard let (session, _) = await posted(request) else { return refused(request) }
        let words = request.words()
        let notice: String?
        switch try await selfService.requestDeletion(sessionToken: session, language: words.language) {
        case .sent: notice = nil
        case .tooSoon: notice = words["page.account.delete.toosoon"]
        case .signedOut: return refused(request)
        }
        return try await deletionPage(request, session: session, notice: notice)
    }

    func confirmDeletion(_ request: Request) async throws -> Response {
        guard let (session, form) = await posted(request) else { return refused(request) }
        let words = request.words()
        let error: String
        switch try await selfService.confirmDeletion(sessionToken: session, code: form["code"] ?? "") {
        case .erased: return signedOut(request, "account.deleted")
        case .signedOut: return refused(request)
        case .wrongCode(let left):
            error = left == 0 ? words["page.account.delete.error.burned"]
                : words["page.account.delete.error.wrong", ["left": String(left)]]
        case .noLiveCode: error = words["page.account.delete.error.expired"]
        case .malformed: error = words["page.account.delete.error.malformed", ["digits": String(policy.codeDigits)]]
        }
        return try await deletionPage(request, session: session, error: error, status: .badRequest)
    }

    func deletionPage(_ request: Request, session: String, error: String? = nil, notice: String? = nil,
                      status: HTTPResponse.Status = .ok) async throws -> Response {
        guard let account = try await selfService.account(sessionToken: session) else { return refused(request) }
        return Reply.html(pages.accountDeletion(request.words(), email: account.email, csrf: csrf.sessionToken(for: session),
                                                digits: policy.codeDigits, error: error, notice: notice), status: status)
    }
}
