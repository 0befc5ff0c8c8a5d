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

    @Test("LOGINTOO_DATABASE_TLS takes libpq's sslmode values and wins over the URL's")
    func override() throws {
        let url = "postgres://logintoo@db.example.com/logintoo?sslmode=disable"
        #expect(try postgres(["LOGINTOO_DATABASE_URL": url]).tlsMode == .disable)
        for mode in PostgresEngine.TLSMode.allCases {
            let settings = try postgres(["LOGINTOO_DATABASE_URL": url, "LOGINTOO_DATABASE_TLS": mode.rawValue])
            #expect(settings.tlsMode == mode)
        }
        #expect(try postgres(["LOGINTOO_DATABASE_URL": "postgres://logintoo@db.example.com/logintoo"]).tlsMode == .verifyFull)
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
