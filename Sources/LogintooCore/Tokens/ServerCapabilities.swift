/// What this server supports, stated once: request validation checks against it and discovery (OpenID Connect Discovery
/// 1.0 §3, RFC 8414 §2) publishes it, so the metadata cannot promise what the endpoints refuse, or hide what they accept.
public struct ServerCapabilities: Sendable, Equatable {
    /// `grant_type` values the token endpoint serves; a grant left out here is refused as `unsupported_grant_type`.
    public var grantTypes: [String]
    /// `response_type` values of the authorization endpoint.
    public var responseTypes: [String]
    /// How the authorization response is returned.
    public var responseModes: [String]
    /// How clients may authenticate at `/token`.
    public var tokenEndpointAuthMethods: [ClientAuthenticationMethod]
    /// How clients may authenticate at `/revoke`.
    public var revocationEndpointAuthMethods: [ClientAuthenticationMethod]
    /// How clients may authenticate at `/introspect`: confidential clients only (RFC 7662 §2.1).
    public var introspectionEndpointAuthMethods: [ClientAuthenticationMethod]
    /// PKCE methods (RFC 7636).
    public var codeChallengeMethods: [String]
    /// Scope values the server grants.
    public var scopes: [String]
    /// Claims the tokens and userinfo may carry.
    public var claims: [String]
    /// `prompt` values the authorization endpoint understands.
    public var promptValues: [String]
    /// Languages of the hosted pages and emails (`ui_locales`).
    public var uiLocales: [String]
    /// Algorithms the ID tokens (and access tokens) are signed with.
    public var signingAlgorithms: [String]
    /// Subject identifier types (OpenID Connect Core §8).
    public var subjectTypes: [String]
    /// `acr` values a client may ask for (`acr_values`): `phr`, a passkey sign-in.
    public var acrValues: [String]
    /// Algorithms DPoP proofs may be signed with (RFC 9449 §5.1).
    public var dpopSigningAlgorithms: [String] = DPoPProofs.algorithms
    /// Whether every client must push its authorization requests to `/par` first (RFC 9126 §5), the operator's setting.
    public var requirePushedAuthorizationRequests = false

    /// Everything this server implements: the grants of `grants`, tokens signed with `signingAlgorithm`.
    public static func standard(grants: GrantRegistry, signingAlgorithm: SigningAlgorithm) -> ServerCapabilities {
        let withSecret: [ClientAuthenticationMethod] = [.clientSecretBasic, .clientSecretPost]
        return ServerCapabilities(
            grantTypes: grants.grantTypes, responseTypes: ["code"], responseModes: ["query"],
            tokenEndpointAuthMethods: [.none] + withSecret, revocationEndpointAuthMethods: [.none] + withSecret,
            introspectionEndpointAuthMethods: withSecret, codeChallengeMethods: ["S256"],
            scopes: Scope.all,
            claims: ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "amr", "acr", "at_hash", "azp", "email",
                     "email_verified"],
            promptValues: ["none", "login", "consent", "select_account"], uiLocales: Translations.languages,
            signingAlgorithms: [signingAlgorithm.rawValue], subjectTypes: ["public"], acrValues: [SignInMethod.phishingResistant])
    }

    /// The standard values, for checks that read neither the grants nor the algorithm (the authorization request's).
    public static let builtIn = ServerCapabilities.standard(grants: GrantRegistry([]), signingAlgorithm: .rs256)

    /// Refuses (`invalid_client`) a client that authenticated with `method` at an endpoint that accepts only `accepted`.
    public static func check(_ method: ClientAuthenticationMethod, acceptedBy accepted: [ClientAuthenticationMethod],
                             endpoint: String) throws {
        guard accepted.contains(method) else {
            throw OAuthError.invalidClient(
                "\(endpoint) accepts client authentication by " + accepted.map(\.rawValue).joined(separator: ", ") + " only")
        }
    }
}
