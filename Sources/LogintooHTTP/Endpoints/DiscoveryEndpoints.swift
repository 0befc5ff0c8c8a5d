import Foundation
import Hummingbird
import LogintooCore

/// OpenID Connect Discovery, RFC 8414 metadata and the JWKS, rendered once at start. What the server supports comes from
/// `ServerCapabilities`, the value the endpoints validate against, so the document cannot drift from behaviour.
struct DiscoveryEndpoints {
    let metadata: Data
    let keys: KeyRingSource

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
            "authorization_response_iss_parameter_supported": .bool(true),
            "request_parameter_supported": .bool(false),
            "request_uri_parameter_supported": .bool(false),
            "claims_parameter_supported": .bool(false),
            "frontchannel_logout_supported": .bool(false),
            "backchannel_logout_supported": .bool(false),
        ]
        metadata = try Reply.encoder.encode(document)
        self.keys = keys
    }

    func register(on router: Router<AppRequestContext>) {
        let metadata = self.metadata, keys = self.keys
        let cached: HTTPFields = [.cacheControl: "public, max-age=300", .accessControlAllowOrigin: "*"]
        router.get("/.well-known/openid-configuration") { _, _ in Reply.json(metadata, headers: cached) }
        router.get("/.well-known/oauth-authorization-server") { _, _ in Reply.json(metadata, headers: cached) }
        router.get("/.well-known/jwks.json") { _, _ in Reply.jwks(keys) }
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
