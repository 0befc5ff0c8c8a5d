import Hummingbird
import LogintooCore

/// `POST /par` (RFC 9126): a client pushes its authorization request over the back channel and gets a one-time
/// `request_uri` to send the browser to `/authorize` with. The client authenticates as at `/token`, and a refusal is a
/// JSON OAuth error, never a redirect (RFC 9126 §2.3).
struct PushedAuthorizationEndpoint {
    let authorization: AuthorizationService
    /// Reads the form and authenticates the client exactly as the token endpoint does.
    let tokenEndpoints: TokenEndpoints
    let capabilities: ServerCapabilities

    func register(on router: Router<AppRequestContext>) {
        let clients = tokenEndpoints.clients
        router.post("/par") { request, _ in
            let proofs = request.headers[values: .dpop]
            var response = await tokenEndpoints.respond(request, accepting: capabilities.tokenEndpointAuthMethods,
                                                        at: "the pushed authorization request endpoint") {
                form, client in try await push(form, client, proofs: proofs)
            }
            response.headers.append(contentsOf: tokenEndpoints.dpop.nonceHeaders())
            return response
        }
        router.on("/par", method: .options) { request, _ in try await TokenCORS.preflight(request, clients: clients) }
    }

    /// RFC 9126 §2.2: `201` with the `request_uri` and its lifetime. A DPoP proof among `proofs` binds the code to its key,
    /// as `dpop_jkt` does (RFC 9449 §10.1); both must then name the same key.
    func push(_ form: FormBody, _ client: Client, proofs: [String]) async throws -> Response {
        var parameters = form.values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let proofKey: String?
        do {
            proofKey = try await tokenEndpoints.dpop.proofKey(proofs, method: "POST", url: tokenEndpoints.policy.issuer + "/par")
        } catch let failure as DPoPFailure {
            throw failure.oauthError
        }
        if let proofKey {
            if let named = form["dpop_jkt"], named != proofKey {
                throw OAuthError(.invalidDPoPProof, "dpop_jkt names another key than the DPoP proof's")
            }
            parameters = parameters.filter { $0.0 != "dpop_jkt" } + [("dpop_jkt", proofKey)]
        }
        let pushed = try await authorization.push(parameters, client: client, capabilities: capabilities)
        return try Reply.noStoreJSON(Answer(request_uri: pushed.requestURI, expires_in: pushed.expiresIn), status: .created)
    }

    struct Answer: Encodable {
        let request_uri: String
        let expires_in: Int64
    }
}
