import Foundation
import HTTPTypes
import Hummingbird
import LogintooVerifier

/// Authenticates requests with an `AccessTokenVerifier` and checks required scopes, answering as RFC 6750 §3 says: 401
/// with `WWW-Authenticate` when the token is missing or invalid, 403 `insufficient_scope` when a scope is missing.
/// Handlers behind it read `context.accessToken`.
///
/// A DPoP-bound token (RFC 9449) is accepted only with the `DPoP` scheme and a proof by its key for this request
/// (`DPoPProofVerifier`); presented as a Bearer token it is refused, since whoever copied it lacks the key. A Bearer
/// token presented with the `DPoP` scheme is refused too.
public struct BearerTokenMiddleware<Context: AccessTokenRequestContext>: RouterMiddleware {
    /// Verifies the token of each request.
    public let verifier: AccessTokenVerifier
    /// The scopes every token must carry on the guarded routes.
    public let requiredScopes: [String]
    /// The `realm` of the `WWW-Authenticate` challenge.
    public let realm: String
    /// Checks the proofs of DPoP-bound tokens.
    public let dpop: DPoPProofVerifier
    /// The scheme, host and port clients address this API at (`https://api.example.com`), which proofs name in `htu`.
    /// Set it: with `nil` the origin is taken from the request's `Host` (https except on loopback), so a proof made for
    /// another deployment that accepts the same tokens would pass here too, and behind a proxy that rewrites the host
    /// every proof fails.
    public let publicOrigin: String?

    public init(verifier: AccessTokenVerifier, requiredScopes: [String] = [], realm: String = "api",
                dpop: DPoPProofVerifier = DPoPProofVerifier(), publicOrigin: String? = nil) {
        self.verifier = verifier
        self.requiredScopes = requiredScopes
        self.realm = realm
        self.dpop = dpop
        self.publicOrigin = publicOrigin.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    }

    /// Answers the challenge itself, or passes the request on with `context.accessToken` set.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let values = request.headers[values: .authorization]
        guard values.count <= 1, let header = values.first else { return challenge(status: .unauthorized, error: nil) }
        guard let (usesDPoP, presented) = Self.credentials(header) else {
            return challenge(status: .unauthorized, error: ("invalid_request", "use the Bearer or DPoP scheme"))
        }
        let token: VerifiedAccessToken
        do {
            token = try await verifier.verify(presented)
        } catch {
            return challenge(status: .unauthorized, error: ("invalid_token", error.description), dpop: usesDPoP)
        }
        if token.dpopKeyThumbprint != nil || usesDPoP {
            if let refusal = checkProof(request, token: token, presented: presented, usesDPoP: usesDPoP) { return refusal }
        }
        if let missing = requiredScopes.first(where: { !token.hasScope($0) }) {
            return challenge(status: .forbidden, error: ("insufficient_scope", "the \(missing) scope is required"),
                             dpop: token.dpopKeyThumbprint != nil)
        }
        var context = context
        context.accessToken = token
        return try await next(request, context)
    }

    /// The refusal of a DPoP-bound token without its proof, or of a Bearer token sent with the DPoP scheme; `nil` when the
    /// proof checks out.
    func checkProof(_ request: Request, token: VerifiedAccessToken, presented: String, usesDPoP: Bool) -> Response? {
        guard token.dpopKeyThumbprint != nil else {
            return challenge(status: .unauthorized, error: ("invalid_token", DPoPError.notBound.description), dpop: true)
        }
        guard usesDPoP else {
            return challenge(status: .unauthorized, error: ("invalid_token", "the access token is DPoP-bound: use the DPoP scheme"),
                             dpop: true)
        }
        let proofs = request.headers[values: HTTPField.Name("DPoP")!]
        guard proofs.count == 1, let url = url(of: request) else {
            return challenge(status: .unauthorized, error: ("invalid_dpop_proof", "send one DPoP proof"), dpop: true)
        }
        do throws(DPoPError) {
            try dpop.verify(proofs[0], for: token, accessToken: presented, method: request.method.rawValue, url: url)
        } catch {
            let code = error == .wrongKey ? "invalid_token" : "invalid_dpop_proof"
            return challenge(status: .unauthorized, error: (code, error.description), dpop: true)
        }
        return nil
    }

    /// The request's URL as the client addressed it, without the query.
    func url(of request: Request) -> String? {
        if let publicOrigin { return publicOrigin + request.uri.path }
        guard let host = request.head.authority else { return nil }
        let loopback = ["localhost", "127.0.0.1", "[::1]"].contains { host == $0 || host.hasPrefix($0 + ":") }
        return (loopback ? "http://" : "https://") + host + request.uri.path
    }

    /// Whether the `Authorization` header uses the DPoP scheme, and its token.
    static func credentials(_ header: String) -> (usesDPoP: Bool, token: String)? {
        for (prefix, dpop) in [("bearer ", false), ("dpop ", true)] where header.count > prefix.count
            && header.prefix(prefix.count).lowercased() == prefix {
            let token = String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
            return token.isEmpty ? nil : (dpop, token)
        }
        return nil
    }

    func challenge(status: HTTPResponse.Status, error: (code: String, description: String)?, dpop: Bool = false) -> Response {
        var value = dpop ? "DPoP algs=\"\(DPoPProofVerifier.algorithms.joined(separator: " "))\"" : "Bearer realm=\"\(realm)\""
        if let error {
            value += ", error=\"\(error.code)\", error_description=\"\(error.description.replacingOccurrences(of: "\"", with: "'"))\""
        }
        if status == .forbidden, !requiredScopes.isEmpty { value += ", scope=\"\(requiredScopes.joined(separator: " "))\"" }
        let body = #"{"error":"\#(error?.code ?? "unauthorized")"}"#
        var headers: HTTPFields = [.wwwAuthenticate: value, .contentType: "application/json", .cacheControl: "no-store"]
        if error == nil { headers.append(HTTPField(name: .wwwAuthenticate, value: "DPoP algs=\"\(DPoPProofVerifier.algorithms.joined(separator: " "))\"")) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
