import Hummingbird
import Logging
import LogintooCore
import LogintooTraces

/// `/token`, `/revoke` and `/introspect`: form posts from clients, answered in JSON. Which grants and client
/// authentication methods each accepts comes from the server's `ServerCapabilities`, as discovery publishes them.
struct TokenEndpoints {
    let clients: ClientRegistry
    /// The grants the capabilities enable, by `grant_type`.
    let grants: GrantRegistry
    let revocation: RevocationService
    let introspection: IntrospectionService
    let capabilities: ServerCapabilities
    let logger: Logger
    let metrics: ServerMetrics
    /// DPoP proofs (RFC 9449) at `/token`, checked for the issuer's token endpoint URL, and who must send them.
    let dpop: DPoPProofs
    let policy: Policy
    let traces: Traces

    init(tokens: TokenService, clients: ClientRegistry, capabilities: ServerCapabilities, logger: Logger, metrics: ServerMetrics,
         dpop: DPoPProofs, policy: Policy, traces: Traces) {
        (self.clients, self.capabilities, self.logger, self.metrics) = (clients, capabilities, logger, metrics)
        (self.dpop, self.policy, self.traces) = (dpop, policy, traces)
        grants = tokens.grants.restricted(to: capabilities.grantTypes)
        (revocation, introspection) = (tokens.revocation, tokens.introspection)
    }

    func register(on router: Router<AppRequestContext>) {
        let capabilities = self.capabilities
        router.post("/token") { request, _ in
            let proofs = request.headers[values: .dpop]
            var response = await respond(request, accepting: capabilities.tokenEndpointAuthMethods, at: "the token endpoint") {
                form, client in try await token(form, client, proofs: proofs)
            }
            response.headers.append(contentsOf: dpop.nonceHeaders())
            return response
        }
        router.post("/revoke") { request, _ in
            await respond(request, accepting: capabilities.revocationEndpointAuthMethods, at: "revocation", handler: revoke)
        }
        router.post("/introspect") { request, _ in
            await respond(request, accepting: capabilities.introspectionEndpointAuthMethods, at: "introspection",
                          handler: introspect)
        }
        for path in ["/token", "/revoke"] {
            router.on(RouterPath(path), method: .options) { request, _ in try await TokenCORS.preflight(request, clients: clients) }
        }
    }

    /// Reads the form, authenticates the client by one of the `accepted` methods, runs the handler, and turns every failure
    /// into an RFC 6749 §5.2 answer.
    func respond(_ request: Request, accepting accepted: [ClientAuthenticationMethod], at endpoint: String,
                 handler: (FormBody, Client) async throws -> Response) async -> Response {
        let origin = request.headers[.origin]
        var client: Client?
        do {
            let form: FormBody
            do { form = try await FormBody.read(request) } catch {
                throw OAuthError.invalidRequest("the body must be application/x-www-form-urlencoded, at most 16 KiB")
            }
            if let repeated = form.repeated { throw OAuthError.invalidRequest("\(repeated) is given more than once") }
            let credentials = try ClientAuthentication.credentials(request, form: form)
            let authenticated = try await clients.authenticate(credentials)
            client = authenticated
            try ServerCapabilities.check(credentials.method, acceptedBy: accepted, endpoint: endpoint)
            var response = try await handler(form, authenticated)
            response.headers.append(contentsOf: TokenCORS.headers(origin: origin, allowed: originAllowed(origin, client)))
            return response
        } catch let error as OAuthError {
            if error.code == .invalidGrant || error.code == .invalidClient {
                logger.notice("token endpoint refused", metadata: ["error": "\(error)", "client": "\(client?.id ?? "-")"])
            }
            return Reply.oauthError(error, headers: TokenCORS.headers(origin: origin, allowed: originAllowed(origin, client)))
        } catch let error as StoreUnavailable {
            logger.error("token endpoint: database unavailable", metadata: ["error": "\(error)"])
            return Reply.oauthError(OAuthError(.temporarilyUnavailable, "the server is busy; try again in a moment"))
        } catch {
            logger.error("token endpoint failed", metadata: ["error": "\(String(reflecting: error))"])
            return Reply.oauthError(OAuthError(.serverError, "the server could not complete the request"))
        }
    }

    func originAllowed(_ origin: String?, _ client: Client?) -> Bool {
        guard let origin, let client else { return false }
        return client.allowedOrigins.contains(origin)
    }

    /// RFC 6749 §4.1.3 and §6: the registry picks the grant's handler, which runs the grant's checks; a DPoP proof among
    /// `proofs` (RFC 9449 §5) binds the tokens to its key.
    func token(_ form: FormBody, _ client: Client, proofs: [String]) async throws -> Response {
        // The console exchanges its codes in-process; its grant is its session, never a token a caller holds.
        guard client.id != AdminConsole.clientId else {
            throw OAuthError(.unauthorizedClient, "the admin console's client gets no tokens here")
        }
        let grant = try grants.handler(for: form["grant_type"])
        let proofKey: String?
        do {
            proofKey = try await dpop.proofKey(proofs, method: "POST", url: policy.issuer + "/token")
        } catch let failure as DPoPFailure {
            throw failure.oauthError
        }
        // Named by the grant type (`token.refresh_token`…), a fixed word from the registry, never the request's text.
        let issued = try await traces.span("token.\(grant.grantType)", attributes: ["oauth.client_id": client.id]) {
            try await grant.issue(form, client: client, proofKey: proofKey)
        }
        metrics.tokensIssued(grant: grant.grantType)
        return Reply.noStoreJSON(issued.response)
    }

    func revoke(_ form: FormBody, _ client: Client) async throws -> Response {
        guard let token = form["token"] else { throw OAuthError.invalidRequest("token is missing") }
        try await revocation.revoke(token: token, client: client)
        logger.info("token revocation", metadata: ["client": "\(client.id)"])
        return Response(status: .ok, headers: [.cacheControl: "no-store", .contentLength: "0"])
    }

    func introspect(_ form: FormBody, _ client: Client) async throws -> Response {
        guard let token = form["token"] else { throw OAuthError.invalidRequest("token is missing") }
        return try Reply.noStoreJSON(try await introspection.introspect(token: token, asker: client))
    }
}

extension FormBody: TokenRequestParameters {}
