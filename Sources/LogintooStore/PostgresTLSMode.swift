import LogintooCore
import NIOSSL
import PostgresNIO

extension PostgresEngine {
    /// How the connection to PostgreSQL is protected: libpq's `sslmode` values, except that every TLS connection
    /// verifies the server's certificate (docs/deploy-vm.md, "TLS to PostgreSQL").
    public enum TLSMode: String, Sendable, Equatable, CaseIterable {
        /// Plain text.
        case disable
        /// TLS, verified like `verifyFull`, when the server offers it; plain text when it does not, so an active
        /// attacker can force plain text. Accepted for compatibility with libpq URLs.
        case prefer
        /// TLS, verified like `verifyFull`. libpq's `require` accepts any certificate, which does not stop an active
        /// attacker from sitting in the middle; here it is as strict as `verify-full`.
        case require
        /// TLS; the certificate must chain to a trusted authority, whatever host name it is for.
        case verifyCA = "verify-ca"
        /// TLS; the certificate must chain to a trusted authority and name the host (DNS name or IP address).
        case verifyFull = "verify-full"

        /// The values, for error messages.
        public static let allowedValues = "disable, prefer, require, verify-ca or verify-full"

        /// The mode when none is given: TLS with full verification, except to a loopback address or a Unix socket,
        /// whose traffic never leaves the machine (and where Debian's own cluster offers a self-signed certificate).
        static func defaultMode(for endpoint: Settings.Endpoint) -> TLSMode {
            switch endpoint {
            case .unixSocket: .disable
            case .tcp(let host, _): IPAddress.isLoopback(host: host) ? .disable : .verifyFull
            }
        }

        /// The NIOSSL settings for this mode, trusting `roots` (`nil`: the system's); `nil` for `disable`.
        func tlsConfiguration(trusting roots: [NIOSSLCertificate]?) -> TLSConfiguration? {
            guard self != .disable else { return nil }
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.minimumTLSVersion = .tlsv12
            configuration.certificateVerification = self == .verifyCA ? .noHostnameVerification : .fullVerification
            if let roots { configuration.trustRoots = .certificates(roots) }
            return configuration
        }

        /// The pool's TLS setting.
        func clientTLS(trusting roots: [NIOSSLCertificate]?) -> PostgresClient.Configuration.TLS {
            guard let configuration = tlsConfiguration(trusting: roots) else { return .disable }
            return self == .prefer ? .prefer(configuration) : .require(configuration)
        }

        /// A single connection's TLS setting.
        func connectionTLS(trusting roots: [NIOSSLCertificate]?) throws -> PostgresConnection.Configuration.TLS {
            guard let configuration = tlsConfiguration(trusting: roots) else { return .disable }
            let context = try NIOSSLContext(configuration: configuration)
            return self == .prefer ? .prefer(context) : .require(context)
        }
    }
}
