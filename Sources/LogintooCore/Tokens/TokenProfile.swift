/// The claim set a grant's access tokens follow.
public enum TokenProfile: String, Sendable, Codable {
    /// RFC 9068 with OpenID scopes deciding the email claims.
    case oauth
    /// Issued through the Logintoo JSON API: also `email`, `email_normalized`, `hd`, `language` and `locale`, as the original did.
    case logintoo
}
