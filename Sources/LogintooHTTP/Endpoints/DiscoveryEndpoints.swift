import Foundation
import Hummingbird
import LogintooAPICompatibility
import LogintooCore

/// OpenID Connect Discovery, RFC 8414 metadata and the JWKS, rendered once at start (the JWKS again when the keys
/// change) as `StaticAnswer`s. What the server supports comes from `ServerCapabilities`, the value the endpoints
/// validate against, so the document cannot drift from behaviour.
struct DiscoveryEndpoints: Sendable {
    let metadata: StaticAnswer
    let jwks: JWKSAnswer

    init(issuer: String, capabilities supported: ServerCapabilities, keys: KeyRingSource) throws {
        let document: [String: DiscoveryValue] = [
            "issuer": .string(issuer),
            "authorization_endpoint": .string(issuer + "/authorize"),
            "token_endpoint": .string(issuer + "/token"),
            "userinfo_endpoint": .string(issuer + "/userinfo"),
            "jwks_uri": .string(issuer + "/.well-known/jwks.json"),
            "revocation_endpoint": .string(issuer + "/revoke"),
            "introspection_endpoint": .string(issuer + "/introspect"),
            "end_session_endpoint": .string(issuer + "/logout"),
            "pushed_authorization_request_endpoint": .string(issuer + "/par"),
            "require_pushed_authorization_requests": .bool(supported.requirePushedAuthorizationRequests),
            "scopes_supported": .strings(supported.scopes),
            "response_types_supported": .strings(supported.responseTypes),
            "response_modes_supported": .strings(supported.responseModes),
            "grant_types_supported": .strings(supported.grantTypes),
            "subject_types_supported": .strings(supported.subjectTypes),
            "id_token_signing_alg_values_supported": .strings(supported.signingAlgorithms),
            "token_endpoint_auth_methods_supported": .strings(supported.tokenEndpointAuthMethods.map(\.rawValue)),
            "revocation_endpoint_auth_methods_supported": .strings(supported.revocationEndpointAuthMethods.map(\.rawValue)),
            "introspection_endpoint_auth_methods_supported": .strings(supported.introspectionEndpointAuthMethods.map(\.rawValue)),
            "code_challenge_methods_supported": .strings(supported.codeChallengeMethods),
            "claims_supported": .strings(supported.claims),
            "prompt_values_supported": .strings(supported.promptValues),
            "ui_locales_supported": .strings(supported.uiLocales),
            "acr_values_supported": .strings(supported.acrValues),
            "dpop_signing_alg_values_supported": .strings(supported.dpopSigningAlgorithms),
            "authorization_response_iss_parameter_supported": .bool(true),
            "request_parameter_supported": .bool(false),
            "request_uri_parameter_supported": .bool(false),
            "claims_parameter_supported": .bool(false),
            "frontchannel_logout_supported": .bool(false),
            "backchannel_logout_supported": .bool(true),
            "backchannel_logout_session_supported": .bool(true),
        ]
        metadata = StaticAnswer(body: try Reply.encoder.encode(document), contentType: "application/json")
        jwks = JWKSAnswer(keys: keys)
    }

    /// The metadata at both well-known addresses and the JWKS at its two (`/.well-known/jwks.json` and the Logintoo
    /// API's `/2026-06/jwks`).
    static let metadataPaths = ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"]
    static let jwksPaths = ["/.well-known/jwks.json", "/\(LogintooAPI.Version.v2026_06.rawValue)/jwks"]

    /// The answer at exactly `path` (no query), if it is one of the paths above, with that path as the table spells it
    /// (a constant, where a copy of `path` would be a new string each time).
    func answer(at path: Substring) -> (path: String, answer: StaticAnswer)? {
        if let known = Self.metadataPaths.first(where: { $0 == path }) { return (known, metadata) }
        if let known = Self.jwksPaths.first(where: { $0 == path }) { return (known, jwks.answer) }
        return nil
    }

    /// The paths above on `routes`, which `buildRouter` gives only the middleware these answers need.
    func registerStaticAnswers(on routes: RouterGroup<AppRequestContext>) {
        let metadata = self.metadata, jwks = self.jwks
        for path in Self.metadataPaths { routes.get(RouterPath(path)) { request, _ in metadata.response(to: request) } }
        for path in Self.jwksPaths { routes.get(RouterPath(path)) { request, _ in jwks.response(to: request) } }
    }

    /// The OpenAPI document and the CORS preflights of the static answers.
    func register(on router: Router<AppRequestContext>) {
        let cached: HTTPFields = [.cacheControl: StaticAnswer.cacheControl, .accessControlAllowOrigin: "*"]
        let openAPI = Data(OpenAPIDocument.json.utf8)
        router.get("/openapi.json") { _, _ in Reply.json(openAPI, headers: cached) }
        for path in ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server", "/.well-known/jwks.json"] {
            router.on(RouterPath(path), method: .options) { _, _ in
                Response(status: .noContent, headers: [.accessControlAllowOrigin: "*", .accessControlAllowMethods: "GET",
                                                        .accessControlMaxAge: "600"])
            }
        }
    }
}

/// A metadata value: a string, a list of strings or a flag.
enum DiscoveryValue: Encodable {
    case string(String)
    case strings([String])
    case bool(Bool)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let value): try container.encode(value)
        case .strings(let value): try container.encode(value)
        case .bool(let value): try container.encode(value)
        }
    }
}
