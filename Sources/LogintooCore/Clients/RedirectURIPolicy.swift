import Foundation

/// The rules for redirect URIs: what may be registered, and how a request's URI is matched against them.
public enum RedirectURIPolicy {
    /// Checks a URI at registration: https, or http on a loopback address; no fragment, no user info, no wildcard.
    public static func validateForRegistration(_ uri: String) throws(ClientRegistrationError) {
        guard uri.count <= 2000, !uri.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 } == true }) else {
            throw .invalidRedirectURI(uri, "contains spaces or control characters, or is too long")
        }
        guard let parts = URLComponents(string: uri), let scheme = parts.scheme?.lowercased() else {
            throw .invalidRedirectURI(uri, "is not an absolute URI")
        }
        guard scheme == "https" || scheme == "http" else {
            throw .invalidRedirectURI(uri, "must use https (or http on 127.0.0.1 or [::1])")
        }
        guard parts.scheme == scheme else { throw .invalidRedirectURI(uri, "the scheme must be lower case") }
        guard let host = parts.host, !host.isEmpty else { throw .invalidRedirectURI(uri, "has no host") }
        guard parts.fragment == nil, !uri.contains("#") else { throw .invalidRedirectURI(uri, "must not contain a fragment") }
        guard parts.user == nil, parts.password == nil else { throw .invalidRedirectURI(uri, "must not contain user info") }
        guard !uri.contains("*") else { throw .invalidRedirectURI(uri, "must not contain wildcards") }
        if scheme == "http" && !isLoopback(host: host) {
            throw .invalidRedirectURI(uri, "http is allowed only on 127.0.0.1 or [::1]; use https")
        }
    }

    /// Exact string comparison, except that a loopback http URI matches any port (RFC 8252 §7.3).
    public static func matches(registered: String, candidate: String) -> Bool {
        if registered == candidate { return true }
        guard let r = URLComponents(string: registered), let c = URLComponents(string: candidate),
              r.scheme == "http", c.scheme == "http", let host = r.host, isLoopback(host: host),
              c.host == host, c.percentEncodedPath == r.percentEncodedPath,
              c.percentEncodedQuery == r.percentEncodedQuery, c.fragment == nil, c.user == nil, c.password == nil
        else { return false }
        var withoutPort = c
        withoutPort.port = r.port
        return withoutPort.string == registered
    }

    /// `scheme://host[:port]` of a URI, as browsers send it in `Origin`.
    public static func origin(of uri: String) -> String? {
        guard let parts = URLComponents(string: uri), let scheme = parts.scheme, let host = parts.host else { return nil }
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        if let port = parts.port { return "\(scheme)://\(hostPart):\(port)" }
        return "\(scheme)://\(hostPart)"
    }

    static func isLoopback(host: String) -> Bool {
        host == "127.0.0.1" || host == "[::1]" || host == "::1"
    }
}
