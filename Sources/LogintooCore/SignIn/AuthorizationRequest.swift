/// A validated request to the authorization endpoint.
public struct AuthorizationRequest: Sendable, Codable, Equatable {
    public var clientId: String
    public var redirectUri: String
    public var scope: [String]
    public var state: String?
    public var nonce: String?
    /// The S256 challenge; `nil` only for a confidential client that sent none.
    public var codeChallenge: String?
    public var prompt: [String]
    public var maxAge: Int64?
    public var loginHint: String?
    public var uiLocales: String?
    /// Logintoo's `language` (two letters) and `locale` (`xx-XX`), echoed on the redirect and into the tokens.
    public var language: String?
    public var locale: String?
    /// The API the access token is for (RFC 8707).
    public var resource: String?
    /// `acr_values`, in the client's order; values this server does not know are kept and ignored.
    public var acrValues: [String]
    /// `dpop_jkt` (RFC 9449 §10): the thumbprint of the DPoP key the code must be exchanged with.
    public var dpopJkt: String?

    public init(clientId: String, redirectUri: String, scope: [String], state: String? = nil, nonce: String? = nil,
                codeChallenge: String?, prompt: [String] = [], maxAge: Int64? = nil, loginHint: String? = nil,
                uiLocales: String? = nil, language: String? = nil, locale: String? = nil, resource: String? = nil,
                acrValues: [String] = [], dpopJkt: String? = nil) {
        self.acrValues = acrValues
        self.dpopJkt = dpopJkt
        self.clientId = clientId
        self.redirectUri = redirectUri
        self.scope = scope
        self.state = state
        self.nonce = nonce
        self.codeChallenge = codeChallenge
        self.prompt = prompt
        self.maxAge = maxAge
        self.loginHint = loginHint
        self.uiLocales = uiLocales
        self.language = language
        self.locale = locale
        self.resource = resource
    }

    public var scopeString: String { scope.joined(separator: " ") }

    /// Whether only a phishing-resistant sign-in (a passkey) will do: `acr_values` asks for `phr` and nothing else.
    public var requiresPhishingResistance: Bool {
        !acrValues.isEmpty && acrValues.allSatisfy { $0 == SignInMethod.phishingResistant }
    }

    enum CodingKeys: String, CodingKey {
        case clientId, redirectUri, scope, state, nonce, codeChallenge, prompt, maxAge, loginHint, uiLocales, language, locale
        case resource, acrValues, dpopJkt
    }

    /// Reads requests saved before `acr_values` was kept as having none.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            clientId: try c.decode(String.self, forKey: .clientId), redirectUri: try c.decode(String.self, forKey: .redirectUri),
            scope: try c.decode([String].self, forKey: .scope), state: try c.decodeIfPresent(String.self, forKey: .state),
            nonce: try c.decodeIfPresent(String.self, forKey: .nonce),
            codeChallenge: try c.decodeIfPresent(String.self, forKey: .codeChallenge),
            prompt: try c.decode([String].self, forKey: .prompt), maxAge: try c.decodeIfPresent(Int64.self, forKey: .maxAge),
            loginHint: try c.decodeIfPresent(String.self, forKey: .loginHint),
            uiLocales: try c.decodeIfPresent(String.self, forKey: .uiLocales),
            language: try c.decodeIfPresent(String.self, forKey: .language), locale: try c.decodeIfPresent(String.self, forKey: .locale),
            resource: try c.decodeIfPresent(String.self, forKey: .resource),
            acrValues: try c.decodeIfPresent([String].self, forKey: .acrValues) ?? [],
            dpopJkt: try c.decodeIfPresent(String.self, forKey: .dpopJkt))
    }
}

/// Why an authorization request was refused.
public enum AuthorizationRequestError: Error, Equatable, Sendable {
    /// The client or redirect URI cannot be trusted: show a page, never redirect (RFC 6749 §4.1.2.1).
    case cannotRedirect(String)
    /// Report to the client at its (verified) redirect URI.
    case redirect(OAuthError, redirectUri: String, state: String?)
}

