import NIOSSL
import PostgresNIO

/// A connection to PostgreSQL could not be made; the message says why and which setting to look at.
public struct PostgresConnectionFailure: Error, CustomStringConvertible {
    public let description: String

    init(_ error: any Error, settings: PostgresEngine.Settings) {
        let mode = if case .unixSocket = settings.endpoint { "a Unix socket" } else { "sslmode \(settings.tlsMode.rawValue)" }
        description = "cannot connect to PostgreSQL at \(settings.host) (\(mode)): \(Self.reason(error, settings: settings)); "
            + "check LOGINTOO_DATABASE_URL (and its sslmode, sslrootcert) or LOGINTOO_DATABASE_TLS"
    }

    /// postgres-nio keeps the details behind a generic description (so that they do not reach end users by accident);
    /// an operator needs them.
    static func reason(_ error: any Error, settings: PostgresEngine.Settings) -> String {
        guard let error = error as? PSQLError else { return certificateReason(error, settings: settings) ?? String(describing: error) }
        if error.code == .sslUnsupported {
            return "the server does not offer TLS (its ssl setting is off); turn it on, or use sslmode=disable only on a network you trust"
        }
        if let info = error.serverInfo, let message = info[.message] {
            return ["the server says: \(message)", info[.detail], info[.hint]].compactMap { $0 }.joined(separator: "; ")
        }
        if let underlying = error.underlying {
            return certificateReason(underlying, settings: settings) ?? String(describing: underlying)
        }
        return String(reflecting: error)
    }

    /// Certificate problems, in words that point at the fix.
    static func certificateReason(_ error: any Error, settings: PostgresEngine.Settings) -> String? {
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            // NIOSSL's own text names no host when the URL gives an address, so it would only confuse.
            return "the server's certificate is not for \(settings.host); connect by a name or address the certificate lists"
        }
        if let error = error as? NIOSSLError, case .handshakeFailed = error {
            let text = String(describing: error)
            guard text.contains("CERTIFICATE_VERIFY_FAILED") else { return "the TLS handshake failed: \(text)" }
            let roots = settings.trustedCertificates == nil ? "the system's certificate authorities" : "the authorities in sslrootcert"
            return "the server's certificate is not signed by \(roots) (\(text)); "
                + "give the authority that signed it with sslrootcert=PATH"
        }
        return nil
    }
}
