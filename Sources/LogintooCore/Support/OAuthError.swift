/// An error answered to an OAuth client, with a registered code (RFC 6749 §4.1.2.1, §5.2; RFC 7009; OIDC Core §3.1.2.6).
public struct OAuthError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidRequest = "invalid_request"
        case invalidClient = "invalid_client"
        case invalidGrant = "invalid_grant"
        case unauthorizedClient = "unauthorized_client"
        case unsupportedGrantType = "unsupported_grant_type"
        case unsupportedResponseType = "unsupported_response_type"
        case invalidScope = "invalid_scope"
        case accessDenied = "access_denied"
        case serverError = "server_error"
        case temporarilyUnavailable = "temporarily_unavailable"
        case loginRequired = "login_required"
        case requestNotSupported = "request_not_supported"
        case requestURINotSupported = "request_uri_not_supported"
        case invalidToken = "invalid_token"
        case unsupportedTokenType = "unsupported_token_type"
        case invalidTarget = "invalid_target"
        /// OpenID Connect Unmet Authentication Requirements 1.0: the sign-in the client asked for (`acr_values=phr`)
        /// could not be done.
        case unmetAuthenticationRequirements = "unmet_authentication_requirements"
        /// RFC 9449 §5, §7.1: a DPoP proof was refused, or lacks the server's current nonce.
        case invalidDPoPProof = "invalid_dpop_proof"
        case useDPoPNonce = "use_dpop_nonce"
    }

    public let code: Code
    /// Safe to show to the client.
    public let detail: String

    public init(_ code: Code, _ detail: String) {
        self.code = code
        self.detail = detail
    }

    public var description: String { "\(code.rawValue): \(detail)" }

    public static func invalidRequest(_ detail: String) -> OAuthError { .init(.invalidRequest, detail) }
    public static func invalidGrant(_ detail: String) -> OAuthError { .init(.invalidGrant, detail) }
    public static func invalidClient(_ detail: String) -> OAuthError { .init(.invalidClient, detail) }
}
