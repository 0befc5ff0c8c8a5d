import Foundation
import Logging
import LogintooCore
import LogintooStore
import SQLKit
import Synchronization
import Testing

@Suite("SQLite engine")
struct SQLiteEngineTests {
    @Test("bound values reach SQLite with their types: text, integers, booleans, reals, blobs, optionals and NULL")
    func boundValues() async throws {
        let engine = try await SQLiteEngine.open(path: nil, logger: Logger(label: "test"))
        defer { Task { try? await engine.close() } }
        let cases: [(any Encodable & Sendable, String, String?)] = [
            ("text", "text", "text"), ("", "text", ""), (Optional("wrapped"), "text", "wrapped"), (String?.none, "null", nil),
            (Int64(-42), "integer", "-42"), (Int64?.some(7), "integer", "7"), (Int64?.none, "null", nil), (12, "integer", "12"),
            (true, "integer", "1"), (false, "integer", "0"), (1.5, "real", "1.5"), (Data([1, 2]), "blob", "\u{1}\u{2}"),
        ]
        for (value, type, text) in cases {
            let row = try await engine.read { db in
                try await db.raw("SELECT typeof(\(bind: value)) AS t, CAST(\(bind: value) AS TEXT) AS v").first()
            }
            #expect(try row?.decode(column: "t", as: String.self) == type, "\(value)")
            #expect(try row?.decode(column: "v", as: String?.self) == text, "\(value)")
        }
    }

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

    func withEngine(checkpointAfter: Int32 = WALCheckpointer.defaultThreshold,
                    _ body: (SQLiteEngine, _ path: String) async throws -> Void) async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("logintoo-engine-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("logintoo.sqlite").path
        let engine = try await SQLiteEngine.open(path: path, logger: Logger(label: "test"), checkpointAfter: checkpointAfter)
        try await engine.run { db in try await db.raw("CREATE TABLE t (v INTEGER)").run() }
        try await body(engine, path)
        try await engine.close()
    }

    static let count: @Sendable (any SQLDatabase) async throws -> Int = { db in
        try await db.raw("SELECT COUNT(*) AS n FROM t").first(decodingColumn: "n", as: Int.self) ?? -1
    }

