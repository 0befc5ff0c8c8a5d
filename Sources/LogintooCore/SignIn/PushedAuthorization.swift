/// An authorization request a client pushed to `/par` (RFC 9126), kept until `/authorize` takes it, once.
public struct PushedAuthorizationRequest: Sendable {
    /// SHA-256 of the random part of its `request_uri`: the store never holds the value a browser carries.
    public var hash: String
    /// The client that pushed it, the only one that may use it.
    public var clientId: String
    /// The parameters as pushed, in order, without client authentication: `/authorize` runs the same
    /// `AuthorizationRequestParser` over them as over a query, so every rule of the parser applies to them too.
    public var parameters: [(String, String)]
    public var createdAt: Int64
    public var expiresAt: Int64

    public init(hash: String, clientId: String, parameters: [(String, String)], createdAt: Int64, expiresAt: Int64) {
        (self.hash, self.clientId, self.parameters, self.createdAt, self.expiresAt) = (hash, clientId, parameters, createdAt, expiresAt)
    }
}

/// The rules of pushed authorization requests (RFC 9126), as docs/security.md states them.
public enum PushedAuthorization {
    /// How long a `request_uri` may be used: long enough to send the browser to `/authorize`, short enough that one
    /// copied from a log is stale (RFC 9126 §2.2).
    public static let lifetime: Int64 = 60
    /// RFC 9126 §2.2: the URN namespace of the `request_uri` values this server makes.
    public static let uriPrefix = "urn:ietf:params:oauth:request_uri:"
    /// Bytes of randomness in a `request_uri` (RFC 9126 §7.1: it must not be guessable).
    static let entropyBytes = 32

    /// How the client proved who it is: checked at `/par`, never part of the authorization request it pushes.
    static let clientAuthentication: Set = ["client_secret", "client_assertion", "client_assertion_type"]

    /// What an `/authorize` without `request_uri` gets when the client or the server requires pushed requests.
    public static let requiredError = OAuthError(.invalidRequest, "this client must push its authorization request to /par first")

    /// Whether `client` may use `/authorize` only with a pushed request: the server requires it of every client, or the
    /// operator of this one.
    public static func isRequired(for client: Client, capabilities: ServerCapabilities) -> Bool {
        capabilities.requirePushedAuthorizationRequests || client.settings.requirePushedAuthorizationRequests == true
    }

    /// RFC 9126 §2.1: the parameters `client` pushed, checked as `/authorize` checks a query but answered in OAuth errors
    /// (nothing is redirected: the client is on the line), and kept without the client's credentials. `client_id`, when
    /// given, must name the authenticated client; it is added when the client authenticated by header only.
    public static func validate(_ form: [(String, String)], client: Client,
                                capabilities: ServerCapabilities) throws(OAuthError) -> [(String, String)] {
        if form.contains(where: { $0.0 == "request_uri" }) {
            throw OAuthError.invalidRequest("request_uri cannot be pushed: push the request's parameters themselves")
        }
        if form.contains(where: { $0.0 == "request" }) {
            throw OAuthError(.requestNotSupported, "request objects are not supported")
        }
        if let named = form.first(where: { $0.0 == "client_id" })?.1, named != client.id {
            throw OAuthError.invalidRequest("client_id is not the authenticated client")
        }
        var parameters = form.filter { !clientAuthentication.contains($0.0) }
        if !parameters.contains(where: { $0.0 == "client_id" }) { parameters.append(("client_id", client.id)) }
        do {
            _ = try AuthorizationRequestParser.parse(parameters, client: client, capabilities: capabilities)
        } catch {
            switch error {
            case .cannotRedirect(let message): throw OAuthError.invalidRequest(message)
            case .redirect(let refusal, _, _): throw refusal
            }
        }
        return parameters
    }

    /// A fresh `request_uri` and the digest its request is stored under.
    static func newRequestURI(random: any RandomSource) -> (uri: String, hash: String) {
        let secret = random.token(bytes: entropyBytes)
        return (uriPrefix + secret, SecretDigest.sha256(secret))
    }

    /// The digest a `request_uri` from `/authorize` is looked up by; `nil` when it is not one this server makes.
    public static func hash(ofRequestURI uri: String) -> String? {
        guard uri.hasPrefix(uriPrefix) else { return nil }
        let secret = uri.dropFirst(uriPrefix.count)
        guard (1...128).contains(secret.utf8.count) else { return nil }
        return SecretDigest.sha256(String(secret))
    }
}
