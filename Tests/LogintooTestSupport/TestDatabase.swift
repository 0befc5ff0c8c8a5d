import Foundation
import Logging
import LogintooStore
import SQLKit

/// The database a test runs on: in-memory SQLite, or, when `LOGINTOO_TEST_POSTGRES_URL` names a PostgreSQL server,
/// a fresh database there, so one suite checks both engines.
public enum TestDatabase {
    public static var postgresURL: String? { ProcessInfo.processInfo.environment["LOGINTOO_TEST_POSTGRES_URL"] }

    public static var engineName: String { postgresURL == nil ? "SQLite" : "PostgreSQL" }

    /// A migrated, empty database of its own.
    public static func engine() async throws -> any SQLEngine {
        let logger = Logger(label: "test")
        guard let url = postgresURL else {
            let engine = try await SQLiteEngine.open(path: nil, logger: logger)
            try await Migrations.migrate(engine, now: 0)
            return engine
        }
        var settings = try PostgresEngine.Settings(url: url)
        settings.poolSize = 1
        settings.idleTimeout = .seconds(2)
        let admin = PostgresEngine.open(settings, logger: logger)
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await admin.run { db in try await db.raw("CREATE DATABASE \(unsafeRaw: name)").run() }
        try await admin.close()
        settings.database = name
        settings.poolSize = 4
        let engine = PostgresEngine.open(settings, logger: logger)
        _ = try await engine.withExclusiveLock { try await Migrations.migrate(engine, now: 0) }
        return engine
    }
}
