import Foundation
import NIOSSL
import PostgresKit
import PostgresNIO

extension PostgresEngine {
    /// Where and how to connect, from a connection URL (docs/configuration.md, LOGINTOO_DATABASE_URL):
    ///
    ///     postgres://user:password@host:port/database?sslmode=verify-full&sslrootcert=/etc/logintoo/db-ca.pem&pool=10
    ///     postgres://user@/database?host=/var/run/postgresql          (libpq's Unix socket form: the socket's folder)
    ///     postgres+uds://user@localhost/var/run/postgresql/.s.PGSQL.5432#database     (postgres-kit's socket form)
    ///
    /// postgres-kit reads the server, user, password and database; the query's `sslmode` (libpq's values, see
    /// `TLSMode`), `sslrootcert` and `pool` are read here.
    public struct Settings: Sendable, Equatable {
        /// Where the server listens.
        public enum Endpoint: Sendable, Equatable {
            case tcp(host: String, port: Int)
            /// The socket file itself, as in `/var/run/postgresql/.s.PGSQL.5432`.
            case unixSocket(path: String)
        }

        public var endpoint: Endpoint
        public var username: String
        public var password: String?
        public var database: String?
        /// How the connection is protected. Ignored on a Unix socket (as by libpq): its traffic never leaves the machine.
        public var tlsMode: TLSMode
        /// The authorities a server certificate must chain to (`sslrootcert`); `nil`: the system's.
        public var trustedCertificates: [NIOSSLCertificate]?
        public var poolSize: Int
        /// How long an unused pooled connection stays open.
        public var idleTimeout: Duration = .seconds(60)

        /// The server's host name or socket path, for messages.
        public var host: String {
            switch endpoint {
            case .tcp(let host, _): host
            case .unixSocket(let path): path
            }
        }

        static let forms = "expected sqlite:PATH, postgres://user:password@host:port/database, "
            + "postgres://user@/database?host=/var/run/postgresql or postgres+uds://user@localhost/SOCKET#database"
        static let parameters = ["sslmode", "sslrootcert", "pool", "host"]

        public init(url: String, defaultPoolSize: Int = 10) throws(PostgresURLError) {
            guard var components = URLComponents(string: url), let scheme = components.scheme else { throw .invalid(Self.forms) }
            guard let user = components.user, !user.isEmpty else {
                throw .invalid("the URL names no user, as in postgres://logintoo@db.example.com/logintoo")
            }
            let query = try Self.parameters(components)
            if let folder = query["host"] {
                try Self.rewriteAsSocketURL(&components, folder: folder, scheme: scheme)
            }
            // TLS is set up from libpq's modes below; postgres-kit's own mapping checks host names even for verify-ca.
            components.queryItems = [URLQueryItem(name: "sslmode", value: "disable")]
            let configuration: SQLPostgresConfiguration
            do {
                guard let text = components.string else { throw PostgresURLError.invalid(Self.forms) }
                configuration = try SQLPostgresConfiguration(url: text)
            } catch {
                throw .invalid(Self.forms)
            }
            let core = configuration.coreConfiguration
            if let path = core.unixSocketPath {
                endpoint = .unixSocket(path: path)
            } else if let host = core.host, let port = core.port {
                let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
                endpoint = .tcp(host: bare, port: port)
            } else {
                throw .invalid(Self.forms)
            }
            username = core.username
            password = core.password
            database = core.database
            tlsMode = try query["sslmode"].map(Self.tlsMode) ?? TLSMode.defaultMode(for: endpoint)
            trustedCertificates = try query["sslrootcert"].map(Self.certificates)
            poolSize = try query["pool"].map(Self.poolSize) ?? defaultPoolSize
        }

        /// The query's parameters; an unknown one is refused, so that a misspelt `sslmode` cannot go unnoticed.
        static func parameters(_ components: URLComponents) throws(PostgresURLError) -> [String: String] {
            var values: [String: String] = [:]
            for item in components.queryItems ?? [] {
                guard parameters.contains(item.name) else {
                    throw .invalid("unknown parameter '\(item.name)'; the URL takes \(parameters.joined(separator: ", "))")
                }
                values[item.name] = item.value ?? ""
            }
            return values
        }

        /// libpq's `host=/folder` names the folder of a Unix socket, whose file is named after the port:
        /// the URL becomes postgres-kit's `postgres+uds://user@localhost/folder/.s.PGSQL.port#database`.
        static func rewriteAsSocketURL(_ components: inout URLComponents, folder: String, scheme: String) throws(PostgresURLError) {
            guard folder.hasPrefix("/") else {
                throw .invalid("host= names the folder of a Unix socket, as in host=/var/run/postgresql; got '\(folder)'")
            }
            guard ["postgres", "postgresql"].contains(scheme), (components.host ?? "").isEmpty else {
                throw .invalid("with host=\(folder), leave the server out of the URL, as in postgres://user@/database?host=\(folder)")
            }
            let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
            let port = components.port ?? 5432
            components.scheme = "postgres+uds"
            components.host = "localhost"
            components.port = nil
            components.path = (folder.hasSuffix("/") ? String(folder.dropLast()) : folder) + "/.s.PGSQL.\(port)"
            components.fragment = database.isEmpty ? nil : database
        }

        static func tlsMode(_ text: String) throws(PostgresURLError) -> TLSMode {
            guard let mode = TLSMode(rawValue: text) else {
                throw .invalid("sslmode must be \(TLSMode.allowedValues); got '\(text)'")
            }
            return mode
        }

        static func certificates(_ path: String) throws(PostgresURLError) -> [NIOSSLCertificate] {
            let certificates = try? NIOSSLCertificate.fromPEMFile(path)
            guard let certificates, !certificates.isEmpty else {
                throw .invalid("sslrootcert: cannot read PEM certificates from \(path)")
            }
            return certificates
        }

        static func poolSize(_ text: String) throws(PostgresURLError) -> Int {
            // Two at least: the start holds one for the database-wide lock while it migrates and loads keys on another.
            guard let size = Int(text), (2...200).contains(size) else { throw .invalid("pool must be 2 to 200 connections") }
            return size
        }

        /// The pool's configuration.
        func clientConfiguration() -> PostgresClient.Configuration {
            var configuration = switch endpoint {
            case .tcp(let host, let port):
                PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database,
                                             tls: tlsMode.clientTLS(trusting: trustedCertificates))
            case .unixSocket(let path):
                PostgresClient.Configuration(unixSocketPath: path, username: username, password: password, database: database)
            }
            configuration.options.maximumConnections = poolSize
            configuration.options.connectTimeout = Self.connectTimeout
            configuration.options.connectionIdleTimeout = idleTimeout
            return configuration
        }

        /// The configuration of one connection outside the pool.
        func connectionConfiguration() throws -> PostgresConnection.Configuration {
            var configuration = switch endpoint {
            case .tcp(let host, let port):
                PostgresConnection.Configuration(host: host, port: port, username: username, password: password, database: database,
                                                 tls: try tlsMode.connectionTLS(trusting: trustedCertificates))
            case .unixSocket(let path):
                PostgresConnection.Configuration(unixSocketPath: path, username: username, password: password, database: database)
            }
            configuration.options.connectTimeout = .seconds(Self.connectTimeout.components.seconds)
            return configuration
        }

        static let connectTimeout: Duration = .seconds(5)
    }
}

public enum PostgresURLError: Error, Equatable, CustomStringConvertible {
    case invalid(String)
    public var description: String {
        switch self { case .invalid(let why): why }
    }
}
