import Hummingbird
import Logging
import LogintooCore

/// Turns an unexpected failure into a generic page (fail closed, nothing leaked), and logs the detail; a route that
/// does not exist gets the "not found" page. A client error (`HTTPError` below 500) is the endpoint's answer, and goes
/// on as it is.
struct ErrorPages: Sendable {
    let pages: Pages
    let logger: Logger

    func answer(_ error: any Error, to request: Request) throws -> Response {
        if let error = error as? HTTPError {
            if error.status == .notFound { return Reply.html(pages.message(request.words(), "notfound"), status: .notFound) }
            if error.status.code < 500 { throw error }
        }
        logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
        return Reply.html(pages.message(request.words(), "error"), status: .serviceUnavailable)
    }
}
