import Foundation
import Logging
import LogintooCore
import LogintooStore
import LogintooTraces

/// The data folder: the SQLite database and the server secret, created on first start.
public struct DataDirectory: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    public var databasePath: String { path + "/logintoo.sqlite" }
    var secretPath: String { path + "/server.secret" }

    /// Creates the folder (owner-only) if needed.
    public func prepare() throws {
        let manager = FileManager.default
        if !manager.fileExists(atPath: path) {
            try manager.createDirectory(atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
    }

    /// The server secret, generated on first start and kept (owner-only) beside the database.
    public func loadOrCreateSecret(random: any RandomSource) throws -> ServerSecret {
        if let text = try? String(contentsOfFile: secretPath, encoding: .utf8) {
            guard let bytes = Base64URL.decode(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw DataDirectoryError.unreadableSecret(secretPath)
            }
            return try ServerSecret(bytes: bytes)
        }
        let bytes = random.bytes(32)
        let created = FileManager.default.createFile(
            atPath: secretPath, contents: Data((Base64URL.encode(bytes) + "\n").utf8), attributes: [.posixPermissions: 0o600])
        guard created else { throw DataDirectoryError.cannotWrite(secretPath) }
        return try ServerSecret(bytes: bytes)
    }

    /// Opens the configured database and applies pending migrations (one instance at a time on PostgreSQL); the store's
    /// calls are spans of `traces`' tracer, if any.
    public static func openStore(_ configuration: Configuration, logger: Logger, now: Int64, traces: Traces = .off) async throws
        -> (SQLStore, any SQLEngine)
    {
        let engine: any SQLEngine
        switch configuration.database {
        case .sqlite(let path):
            try DataDirectory(path: URL(fileURLWithPath: path).deletingLastPathComponent().path).prepare()
            engine = try await SQLiteEngine.open(path: path, logger: logger)
        case .postgres(let settings):
            let postgres = PostgresEngine.open(settings, logger: logger)
            do {
                try await postgres.checkConnection()
            } catch {
                try? await postgres.close()
                throw error
            }
            engine = postgres
        }
        do {
            _ = try await engine.withExclusiveLock { try await Migrations.migrate(engine, now: now) }
        } catch {
            try? await engine.close()
            throw error
        }
        return (SQLStore(engine: engine, traces: traces), engine)
    }

    /// The root secret: the operator's key-encryption key when given, else the one kept in this folder.
    public func serverSecret(_ configuration: Configuration, random: any RandomSource) throws -> ServerSecret {
        if let key = configuration.keyEncryptionKey { return try ServerSecret(bytes: key) }
        try prepare()
        return try loadOrCreateSecret(random: random)
    }
}

public enum DataDirectoryError: Error, CustomStringConvertible {
    case unreadableSecret(String)
    case cannotWrite(String)
    public var description: String {
        switch self {
        case .unreadableSecret(let path): "the server secret in \(path) is not valid base64url; restore it from a backup"
        case .cannotWrite(let path): "cannot write \(path): check the data folder's permissions"
        }
    }
}
