import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Logging
import LogintooCore
import LogintooStore
import LogintooTestSupport
import SQLKit
import Synchronization
import Testing

/// A database call ends at its deadline, and the engine closes, however the database stops answering: a server silent
/// in the middle of a statement, one that never finishes a connection's startup, a connection closed between two
/// statements of a transaction. Every wait in these tests is bounded (`BoundedOutcome`), so a hang fails them.
@Suite("PostgreSQL engine: deadlines and shutdown", .serialized, .timeLimit(.minutes(1)))
struct PostgresEngineDeadlineTests {
    static let deadline: Duration = .milliseconds(500)
    /// Time allowed past a deadline, or for closing: unwinding takes microseconds, but a CI machine running the other
    /// suites beside this one has taken more than two seconds to schedule it. A hang still fails: nothing here ends on
    /// its own without the deadline. Less than the pool's closing limit (five seconds), so a close that only ends at
    /// that limit still fails.
    static let margin: Duration = .seconds(4)

    static func engine(on server: SilentPostgres, deadline: Duration = deadline) throws -> PostgresEngine {
        var settings = try PostgresEngine.Settings(url: "postgres://logintoo@127.0.0.1:\(server.port)/logintoo?sslmode=disable")
        settings.poolSize = 1
        return PostgresEngine.open(settings, logger: Logger(label: "test"), deadline: deadline)
    }

    static let selectOne: @Sendable (any SQLDatabase) async throws -> Void = { db in try await db.raw("SELECT 1").run() }

    /// Waits, at most `limit`, for `condition`.
    static func eventually(within limit: Duration = margin, _ condition: () -> Bool) async throws -> Bool {
        let end = ContinuousClock.now + limit
        while !condition() {
            guard ContinuousClock.now < end else { return false }
            try await Task.sleep(for: .milliseconds(10))
        }
        return true
    }

