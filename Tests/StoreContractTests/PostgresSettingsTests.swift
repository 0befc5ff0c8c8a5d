import Foundation
import Logging
import NIOSSL
import PostgresNIO
import Testing

@testable import LogintooStore

@Suite("PostgreSQL connection URLs and TLS modes")
struct PostgresSettingsTests {
    typealias Settings = PostgresEngine.Settings

    func refusal(_ url: String) -> String? {
        do {
            _ = try Settings(url: url)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("the server, user, password and database come from postgres-kit's reading of the URL")
    func tcpURL() throws {
        let settings = try Settings(url: "postgres://logintoo:p%40ss%2Fword@db.example.com:6543/id%20db?pool=7")
        #expect(settings.endpoint == .tcp(host: "db.example.com", port: 6543))
        #expect(settings.username == "logintoo" && settings.password == "p@ss/word" && settings.database == "id db")
        #expect(settings.poolSize == 7 && settings.trustedCertificates == nil)
        let bare = try Settings(url: "postgresql://logintoo@db.example.com")
        #expect(bare.endpoint == .tcp(host: "db.example.com", port: 5432) && bare.password == nil && bare.database == nil)
        #expect(bare.poolSize == 10)
    }

    @Test("without sslmode: verify-full to a remote host, no TLS to a loopback address")
    func defaultMode() throws {
        #expect(try Settings(url: "postgres://u@db.example.com/d").tlsMode == .verifyFull)
        #expect(try Settings(url: "postgres://u@10.0.0.5/d").tlsMode == .verifyFull)
        #expect(try Settings(url: "postgres://u@128.0.0.1/d").tlsMode == .verifyFull)
        for loopback in ["127.0.0.1", "127.1.2.3", "localhost", "[::1]"] {
            #expect(try Settings(url: "postgres://u@\(loopback):5432/d").tlsMode == .disable, "\(loopback)")
        }
        #expect(try Settings(url: "postgres://u@[::1]:5432/d").endpoint == .tcp(host: "::1", port: 5432))
    }

    @Test("sslmode takes libpq's values, and nothing else")
    func sslModes() throws {
        for mode in PostgresEngine.TLSMode.allCases {
            #expect(try Settings(url: "postgres://u@db.example.com/d?sslmode=\(mode.rawValue)").tlsMode == mode)
        }
        for refused in ["allow", "true", "VERIFY-FULL", ""] {
            let message = refusal("postgres://u@db.example.com/d?sslmode=\(refused)")
            #expect(message == "sslmode must be disable, prefer, require, verify-ca or verify-full; got '\(refused)'")
        }
    }

    @Test("every TLS mode verifies the certificate, TLS 1.2 at least; only verify-ca leaves out the host name")
    func verification() throws {
        #expect(PostgresEngine.TLSMode.disable.tlsConfiguration(trusting: nil) == nil)
        for mode in [PostgresEngine.TLSMode.prefer, .require, .verifyFull] {
            let configuration = try #require(mode.tlsConfiguration(trusting: nil))
            #expect(configuration.certificateVerification == .fullVerification, "\(mode)")
            #expect(configuration.minimumTLSVersion == .tlsv12 && configuration.trustRoots == .default)
        }
        let ca = try NIOSSLCertificate.fromPEMBytes(Array(Self.testAuthority.utf8))
        let verifyCA = try #require(PostgresEngine.TLSMode.verifyCA.tlsConfiguration(trusting: ca))
        #expect(verifyCA.certificateVerification == .noHostnameVerification)
        #expect(verifyCA.trustRoots == .certificates(ca))
    }

    @Test("sslrootcert names a PEM file of trusted authorities, read when the settings are")
    func rootCertificate() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("logintoo-pg-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let pem = folder.appendingPathComponent("ca.pem").path
        try Self.testAuthority.write(toFile: pem, atomically: true, encoding: .utf8)
        let settings = try Settings(url: "postgres://u@db.example.com/d?sslmode=verify-full&sslrootcert=\(pem)")
        #expect(settings.trustedCertificates?.count == 1)
        let notPEM = folder.appendingPathComponent("notes.txt").path
        try "not a certificate".write(toFile: notPEM, atomically: true, encoding: .utf8)
        for path in [notPEM, folder.appendingPathComponent("missing.pem").path] {
            #expect(refusal("postgres://u@db.example.com/d?sslrootcert=\(path)") == "sslrootcert: cannot read PEM certificates from \(path)")
        }
    }

    @Test("a Unix socket, in libpq's form (the socket's folder) or postgres-kit's (the socket file), never uses TLS")
    func unixSockets() throws {
        let libpq = try Settings(url: "postgres://logintoo:secret@/id?host=/var/run/postgresql")
        #expect(libpq.endpoint == .unixSocket(path: "/var/run/postgresql/.s.PGSQL.5432"))
        #expect(libpq.username == "logintoo" && libpq.password == "secret" && libpq.database == "id" && libpq.tlsMode == .disable)
        let port = try Settings(url: "postgresql://u@:6543/d?host=/tmp/")
        #expect(port.endpoint == .unixSocket(path: "/tmp/.s.PGSQL.6543") && port.database == "d")
        let kit = try Settings(url: "postgres+uds://u@localhost/tmp/.s.PGSQL.5432#d")
        #expect(kit.endpoint == .unixSocket(path: "/tmp/.s.PGSQL.5432") && kit.database == "d" && kit.tlsMode == .disable)
        var socket = try Settings(url: "postgres://u@/d?host=/tmp&sslmode=verify-full")
        socket.tlsMode = .verifyFull
        let configuration = socket.clientConfiguration()
        #expect(configuration.unixSocketPath == "/tmp/.s.PGSQL.5432" && configuration.host == nil)
        #expect(refusal("postgres://u@/d?host=var/run") == "host= names the folder of a Unix socket, as in host=/var/run/postgresql; got 'var/run'")
        #expect(refusal("postgres://u@db.example.com/d?host=/tmp")
                == "with host=/tmp, leave the server out of the URL, as in postgres://user@/database?host=/tmp")
    }

    @Test("a URL that names no user or server, has another scheme, or a parameter we do not know, is refused")
    func refusals() {
        #expect(refusal("postgres://db.example.com/d") == "the URL names no user, as in postgres://logintoo@db.example.com/logintoo")
        #expect(refusal("mysql://u@db.example.com/d") == Settings.forms)
        #expect(refusal("postgres://u@/d") == Settings.forms)
        #expect(refusal("postgres://u@db.example.com/d?ssl_mode=require")
                == "unknown parameter 'ssl_mode'; the URL takes sslmode, sslrootcert, pool, host")
        #expect(refusal("postgres://u@db.example.com/d?pool=0") == "pool must be 2 to 200 connections")
        #expect(refusal("postgres://u@db.example.com/d?pool=1") == "pool must be 2 to 200 connections",
                "the start needs a connection for the database-wide lock and another for its work")
    }

    @Test("a server that cannot be reached stops the start at once, with the address and what to check")
    func unreachable() async throws {
        let port = try Self.closedLoopbackPort()
        let settings = try Settings(url: "postgres://u@127.0.0.1:\(port)/d?sslmode=verify-full")
        let engine = PostgresEngine.open(settings, logger: Logger(label: "test"))
        let started = ContinuousClock.now
        let error = await #expect(throws: PostgresConnectionFailure.self) { try await engine.checkConnection() }
        // A refused connection answers at once; the bound leaves room for a loaded machine, and is far below a pool
        // that would keep retrying.
        #expect(ContinuousClock.now - started < .seconds(15))
        let message = try #require(error?.description)
        #expect(message.hasPrefix("cannot connect to PostgreSQL at 127.0.0.1 (sslmode verify-full): "), "\(message)")
        #expect(message.contains("Connection refused"), "\(message)")
        #expect(message.hasSuffix("check LOGINTOO_DATABASE_URL (and its sslmode, sslrootcert) or LOGINTOO_DATABASE_TLS"))
        try await engine.close()
    }

    @Test("a certificate for another host, or from an unknown authority, is explained")
    func certificateReasons() throws {
        let settings = try Settings(url: "postgres://u@db.example.com/d")
        let wrongName = PostgresConnectionFailure.reason(NIOSSLExtraError.failedToValidateHostname, settings: settings)
        #expect(wrongName.hasPrefix("the server's certificate is not for db.example.com"))
        let unknown = PostgresConnectionFailure.reason(
            NIOSSLError.handshakeFailed(.sslError([])), settings: settings)
        #expect(unknown.hasPrefix("the TLS handshake failed"))
    }

    /// A loopback port nothing listens on: bound, then released.
    static func closedLoopbackPort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { pointer in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                guard bind(descriptor, raw, length) == 0, getsockname(descriptor, raw, &length) == 0 else {
                    throw CocoaError(.fileWriteUnknown)
                }
            }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A self-signed authority certificate (its key was thrown away): something to trust, nothing to sign with.
    static let testAuthority = """
        -----BEGIN CERTIFICATE-----
        MIIBQjCB6qADAgECAgEBMAoGCCqGSM49BAMCMCAxHjAcBgNVBAMMFUxvZ2ludG9v
        IHVuaXQtdGVzdCBDQTAgFw0yNjAxMDEwMDAwMDBaGA8yMTI1MTIwODAwMDAwMFow
        IDEeMBwGA1UEAwwVTG9naW50b28gdW5pdC10ZXN0IENBMFkwEwYHKoZIzj0CAQYI
        KoZIzj0DAQcDQgAEzoq0AxWA7XgC2GQHe96FUCLT9LMT1wtq6Ff2pk34sI6gYB3e
        bS2zEEIXhb19fXTet8m2ACiO/slVDcV+vMSvWaMTMBEwDwYDVR0TAQH/BAUwAwEB
        /zAKBggqhkjOPQQDAgNHADBEAiA9wwUB8DyrVpkaDyqW9jsJGrXpgyG31CDftpl0
        Xp1MUQIgJx/qjKjZ1XY8sU5zH9CIUxkHwMju2nw6kAB/FfDJe6U=
        -----END CERTIFICATE-----

        """
}
