import Hummingbird
import LogintooCore

/// `/token`, `/revoke` and `/introspect`: form posts from clients, answered in JSON.
struct TokenEndpoints {
    let server: ServerContext

    func register(on router: Router<AppRequestContext>) {
        router.post("/token") { request, _ in await respond(request, handler: token) }
        router.post("/revoke") { request, _ in await respond(request, handler: revoke) }
        router.post("/introspect") { request, _ in await respond(request, handler: introspect) }
        for path in ["/token", "/revoke"] {
            router.on(RouterPath(path), method: .options) { request, _ in try await TokenCORS.preflight(request, server: server) }
        }
    }

    /// Reads the form, authenticates the client, runs the handler, and turns every failure into an RFC 6749 §5.2 answer.
    func respond(_ request: Request, handler: (FormBody, Client) async throws -> Response) async -> Response {
        let origin = request.headers[.origin]
        var client: Client?
        do {
            let form: FormBody
            do { form = try await FormBody.read(request) } catch {
                throw OAuthError.invalidRequest("the body must be application/x-www-form-urlencoded, at most 16 KiB")
            }
            if let repeated = form.repeated { throw OAuthError.invalidRequest("\(repeated) is given more than once") }
            let credentials = try ClientAuthentication.credentials(request, form: form)
            let authenticated = try await server.clients.authenticate(credentials)
            client = authenticated
            var response = try await handler(form, authenticated)
            response.headers.append(contentsOf: TokenCORS.headers(origin: origin, allowed: originAllowed(origin, client)))
            return response
        } catch let error as OAuthError {
            if error.code == .invalidGrant || error.code == .invalidClient {
                server.logger.notice("token endpoint refused", metadata: ["error": "\(error)", "client": "\(client?.id ?? "-")"])
            }
            return Reply.oauthError(error, headers: TokenCORS.headers(origin: origin, allowed: originAllowed(origin, client)))
        } catch let error as StoreUnavailable {
            server.logger.error("token endpoint: database unavailable", metadata: ["error": "\(error)"])
            return Reply.oauthError(OAuthError(.temporarilyUnavailable, "the server is busy; try again in a moment"))
        } catch {
            server.logger.error("token endpoint failed", metadata: ["error": "\(String(reflecting: error))"])
            return Reply.oauthError(OAuthError(.serverError, "the server could not complete the request"))
        }
    }

    func originAllowed(_ origin: String?, _ client: Client?) -> Bool {
        guard let origin, let client else { return false }
        return client.allowedOrigins.contains(origin)
    }

    func token(_ form: FormBody, _ client: Client) async throws -> Response {
        let response: TokenResponse
        switch form["grant_type"] {
        case "authorization_code":
            response = try await server.tokens.exchangeCode(client: client, code: form["code"], redirectUri: form["redirect_uri"],
                                                           codeVerifier: form["code_verifier"], resource: form["resource"]).response
        case "refresh_token":
            response = try await server.tokens.refresh(client: client, refreshToken: form["refresh_token"], scope: form["scope"], resource: form["resource"]).response
        case nil:
            throw OAuthError.invalidRequest("grant_type is missing")
        default:
            throw OAuthError(.unsupportedGrantType, "supported grant types: authorization_code, refresh_token")
        }
        server.metrics.tokensIssued(grant: form["grant_type"] ?? "")
        return Reply.noStoreJSON(response)
    }

    func revoke(_ form: FormBody, _ client: Client) async throws -> Response {
        guard let token = form["token"] else { throw OAuthError.invalidRequest("token is missing") }
        try await server.tokens.revoke(token: token, client: client)
        server.logger.info("token revocation", metadata: ["client": "\(client.id)"])
        return Response(status: .ok, headers: [.cacheControl: "no-store", .contentLength: "0"])
    }

    func introspect(_ form: FormBody, _ client: Client) async throws -> Response {
        guard client.isConfidential else { throw OAuthError.invalidClient("introspection is for confidential clients only") }
        guard let token = form["token"] else { throw OAuthError.invalidRequest("token is missing") }
        return try Reply.noStoreJSON(try await server.tokens.introspect(token: token, asker: client))
    }
}
