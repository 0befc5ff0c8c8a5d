import SQLKit

/// A database that runs work one transaction at a time through SQLKit: the seam between the store and an engine.
public protocol SQLEngine: Sendable {
    /// Runs `body` inside a transaction, committing when it returns and rolling back when it throws.
    func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// Runs `body` in a transaction that waits behind concurrent writers of the rows it writes instead of failing
    /// against them. Its reads see what was committed when each statement started, so it suits bodies whose first
    /// write is to a row every competing transaction writes too (a counter), which then runs them one at a time.
    func queuedTransaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// Runs a read or a single statement outside an explicit transaction.
    func run<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// Runs statements that only read, outside a transaction; each sees what was committed when it started. An engine
    /// may run them beside a writing transaction, on a connection of their own.
    func read<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// Runs `body` while no other process holds the same lock (schema migrations of instances starting together).
    func withExclusiveLock<R: Sendable>(_ body: @Sendable () async throws -> R) async throws -> R
    func close() async throws
}

extension SQLEngine {
    /// An embedded database runs one writing transaction at a time, so every transaction already waits its turn.
    public func queuedTransaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await transaction(body)
    }

    public func read<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await run(body)
    }

    /// One process owns an embedded database file, so there is nobody to exclude.
    public func withExclusiveLock<R: Sendable>(_ body: @Sendable () async throws -> R) async throws -> R {
        try await body()
    }
}
