/// Which tokens a client may introspect (RFC 7662 §4; docs/security.md I53): those issued to it, and access tokens made
/// for an API it is registered for (a resource server registered with `--resource`). Any other token is answered as an
/// unknown one, `{"active": false}`, so one client can neither read another's claims nor learn that its token is live.
public enum IntrospectionAccess {
    /// The facts of a live token that decide who may see it.
    public struct Token: Sendable, Equatable {
        /// The client the token was issued to.
        public var clientId: String
        /// The `aud` of an access token; `nil` for a refresh token, which only its own client ever presents.
        public var audience: String?

        public init(clientId: String, audience: String?) {
            self.clientId = clientId
            self.audience = audience
        }
    }

    /// Whether `asker` may see the claims of `token`.
    public static func allows(_ asker: Client, toSee token: Token) -> Bool {
        if token.clientId == asker.id { return true }
        guard let audience = token.audience else { return false }
        return asker.isRegistered(resource: audience)
    }
}
