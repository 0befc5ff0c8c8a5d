/// A token request's parameters by name, as the HTTP edge decoded them (RFC 6749 §3.2); absent and empty are both nil.
public protocol TokenRequestParameters {
    /// The value of the parameter `name`, or nil when it is absent or empty.
    subscript(_ name: String) -> String? { get }
}

/// One grant of the token endpoint (RFC 6749 §4): reads its own parameters, runs its checks, issues tokens.
/// Add a grant by writing a handler and registering it in `GrantRegistry`; discovery then lists it too.
public protocol GrantHandler: Sendable {
    /// The `grant_type` this handler answers.
    var grantType: String { get }

    /// Runs the grant for an authenticated `client`; throws `OAuthError` with the RFC 6749 §5.2 code when a check fails.
    /// `proofKey` is the thumbprint of the key of the request's checked DPoP proof (RFC 9449), if it came with one.
    func issue(_ parameters: some TokenRequestParameters, client: Client, proofKey: String?) async throws -> IssuedTokens
}