    @Test("a read runs while a transaction is open, and sees only what was committed", .timeLimit(.minutes(1)))
    func readsBesideATransaction() async throws {
        try await withEngine { engine, _ in
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
        try await withEngine { engine, _ in
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

    @Test("a thread of its own copies the write-ahead log back into the database file", .timeLimit(.minutes(1)))
    func backgroundCheckpoints() async throws {
        try await withEngine(checkpointAfter: 16) { engine, path in
            try await engine.run { db in try await db.raw("CREATE TABLE pages (b BLOB)").run() }
            let before = try Self.fileSize(path)
            // Each row fills a page of its own: past the threshold, short of the inline backstop (four times it).
            for _ in 0..<15 {
                try await engine.transaction { db in try await db.raw("INSERT INTO pages VALUES (zeroblob(3000))").run() }
            }
            // Nothing else copies the log back: the file grows only when the thread has done its work.
            while try engine.walCheckpoints.background == 0 || Self.fileSize(path) <= before {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(engine.walCheckpoints.inline == 0)
        }
    }

    @Test("under commits in a tight loop the log stays short", .timeLimit(.minutes(1)))
    func boundedLog() async throws {
        try await withEngine(checkpointAfter: 16) { engine, path in
            try await engine.run { db in try await db.raw("CREATE TABLE pages (b BLOB)").run() }
            let commits = 600
            for _ in 0..<commits {
                try await engine.transaction { db in try await db.raw("INSERT INTO pages VALUES (zeroblob(3000))").run() }
            }
            #expect(try await engine.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM pages").first(decodingColumn: "n", as: Int.self)
            } == commits)
            // Each commit adds at least a page to the log; never started over, it would hold all 600 of them.
            // The inline backstop starts it over once it reaches four times the threshold of 16 pages.
            #expect(try Self.fileSize(path + "-wal") < 2 * 4 * 16 * (4096 + 24))
        }
    }

    @Test("past the threshold, a checkpoint is asked for each time the log has grown by a quarter of it, not at each commit",
          .timeLimit(.minutes(1)))
    func checkpointSteps() async throws {
        try await withEngine(checkpointAfter: 32) { engine, path in
            try await engine.run { db in try await db.raw("CREATE TABLE pages (b BLOB)").run() }
            // A read kept open keeps every later page in the log: no checkpoint can copy them, nor the log start over.
            let (opened, readOpen) = AsyncStream<Void>.makeStream()
            let (close, closing) = AsyncStream<Void>.makeStream()
            let reader = Task {
                defer { readOpen.finish() }
                try await engine.read { db in
                    try await db.raw("BEGIN").run()
                    _ = try await db.raw("SELECT COUNT(*) AS n FROM pages").first()
                    readOpen.yield()
                    for await _ in close { break }
                    try await db.raw("COMMIT").run()
                }
            }
            for await _ in opened { break }
            var pastThreshold = 0
            for _ in 0..<30 {
                try await engine.transaction { db in try await db.raw("INSERT INTO pages VALUES (zeroblob(3000))").run() }
                if try Self.fileSize(path + "-wal") / (4096 + 24) >= 32 { pastThreshold += 1 }
                // The thread takes up what was asked before the next commit, so that commit may ask again.
                while engine.walCheckpointsAsked.waiting { try await Task.sleep(for: .milliseconds(1)) }
            }
            closing.yield()
            try await reader.value
            let logPages = Int(try Self.fileSize(path + "-wal") / (4096 + 24))
            #expect(logPages < 4 * 32, "the log stayed short of the inline backstop")
            #expect(pastThreshold >= 15, "\(pastThreshold) commits found the log past the threshold")
            // Asked at 32 pages or more, then each time the log had grown by 8 since.
            let asked = engine.walCheckpointsAsked.count
            #expect(asked >= 1 && asked <= (logPages - 32) / 8 + 1, "\(asked) checkpoints asked for a log of \(logPages) pages")
        }
    }

    struct Refused: Error, Equatable { let value: Int }

    @Test("transactions that wait for the writer commit as one group; one that throws rolls back alone", .timeLimit(.minutes(1)))
    func groupCommit() async throws {
        try await withEngine { engine, _ in
            let started = AsyncStream.makeStream(of: Void.self), finish = AsyncStream.makeStream(of: Void.self)
            async let first: Int = engine.transaction { db in
                try await db.raw("INSERT INTO t VALUES (-1)").run()
                started.continuation.yield()
                for await _ in finish.stream { break }
                return -1
            }
            for await _ in started.stream { break }
            // While the first holds the writer, twenty more queue; every seventh throws after its insert.
            let outcomes = Task {
                try await withThrowingTaskGroup(of: Result<Int, Refused>.self) { group in
                    for value in 0..<20 {
                        group.addTask {
                            do {
                                return .success(try await engine.transaction { db in
                                    try await db.raw("INSERT INTO t VALUES (\(bind: value))").run()
                                    if value % 7 == 0 { throw Refused(value: value) }
                                    return value
                                })
                            } catch let refused as Refused {
                                return .failure(refused)
                            }
                        }
                    }
                    return try await group.reduce(into: [Result<Int, Refused>]()) { $0.append($1) }
                }
            }
            while engine.transactionGroups.waiting < 20 { try await Task.sleep(for: .milliseconds(2)) }
            finish.continuation.yield()
            #expect(try await first == -1)
            let results = try await outcomes.value
            for value in 0..<20 {
                #expect(results.contains(value % 7 == 0 ? .failure(Refused(value: value)) : .success(value)))
            }
            let stored = try await engine.read { db in
                try await db.raw("SELECT v FROM t ORDER BY v").all().map { try $0.decode(column: "v", as: Int.self) }
            }
            #expect(stored == [-1] + (0..<20).filter { $0 % 7 != 0 })
            #expect(engine.transactionGroups.groups == 2)
            #expect(engine.transactionGroups.transactions == 21)
        }
    }

    @Test("short writes that wait for the writer join the next group of transactions and share its commit",
          .timeLimit(.minutes(1)))
    func writesJoinTheGroup() async throws {
        try await withEngine { engine, _ in
            let started = AsyncStream.makeStream(of: Void.self), finish = AsyncStream.makeStream(of: Void.self)
            async let first: Void = engine.transaction { db in
                try await db.raw("INSERT INTO t VALUES (-1)").run()
                started.continuation.yield()
                for await _ in finish.stream { break }
            }
            for await _ in started.stream { break }
            let writes = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for value in 0..<5 {
                        group.addTask { try await engine.write { db in try await db.raw("INSERT INTO t VALUES (\(bind: value))").run() } }
                    }
                    try await group.waitForAll()
                }
            }
            for _ in 0..<2_500 where engine.transactionGroups.waiting < 5 { try await Task.sleep(for: .milliseconds(2)) }
            #expect(engine.transactionGroups.waiting == 5, "the writes queued for the next group, not for the writer")
            finish.continuation.yield()
            try await first
            try await writes.value
            #expect(try await engine.read(Self.count) == 6)
            #expect(engine.transactionGroups.groups == 2, "the five writes committed once, together")
            #expect(engine.transactionGroups.transactions == 6)
        }
    }

