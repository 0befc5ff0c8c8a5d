import Logging
import NIOCore
import NIOPosix
import SQLiteKit
import SQLKit

/// SQLKit's database interface over a `SQLiteHandle`, running each statement inline on the calling task.
/// SQLite answers in microseconds from its page cache, so this avoids three thread hops per statement;
/// the engine's lock keeps the handle to one task at a time.
struct InlineSQLiteDatabase: SQLDatabase {
    let handle: SQLiteHandle
    let logger: Logger
    let eventLoop: any EventLoop
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }
    static let encoder = SQLiteDataEncoder()

    /// A bound value as SQLite takes it. Text and integers, nearly every bind, are converted here; SQLiteKit's encoder,
    /// which asks each value for a conformance and encodes optionals through a nested encoder, handles the rest (a
    /// tenth of a sign-in's store work went to it; docs/performance.md). The value's type is compared first, so a cast
    /// is only made to the type the value has; `nil` goes to the encoder, which makes it NULL.
    static func value(_ bind: any Encodable & Sendable) throws -> SQLiteData {
        let type = type(of: bind)
        if type == String.self { return .text(bind as! String) }
        if type == Int64.self { return .integer(Int(bind as! Int64)) }
        if type == String?.self, let text = bind as! String? { return .text(text) }
        if type == Int64?.self, let number = bind as! Int64? { return .integer(Int(number)) }
        return try encoder.encode(bind)
    }

    init(handle: SQLiteHandle, logger: Logger) {
        self.handle = handle
        self.logger = logger
        eventLoop = MultiThreadedEventLoopGroup.singleton.any()
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        do {
            try run(query, onRow)
            return eventLoop.makeSucceededVoidFuture()
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try run(query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }

    private func run(_ query: any SQLExpression, _ onRow: (any SQLRow) -> Void) throws {
        let (sql, binds) = serialize(query)
        let values = try binds.map(Self.value)
        for row in try handle.query(sql, binds: values) { onRow(row) }
    }
}
