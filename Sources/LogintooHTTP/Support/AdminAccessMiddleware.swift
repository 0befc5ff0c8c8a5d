import Hummingbird
import LogintooCore

/// In front of every admin API route: the request goes on only with a bearer token `AdminAccess` accepts, and the
/// handler finds its caller in the context. Anything else is `401 invalid_token` (RFC 6750 §3.1), changing nothing.
struct AdminAccessMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let access: AdminAccess

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization], header.hasPrefixIgnoringCase("bearer ") else {
            return Self.refusal("Bearer realm=\"logintoo-admin\"")
        }
        let token = header.dropFirst(7).trimmingOptionalWhitespace()
        let caller: AdminCaller?
        do {
            caller = token.utf8.count <= 4096 ? try await access.caller(accessToken: token) : nil
        } catch is StoreUnavailable {
            return AdminAPIEndpoints.problem("temporarily_unavailable", "the database is unavailable; nothing changed", .serviceUnavailable)
        }
        guard let caller else {
            return Self.refusal("Bearer realm=\"logintoo-admin\", error=\"invalid_token\"")
        }
        var context = context
        context.adminCaller = caller
        return try await next(request, context)
    }

    static func refusal(_ challenge: String) -> Response {
        var response = AdminAPIEndpoints.problem(
            "invalid_token", "an admin token is required: client_credentials with scope admin, from an admin client", .unauthorized)
        response.headers[.wwwAuthenticate] = challenge
        return response
    }
}
