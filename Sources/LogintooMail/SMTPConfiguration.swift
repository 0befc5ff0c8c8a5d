import Foundation

/// Where and how to deliver mail over SMTP, read from `smtp://[user:pass@]host:port` or `smtps://…`.
public struct SMTPConfiguration: Sendable, Equatable {
    public enum Security: Sendable, Equatable {
        /// `smtp://`: upgrade with STARTTLS when the server offers it.
        case startTLSIfOffered
        /// `smtps://`: TLS from the first byte.
        case implicitTLS
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var username: String?
    public var password: String?
    /// A PEM file of extra trusted certificates, for servers with a private CA (`?ca_file=` in the URL).
    public var caFile: String?

    /// Parses the URL, or says what is wrong with it.
    public init(url: String) throws(SMTPConfigurationError) {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased() else {
            throw .invalid("is not a URL; expected smtp://[user:pass@]host:port or smtps://…")
        }
        switch scheme {
        case "smtp": security = .startTLSIfOffered
        case "smtps": security = .implicitTLS
        default: throw .invalid("must start with smtp:// or smtps://")
        }
        guard let host = parts.host, !host.isEmpty else { throw .invalid("has no host") }
        self.host = host
        port = parts.port ?? (security == .implicitTLS ? 465 : 587)
        username = parts.user?.removingPercentEncoding
        password = parts.password?.removingPercentEncoding
        if (username == nil) != (password == nil) { throw .invalid("needs both a user and a password, or neither") }
        caFile = parts.queryItems?.first { $0.name == "ca_file" }?.value
    }
}

public enum SMTPConfigurationError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    public var description: String {
        switch self {
        case .invalid(let why): "the SMTP URL \(why)"
        }
    }
}
