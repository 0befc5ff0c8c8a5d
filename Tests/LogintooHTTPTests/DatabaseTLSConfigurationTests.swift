import Foundation
import LogintooApp
import LogintooStore
import Testing

@Suite("Database TLS settings")
struct DatabaseTLSConfigurationTests {
    static let key = Data(repeating: 7, count: 32).base64EncodedString()

    func postgres(_ environment: [String: String]) throws -> PostgresEngine.Settings {
        let configuration = try Configuration.load(
            flags: [:], environment: environment.merging(["LOGINTOO_KEY_ENCRYPTION_KEY": Self.key]) { mine, _ in mine },
            configFile: nil)
        guard case .postgres(let settings) = configuration.database else {
            Issue.record("expected PostgreSQL, got \(configuration.database)")
            throw CancellationError()
        }
        return settings
    }

    @Test("LOGINTOO_DATABASE_TLS takes libpq's sslmode values for a URL without one; a URL naming another is refused")
    func override() throws {
        let bare = "postgres://logintoo@db.example.com/logintoo"
        #expect(try postgres(["LOGINTOO_DATABASE_URL": bare]).tlsMode == .verifyFull)
        for mode in PostgresEngine.TLSMode.allCases {
            #expect(try postgres(["LOGINTOO_DATABASE_URL": bare, "LOGINTOO_DATABASE_TLS": mode.rawValue]).tlsMode == mode)
            let agreeing = bare + "?sslmode=" + mode.rawValue
            #expect(try postgres(["LOGINTOO_DATABASE_URL": agreeing, "LOGINTOO_DATABASE_TLS": mode.rawValue]).tlsMode == mode)
        }
        #expect(throws: ConfigurationError.invalid(
            "LOGINTOO_DATABASE_TLS (--database-tls)", "is prefer, but the database URL says sslmode=verify-full; set one of them"),
            "a leftover setting never weakens what the URL asks for") {
            _ = try postgres(["LOGINTOO_DATABASE_URL": bare + "?sslmode=verify-full", "LOGINTOO_DATABASE_TLS": "prefer"])
        }
    }

    @Test("serve warns when the connection to another machine can be forced into plain text")
    func warning() throws {
        let key = Self.key
        func warning(_ url: String) throws -> String? {
            try Configuration.load(flags: [:], environment: ["LOGINTOO_DATABASE_URL": url, "LOGINTOO_KEY_ENCRYPTION_KEY": key],
                                   configFile: nil).databaseTLSWarning
        }
        #expect(try warning("postgres://logintoo@db.example.com/logintoo?sslmode=prefer")?.contains("db.example.com is prefer") == true)
        #expect(try warning("postgres://logintoo@db.example.com/logintoo?sslmode=disable") != nil)
        #expect(try warning("postgres://logintoo@db.example.com/logintoo") == nil)
        #expect(try warning("postgres://logintoo@127.0.0.1/logintoo?sslmode=disable") == nil, "loopback traffic stays on the machine")
    }

    @Test("a value outside the list is refused, naming the setting and the values")
    func refusal() {
        #expect(throws: ConfigurationError.invalid("LOGINTOO_DATABASE_TLS (--database-tls)",
                                                   "expected disable, prefer, require, verify-ca or verify-full, got 'allow'")) {
            _ = try postgres(["LOGINTOO_DATABASE_URL": "postgres://logintoo@db.example.com/logintoo", "LOGINTOO_DATABASE_TLS": "allow"])
        }
        #expect(throws: ConfigurationError.invalid("LOGINTOO_DATABASE_URL (--database-url)",
                                                   "sslmode must be disable, prefer, require, verify-ca or verify-full; got 'on'")) {
            _ = try postgres(["LOGINTOO_DATABASE_URL": "postgres://logintoo@db.example.com/logintoo?sslmode=on"])
        }
    }
}