    @Test("a transaction alone in its group keeps no copies of the pages it changes, however many, and still rolls back",
          .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/fd"), "the open files are read from /proc"),
          .timeLimit(.minutes(1)))
    func aloneWithoutSavepoint() async throws {
        try await withEngine { engine, _ in
            // Rows of a kilobyte, so that an update of all of them changes some hundred pages that existed before it.
            try await engine.transaction { db in
                for value in 0..<400 { try await db.raw("INSERT INTO t VALUES (\(bind: value) || printf('%.1000c', 'x'))").run() }
            }
            let spilled = try await engine.transaction { db in
                let before = Set(Self.temporaryFilesOpen())
                try await db.raw("UPDATE t SET v = v || 'y'").run()
                return Set(Self.temporaryFilesOpen()).subtracting(before)
            }
            #expect(spilled.isEmpty, "SQLite copied the changed pages to \(spilled)")
            await #expect(throws: Refused.self) {
                try await engine.transaction { db in
                    try await db.raw("UPDATE t SET v = 'gone'").run()
                    throw Refused(value: 0)
                }
            }
            let kept = try await engine.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM t WHERE v LIKE '%xy'").first(decodingColumn: "n", as: Int.self)
            }
            #expect(kept == 400, "the rolled back update left every row as the one before wrote it")
            #expect(try await engine.transaction { db in try await Self.count(db) } == 400, "the writer goes on")
        }
    }

    /// SQLite's temporary files this process holds open, in whatever directory: unnamed (`O_TMPFILE`, shown as `#` and
    /// the inode) or named `etilqs_…`, deleted as soon as opened.
    static func temporaryFilesOpen() -> [String] {
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        return fds.compactMap { try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0) }
            .filter { target in
                let name = target.split(separator: "/").last ?? ""
                return (name.hasPrefix("#") || name.hasPrefix("etilqs_")) && target.hasSuffix(" (deleted)")
            }
    }

    /// The tasks that called a transaction, and those its body ran in.
    final class TaskRecord: Sendable {
        let seen = Mutex<(callers: Set<Int>, bodies: Set<Int>)>(([], []))
    }

    @Test("a group runs in the task of one of its callers, not in a task of its own", .timeLimit(.minutes(1)))
    func groupRunsInACallersTask() async throws {
        try await withEngine { engine, _ in
            let tasks = TaskRecord()
            let current: @Sendable () -> Int = { withUnsafeCurrentTask { $0?.hashValue ?? 0 } }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for value in 0..<30 {
                    group.addTask {
                        tasks.seen.withLock { _ = $0.callers.insert(current()) }
                        try await engine.transaction { db in
                            tasks.seen.withLock { _ = $0.bodies.insert(current()) }
                            try await db.raw("INSERT INTO t VALUES (\(bind: value))").run()
                        }
                    }
                }
                try await group.waitForAll()
            }
            let seen = tasks.seen.withLock { $0 }
            #expect(!seen.bodies.isEmpty && seen.bodies.isSubset(of: seen.callers))
            #expect(try await engine.read(Self.count) == 30)
        }
    }

    struct ColumnKinds: Decodable, Equatable {
        var text: String, noText: String?, someText: String?, empty: String
        var big: Int64, noNumber: Int64?, someNumber: Int64?, small: Int
        var flag: Bool, real: Double, numberAsText: String?
    }

    @Test("each kind of column reads back as the type asked for")
    func columnKinds() async throws {
        try await withEngine { engine, _ in
            let row = try await engine.read { db in
                try await db.raw("""
                    SELECT 'été 🙂' AS text, NULL AS noText, 'x' AS someText, '' AS empty, 9223372036854775807 AS big,
                           NULL AS noNumber, -5 AS someNumber, 42 AS small, 1 AS flag, 2.5 AS real, '7' AS numberAsText
                    """).first(decoding: ColumnKinds.self)
            }
            #expect(row == ColumnKinds(text: "été 🙂", noText: nil, someText: "x", empty: "", big: .max, noNumber: nil, someNumber: -5,
                                       small: 42, flag: true, real: 2.5, numberAsText: "7"))
            // A text column is not an integer, nor an integer column text.
            await #expect(throws: (any Error).self) {
                try await engine.read { db in try await db.raw("SELECT 'seven' AS n").first(decodingColumn: "n", as: Int64.self) }
            }
        }
    }

    @Test("a cached statement names the columns a change of schema gave it")
    func columnsAfterSchemaChange() async throws {
        try await withEngine { engine, _ in
            let columns: @Sendable (any SQLDatabase) async throws -> [String] = { db in
                try await db.raw("SELECT * FROM t").first()?.allColumns ?? []
            }
            try await engine.run { db in try await db.raw("INSERT INTO t VALUES (1)").run() }
            #expect(try await engine.run(columns) == ["v"])
            #expect(try await engine.run(columns) == ["v"])
            try await engine.run { db in try await db.raw("ALTER TABLE t ADD COLUMN w TEXT DEFAULT 'new'").run() }
            #expect(try await engine.run(columns) == ["v", "w"])
            let value = try await engine.run { db in try await db.raw("SELECT * FROM t").first()?.decode(column: "w", as: String.self) }
            #expect(value == "new")
        }
    }

    static func fileSize(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    }
}
