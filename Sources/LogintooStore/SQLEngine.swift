import SQLKit

/// A database that runs work one transaction at a time through SQLKit: the seam between the store and an engine.
public protocol SQLEngine: Sendable {
    /// Runs `body` inside a transaction, committing when it returns and rolling back when it throws.
    func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// Runs a read or a single statement outside an explicit transaction.
    func run<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// Runs `body` while no other process holds the same lock (schema migrations of instances starting together).
    func withExclusiveLock<R: Sendable>(_ body: @Sendable () async throws -> R) async throws -> R
    func close() async throws
}

extension SQLEngine {
    /// One process owns an embedded database file, so there is nobody to exclude.
    public func withExclusiveLock<R: Sendable>(_ body: @Sendable () async throws -> R) async throws -> R {
        try await body()
    }
}
