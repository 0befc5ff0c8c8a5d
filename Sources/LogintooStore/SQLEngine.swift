import SQLKit

/// A database that runs work one transaction at a time through SQLKit: the seam between the store and an engine.
public protocol SQLEngine: Sendable {
    /// Runs `body` inside a transaction, committing when it returns and rolling back when it throws.
    func transaction<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// Runs a read or a single statement outside an explicit transaction.
    func run<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    func close() async throws
}
