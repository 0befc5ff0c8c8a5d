import Foundation
import LogintooCore

/// Where and how to deliver mail over SMTP, read from `smtp://[user:pass@]host:port[?starttls=required|optional]` or
/// `smtps://…`; `?ca_file=PEM` adds trusted certificates to either.
///
/// Credentials never travel without TLS, and neither does mail to a relay that is not on this machine, unless the
/// URL says so: see `Security` and docs/deploy-vm.md.
public struct SMTPConfiguration: Sendable, Equatable {
    public enum Security: Sendable, Equatable {
        /// `smtp://` with credentials, to a host that is not loopback, or with `?starttls=required`: the connection is
        /// upgraded with STARTTLS before anything else is said, and a relay that does not offer it gets nothing.
        case startTLSRequired
        /// `smtp://` without credentials, to a loopback host or with `?starttls=optional`: STARTTLS when offered,
        /// otherwise the mail goes in clear text.
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
        guard scheme == "smtp" || scheme == "smtps" else { throw .invalid("must start with smtp:// or smtps://") }
        guard let host = parts.host, !host.isEmpty else { throw .invalid("has no host") }
        self.host = host
        username = parts.user?.removingPercentEncoding
        password = parts.password?.removingPercentEncoding
        if (username == nil) != (password == nil) { throw .invalid("needs both a user and a password, or neither") }
        let startTLS = parts.queryItems?.first { $0.name == "starttls" }.map { $0.value ?? "" }
        security = try Self.security(scheme: scheme, host: host, hasCredentials: username != nil, startTLS: startTLS)
        port = parts.port ?? (security == .implicitTLS ? 465 : 587)
        caFile = parts.queryItems?.first { $0.name == "ca_file" }?.value
    }

    /// The rules of docs/deploy-vm.md ("Mail"): credentials only over TLS; clear text only to this machine, or
    /// elsewhere when the URL asks for it with `?starttls=optional`.
    static func security(scheme: String, host: String, hasCredentials: Bool,
                         startTLS: String?) throws(SMTPConfigurationError) -> Security {
        if scheme == "smtps" {
            guard startTLS == nil else {
                throw .invalid("takes ?starttls= only with smtp://; smtps:// is TLS from the first byte")
            }
            return .implicitTLS
        }
        switch startTLS?.lowercased() {
        case nil:
            return hasCredentials || !IPAddress.isLoopback(host: host) ? .startTLSRequired : .startTLSIfOffered
        case "required":
            return .startTLSRequired
        case "optional":
            guard !hasCredentials else {
                throw .invalid("has a user and password, which are sent only over TLS: remove ?starttls=optional, "
                               + "or use smtps://")
            }
            return .startTLSIfOffered
        case let other?:
            throw .invalid("has ?starttls=\(other); allowed: ?starttls=required (the default) or ?starttls=optional "
                           + "(without a user and password)")
        }
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
