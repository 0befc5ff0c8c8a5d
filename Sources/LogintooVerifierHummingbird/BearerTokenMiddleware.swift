import Foundation
import Hummingbird
import LogintooVerifier

/// Authenticates `Authorization: Bearer` requests with an `AccessTokenVerifier` and checks required scopes, answering as
/// RFC 6750 §3 says: 401 with `WWW-Authenticate: Bearer` when the token is missing or invalid, 403 `insufficient_scope`
/// when a scope is missing. Handlers behind it read `context.accessToken`.
public struct BearerTokenMiddleware<Context: AccessTokenRequestContext>: RouterMiddleware {
    /// Verifies the bearer token of each request.
    public let verifier: AccessTokenVerifier
    /// The scopes every token must carry on the guarded routes.
    public let requiredScopes: [String]
    /// The `realm` of the `WWW-Authenticate` challenge.
    public let realm: String

    public init(verifier: AccessTokenVerifier, requiredScopes: [String] = [], realm: String = "api") {
        self.verifier = verifier
        self.requiredScopes = requiredScopes
        self.realm = realm
    }

    /// Answers the challenge itself, or passes the request on with `context.accessToken` set.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let values = request.headers[values: .authorization]
        guard values.count <= 1, let header = values.first else { return challenge(status: .unauthorized, error: nil) }
        guard header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            return challenge(status: .unauthorized, error: ("invalid_request", "use the Bearer scheme"))
        }
        let token: VerifiedAccessToken
        do {
            token = try await verifier.verify(String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
        } catch {
            return challenge(status: .unauthorized, error: ("invalid_token", error.description))
        }
        if let missing = requiredScopes.first(where: { !token.hasScope($0) }) {
            return challenge(status: .forbidden, error: ("insufficient_scope", "the \(missing) scope is required"))
        }
        var context = context
        context.accessToken = token
        return try await next(request, context)
    }

    func challenge(status: HTTPResponse.Status, error: (code: String, description: String)?) -> Response {
        var value = "Bearer realm=\"\(realm)\""
        if let error {
            value += ", error=\"\(error.code)\", error_description=\"\(error.description.replacingOccurrences(of: "\"", with: "'"))\""
        }
        if status == .forbidden, !requiredScopes.isEmpty { value += ", scope=\"\(requiredScopes.joined(separator: " "))\"" }
        let body = #"{"error":"\#(error?.code ?? "unauthorized")"}"#
        return Response(status: status, headers: [.wwwAuthenticate: value, .contentType: "application/json", .cacheControl: "no-store"],
                        body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
