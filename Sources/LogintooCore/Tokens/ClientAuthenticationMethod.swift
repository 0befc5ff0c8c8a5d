/// How a client proves who it is at the token, revocation and introspection endpoints (RFC 7591 §2 names).
public enum ClientAuthenticationMethod: String, Sendable, CaseIterable {
    /// A public client: its `client_id` only (RFC 6749 §2.1).
    case none
    /// The client secret in HTTP Basic (RFC 6749 §2.3.1).
    case clientSecretBasic = "client_secret_basic"
    /// The client secret in the form body (RFC 6749 §2.3.1).
    case clientSecretPost = "client_secret_post"
}

extension ClientRegistry.Credentials {
    /// The authentication method these credentials use.
    public var method: ClientAuthenticationMethod {
        switch self {
        case .basic: .clientSecretBasic
        case .post: .clientSecretPost
        case .none: .none
        }
    }
}