/// The checks of the authorization endpoint, in the order the specifications give them.
public enum AuthorizationRequestParser {
    static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// Validates query parameters (in order, duplicates kept) against `client`, which was looked up by `client_id`, and
    /// against what the server supports (`capabilities`: response types and modes, scopes, PKCE methods, prompts).
    public static func parse(_ parameters: [(String, String)], client: Client?,
                             capabilities: ServerCapabilities = .builtIn) throws(AuthorizationRequestError) -> AuthorizationRequest {
        var values: [String: [String]] = [:]
        for (name, value) in parameters { values[name, default: []].append(value) }
        func single(_ name: String) -> String? { values[name].flatMap { $0.count == 1 ? $0[0] : nil } }

        guard (values["client_id"]?.count ?? 0) <= 1 else { throw .cannotRedirect("client_id is given more than once.") }
        guard let clientId = single("client_id"), !clientId.isEmpty else { throw .cannotRedirect("The request has no client_id.") }
        guard let client, client.id == clientId else { throw .cannotRedirect("The application (client_id) is not registered here.") }
        guard (values["redirect_uri"]?.count ?? 0) <= 1 else { throw .cannotRedirect("redirect_uri is given more than once.") }
        guard let redirectUri = single("redirect_uri") else { throw .cannotRedirect("The request has no redirect_uri.") }
        guard client.accepts(redirectURI: redirectUri) else {
            throw .cannotRedirect("The redirect_uri is not registered for this application.")
        }

        let state = single("state")
        func fail(_ code: OAuthError.Code, _ detail: String) -> AuthorizationRequestError {
            .redirect(OAuthError(code, detail), redirectUri: redirectUri, state: state)
        }
        if let repeated = values.first(where: { $0.value.count > 1 })?.key {
            throw fail(.invalidRequest, "\(repeated) is given more than once")
        }
        if values["request"] != nil { throw fail(.requestNotSupported, "request objects are not supported") }
        if values["request_uri"] != nil { throw fail(.requestURINotSupported, "request_uri is not supported") }
        guard let responseType = single("response_type") else { throw fail(.invalidRequest, "response_type is missing") }
        guard capabilities.responseTypes.contains(responseType) else {
            throw fail(.unsupportedResponseType, "supported response_type values: " + capabilities.responseTypes.joined(separator: ", "))
        }
        if let mode = single("response_mode"), !capabilities.responseModes.contains(mode) {
            throw fail(.invalidRequest, "supported response_mode values: " + capabilities.responseModes.joined(separator: ", "))
        }
        guard let scope = Scope.parse(single("scope"), supported: capabilities.scopes) else {
            throw fail(.invalidScope, "unknown scope value")
        }
        if let state, state.utf8.count > 2048 { throw fail(.invalidRequest, "state is too long") }

        let challenge = single("code_challenge")
        let method = single("code_challenge_method")
        if let challenge {
            guard let method, capabilities.codeChallengeMethods.contains(method) else {
                throw fail(.invalidRequest, "code_challenge_method must be " + capabilities.codeChallengeMethods.joined(separator: " or "))
            }
            guard (43...128).contains(challenge.count), challenge.allSatisfy(unreserved.contains) else {
                throw fail(.invalidRequest, "code_challenge must be 43 to 128 characters of [A-Za-z0-9-._~]")
            }
        } else if method != nil {
            throw fail(.invalidRequest, "code_challenge_method without code_challenge")
        } else if !client.isConfidential {
            throw fail(.invalidRequest, "PKCE is required: send code_challenge with code_challenge_method=S256")
        }

        let prompt = (single("prompt") ?? "").split(separator: " ").map(String.init)
        guard prompt.allSatisfy(capabilities.promptValues.contains) else { throw fail(.invalidRequest, "unsupported prompt value") }
        if prompt.contains("none") && prompt.count > 1 { throw fail(.invalidRequest, "prompt=none cannot be combined") }
        var maxAge: Int64?
        if let text = single("max_age") {
            guard let value = Int64(text), value >= 0 else { throw fail(.invalidRequest, "max_age must be a whole number of seconds") }
            maxAge = value
        }
        let nonce = single("nonce")
        if let nonce, nonce.utf8.count > 512 { throw fail(.invalidRequest, "nonce is too long") }
        let loginHint = single("login_hint").flatMap { $0.utf8.count <= 254 ? $0 : nil }
        let uiLocales = single("ui_locales").flatMap { $0.utf8.count <= 200 ? $0 : nil }
        let resource = single("resource")
        if let resource {
            guard ClientSettings.isResourceIndicator(resource) else {
                throw fail(.invalidTarget, "resource must be an absolute URI without a fragment")
            }
            guard client.isRegistered(resource: resource) else {
                throw fail(.invalidTarget, "this client is not registered for that resource")
            }
        }
        let language = single("language").flatMap(LanguageTag.language)
        let locale = single("locale").flatMap(LanguageTag.locale)
        guard (single("acr_values") ?? "").utf8.count <= 200 else { throw fail(.invalidRequest, "acr_values is too long") }
        let acrValues = (single("acr_values") ?? "").split(separator: " ").map(String.init)
        let dpopJkt = single("dpop_jkt")
        if let dpopJkt, !DPoPBinding.isThumbprint(dpopJkt) {
            throw fail(.invalidRequest, "dpop_jkt must be a JWK SHA-256 thumbprint (43 base64url characters)")
        }

        return AuthorizationRequest(
            clientId: clientId, redirectUri: redirectUri, scope: scope, state: state, nonce: nonce,
            codeChallenge: challenge, prompt: prompt, maxAge: maxAge, loginHint: loginHint,
            uiLocales: uiLocales ?? locale ?? language, language: language, locale: locale, resource: resource,
            acrValues: acrValues, dpopJkt: dpopJkt
        )
    }
}