    @Test("a statement the database never answers fails at the deadline, and its connection is closed, not pooled")
    func silentStatement() async throws {
        let server = try SilentPostgres(answersStartup: true)
        defer { server.stop() }
        let engine = try Self.engine(on: server)
        let run: @Sendable () async throws -> Void = { try await engine.run(Self.selectOne) }
        let transaction: @Sendable () async throws -> Void = { try await engine.transaction(Self.selectOne) }
        for (index, (name, call)) in [("run", run), ("transaction", transaction)].enumerated() {
            // Right after an expiry, the pool may hand out the connection being closed once, before it has taken the
            // close in: that call fails at once without reaching the server. The next one gets a new connection.
            var attempts = 0
            var outcome: BoundedOutcome<Void>
            var reached: Bool
            var closedBefore: Int
            repeat {
                attempts += 1
                closedBefore = server.closedByClient.load(ordering: .relaxed)
                let bytesBefore = server.bytesAfterStartup.load(ordering: .relaxed)
                outcome = await BoundedOutcome<Void>.of(within: Self.deadline + Self.margin, call)
                reached = server.bytesAfterStartup.load(ordering: .relaxed) > bytesBefore
            } while !reached && index > 0 && attempts < 2 && outcome.error is StoreUnavailable
            #expect(reached, "\(name): the statement reached the server (attempts: \(attempts))")
            #expect(outcome.error is StoreUnavailable, "\(name): \(outcome)")
            #expect(try #require(outcome.duration, "\(name) outlived its deadline") >= Self.deadline)
            #expect(try await Self.eventually { server.closedByClient.load(ordering: .relaxed) > closedBefore },
                    "\(name): the connection left waiting for an answer is closed")
        }
        #expect(await BoundedOutcome.of(within: Self.margin) { try await engine.close() }.duration != nil)
    }

    @Test("closing the engine ends a call waiting on a silent database, and does not wait for it")
    func closeDuringSilentStatement() async throws {
        let server = try SilentPostgres(answersStartup: true)
        defer { server.stop() }
        let engine = try Self.engine(on: server, deadline: .seconds(60))
        let call = Task { await BoundedOutcome.of(within: .seconds(30)) { try await engine.run(Self.selectOne) } }
        #expect(try await Self.eventually { server.bytesAfterStartup.load(ordering: .relaxed) > 0 })
        let closing = await BoundedOutcome.of(within: Self.margin) { try await engine.close() }
        #expect(closing.duration != nil, "the engine closes while a call waits for an answer")
        let stuck = await BoundedOutcome.of(within: Self.margin) { await call.value }
        guard case .finished(.success(let ended), _) = stuck else { Issue.record("the call outlived the engine"); return }
        #expect(ended.error is StoreUnavailable, "\(ended)")
        #expect(try #require(ended.duration) < .seconds(30))
    }

    @Test("closing the engine does not wait for a connection stuck in its startup, nor does a call")
    func closeDuringSilentStartup() async throws {
        let server = try SilentPostgres(answersStartup: false)
        defer { server.stop() }
        let engine = try Self.engine(on: server)
        let outcome = await BoundedOutcome.of(within: Self.deadline + Self.margin) { try await engine.run(Self.selectOne) }
        #expect(outcome.error is StoreUnavailable, "\(outcome)")
        let waiting = Task { await BoundedOutcome.of(within: .seconds(30)) { try await engine.run(Self.selectOne) } }
        try await Task.sleep(for: .milliseconds(100))
        #expect(await BoundedOutcome.of(within: Self.margin) { try await engine.close() }.duration != nil)
        let stuck = await BoundedOutcome.of(within: Self.margin) { await waiting.value }
        guard case .finished(.success(let ended), _) = stuck else { Issue.record("the call outlived the engine"); return }
        #expect(ended.error != nil && ended.duration! <= Self.deadline + Self.margin, "\(ended)")
    }

    @Test("a cancelled call on a silent database ends at its deadline")
    func cancelledCall() async throws {
        let server = try SilentPostgres(answersStartup: true)
        defer { server.stop() }
        let engine = try Self.engine(on: server)
        let calling = Task { try await engine.run(Self.selectOne) }
        #expect(try await Self.eventually { server.bytesAfterStartup.load(ordering: .relaxed) > 0 })
        calling.cancel()
        let outcome = await BoundedOutcome.of(within: Self.deadline + Self.margin) { try await calling.value }
        #expect(outcome.duration != nil, "the call outlived its deadline")
        #expect(outcome.error != nil, "\(outcome)")
        #expect(await BoundedOutcome.of(within: Self.margin) { try await engine.close() }.duration != nil)
    }

    @Test("waiting for the exclusive lock on a silent database ends a deadline after the caller is cancelled")
    func cancelledLockWait() async throws {
        let server = try SilentPostgres(answersStartup: true)
        defer { server.stop() }
        let engine = try Self.engine(on: server)
        let locking = Task { try await engine.withExclusiveLock { } }
        #expect(try await Self.eventually { server.bytesAfterStartup.load(ordering: .relaxed) > 0 })
        try await Task.sleep(for: Self.deadline)
        #expect(server.closedByClient.load(ordering: .relaxed) == 0, "waiting for the lock has no deadline of its own")
        locking.cancel()
        let outcome = await BoundedOutcome.of(within: Self.deadline + Self.margin) { try await locking.value }
        #expect(outcome.duration != nil, "the lock wait outlived its caller's cancellation")
        #expect(outcome.error != nil, "\(outcome)")
        #expect(await BoundedOutcome.of(within: Self.margin) { try await engine.close() }.duration != nil)
    }

    struct BodyFailed: Error {}

    @Test("a lock whose connection the server closed is given up at once: releasing it does not wait forever",
          .enabled(if: TestDatabase.postgresURL != nil))
    func lockOnAClosedConnection() async throws {
        let engine = try await TestDatabase.engine()
        let outcome = await BoundedOutcome.of(within: .seconds(10)) {
            try await engine.withExclusiveLock {
                // The keys are reloaded under this lock every 30 seconds: a database restart can close its connection
                // while the body runs, whose failure then releases the lock on the closed connection.
                let holder = try await engine.run { db in
                    try await db.raw("""
                        SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
                          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                        """).first(decodingColumn: "pid", as: Int32.self)
                }
                try await engine.run { db in try await db.raw("SELECT pg_terminate_backend(\(bind: holder))").run() }
                try await Task.sleep(for: .milliseconds(300))
                throw BodyFailed()
            }
        }
        #expect(outcome.error is BodyFailed, "\(outcome)")
        #expect(try #require(outcome.duration, "releasing the lock never ended") < .seconds(5))
        #expect(try await engine.withExclusiveLock { 1 } == 1, "the lock can be taken again")
        try await engine.close()
    }

    @Test("a lock whose release the database never answers is given up at the deadline, and taken again afterwards",
          .enabled(if: TestDatabase.postgresURL != nil))
    func silentUnlock() async throws {
        var settings = try PostgresEngine.Settings(url: try #require(TestDatabase.postgresURL))
        settings.poolSize = 2
        let engine = PostgresEngine.open(settings, logger: Logger(label: "test"), deadline: .seconds(1))
        let stopped = Mutex<Int32?>(nil)
        // The lock's backend stops answering (as a frozen server does) once the body is done, before the unlock.
        let outcome = await BoundedOutcome.of(within: .seconds(10)) {
            try await engine.withExclusiveLock {
                let holder = try #require(try await engine.run { db in
                    try await db.raw("""
                        SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
                          AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                        """).first(decodingColumn: "pid", as: Int32.self)
                })
                #expect(kill(holder, SIGSTOP) == 0, "the tests run where the database does, as a user allowed to signal it")
                stopped.withLock { $0 = holder }
            }
        }
        if let holder = stopped.withLock({ $0 }) { kill(holder, SIGCONT) }
        #expect(try #require(outcome.duration, "releasing the lock never ended") < .seconds(5))
        // The pool may still hand out the connection closed at the deadline once, before it has taken the close in.
        let again = await BoundedOutcome.of(within: .seconds(10)) {
            for _ in 0..<50 {
                if let taken = try? await engine.withExclusiveLock({ 1 }) { return taken }
                try await Task.sleep(for: .milliseconds(100))
            }
            return 0
        }
        guard case .finished(.success(1), _) = again else {
            Issue.record("once the stopped session is gone, the lock can be taken again: \(again)"); return
        }
        try await engine.close()
    }

    @Test("a statement after the server closed the connection between two statements fails at once, not never",
          .enabled(if: TestDatabase.postgresURL != nil))
    func statementAfterTheConnectionClosed() async throws {
        var settings = try PostgresEngine.Settings(url: try #require(TestDatabase.postgresURL))
        settings.poolSize = 2
        let logger = Logger(label: "test")
        let engine = PostgresEngine.open(settings, logger: logger, deadline: .seconds(30))
        let admin = PostgresEngine.open(settings, logger: logger)
        let outcome = await BoundedOutcome.of(within: .seconds(10)) {
            try await engine.transaction { db in
                let backend = try await db.raw("SELECT pg_backend_pid() AS pid").first(decodingColumn: "pid", as: Int32.self)
                try await admin.run { db in try await db.raw("SELECT pg_terminate_backend(\(bind: backend))").run() }
                // Until the client has taken the connection's close in, and its handlers are gone: a statement written
                // then used to be dropped, unanswered, and this call to wait forever.
                try await Task.sleep(for: .milliseconds(300))
                try await db.raw("SELECT 1").run()
            }
        }
        #expect(outcome.error is StoreUnavailable, "\(outcome)")
        #expect(try #require(outcome.duration, "the call never ended") < .seconds(5))
        #expect(try await engine.run { db in
            try await db.raw("SELECT 1 AS one").first(decodingColumn: "one", as: Int.self)
        } == 1, "the pool replaced the closed connection")
        try await engine.close()
        try await admin.close()
    }
}
