import Foundation
import Hummingbird
import LogintooCore

/// Reads a client's credentials from the Authorization header (client_secret_basic) or the form (client_secret_post, none).
enum ClientAuthentication {
    static func credentials(_ request: Request, form: FormBody) throws -> ClientRegistry.Credentials {
        if let header = request.headers[.authorization] {
            guard header.hasPrefixIgnoringCase("basic "),
                  let decoded = Data(base64Encoded: header.dropFirst(6).trimmingOptionalWhitespace()),
                  let pair = String(data: decoded, encoding: .utf8), let colon = pair.firstIndex(of: ":"),
                  let id = URLQuery.unescape(pair[..<colon]), let secret = URLQuery.unescape(pair[pair.index(after: colon)...]),
                  !id.isEmpty
            else { throw OAuthError.invalidClient("the Authorization header is not valid Basic client authentication") }
            guard form["client_secret"] == nil else {
                throw OAuthError.invalidRequest("use one client authentication method, not two")
            }
            if let formId = form["client_id"], formId != id { throw OAuthError.invalidRequest("client_id does not match") }
            return .basic(id: id, secret: secret)
        }
        guard let id = form["client_id"] else { throw OAuthError.invalidClient("client authentication is missing") }
        if let secret = form["client_secret"] { return .post(id: id, secret: secret) }
        return .none(id: id)
    }
}

/// CORS for the token and revocation endpoints: only origins registered by a client (never a reflected wildcard).
enum TokenCORS {
    static func headers(origin: String?, allowed: Bool) -> HTTPFields {
        guard let origin, allowed else { return [:] }
        return [.accessControlAllowOrigin: origin, .vary: "Origin"]
    }

    static func preflight(_ request: Request, clients: ClientRegistry) async throws -> Response {
        guard let origin = request.headers[.origin], try await clients.isAllowedOrigin(origin)
        else { return Response(status: .noContent, headers: [.vary: "Origin"]) }
        return Response(status: .noContent, headers: [
            .accessControlAllowOrigin: origin, .vary: "Origin", .accessControlAllowMethods: "POST",
            .accessControlAllowHeaders: "Authorization, Content-Type, DPoP", .accessControlMaxAge: "600",
        ])
    }
}
