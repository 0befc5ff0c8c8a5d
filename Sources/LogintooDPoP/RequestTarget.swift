import Foundation

/// An http(s) URL reduced for comparing a proof's `htu` with the request (RFC 9449 §4.3, RFC 3986 §6.2.2–6.2.3): scheme
/// and host in lower case, the default port dropped, an empty path as `/`, query and fragment ignored.
struct RequestTarget: Equatable {
    let scheme: String
    let host: String
    let port: Int
    let path: String

    init?(_ url: String) {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = parts.host?.lowercased(), !host.isEmpty, parts.user == nil, parts.password == nil
        else { return nil }
        self.scheme = scheme
        self.host = host
        port = parts.port ?? (scheme == "https" ? 443 : 80)
        path = parts.percentEncodedPath.isEmpty ? "/" : parts.percentEncodedPath
    }
}
