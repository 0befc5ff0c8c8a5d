import Foundation
import Logging
import LogintooCore
import LogintooStore
import SQLKit
import Testing

@Suite("SQLite engine")
struct SQLiteEngineTests {
    @Test("closing is idempotent, and an engine dropped after closing does not close again")
    func closeOnce() async throws {
        for path in [nil, "logintoo.sqlite"] as [String?] {
            for _ in 0..<20 {
                let folder = FileManager.default.temporaryDirectory.appendingPathComponent("logintoo-engine-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: folder) }
                let engine = try await SQLiteEngine.open(path: path.map { folder.appendingPathComponent($0).path }, logger: Logger(label: "test"))
                try await Migrations.migrate(engine, now: 0)
                let migrations: @Sendable (any SQLDatabase) async throws -> Int = { db in
                    try await db.raw("SELECT COUNT(*) AS n FROM schema_migrations").first(decodingColumn: "n", as: Int.self) ?? 0
                }
                #expect(try await engine.read(migrations) > 0)
                try await engine.close()
                try await engine.close()
                await #expect(throws: (any Error).self) { try await engine.read(migrations) }
            }
        }
    }

    func withEngine(_ body: (SQLiteEngine) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("logintoo-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let engine = try await SQLiteEngine.open(path: folder.appendingPathComponent("logintoo.sqlite").path, logger: Logger(label: "test"))
        try await engine.run { db in try await db.raw("CREATE TABLE t (v INTEGER)").run() }
        try await body(engine)
        try await engine.close()
    }

    static let count: @Sendable (any SQLDatabase) async throws -> Int = { db in
        try await db.raw("SELECT COUNT(*) AS n FROM t").first(decodingColumn: "n", as: Int.self) ?? -1
    }

    @Test("a read runs while a transaction is open, and sees only what was committed", .timeLimit(.minutes(1)))
    func readsBesideATransaction() async throws {
        try await withEngine { engine in
            let inserted = AsyncStream.makeStream(of: Void.self), commit = AsyncStream.makeStream(of: Void.self)
            async let writing: Void = engine.transaction { db in
                try await db.raw("INSERT INTO t VALUES (1)").run()
                inserted.continuation.yield()
                for await _ in commit.stream { break }
            }
            for await _ in inserted.stream { break }
            // Through the writing connection this read would wait for the transaction, which waits for it.
            #expect(try await engine.read(Self.count) == 0)
            commit.continuation.yield()
            try await writing
            #expect(try await engine.read(Self.count) == 1)
        }
    }

    @Test("many reads at once share the reading connections, and a reading connection refuses to write")
    func readingConnections() async throws {
        try await withEngine { engine in
            try await engine.transaction { db in for value in 0..<3 { try await db.raw("INSERT INTO t VALUES (\(bind: value))").run() } }
            let counts = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<50 { group.addTask { try await engine.read(Self.count) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(counts == Array(repeating: 3, count: 50))
            await #expect(throws: (any Error).self) { try await engine.read { db in try await db.raw("INSERT INTO t VALUES (9)").run() } }
            #expect(try await engine.read(Self.count) == 3)
        }
    }
}
