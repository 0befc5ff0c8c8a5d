import NIOCore
import SQLiteNIO
// The one use of a module that is not a product of its package: see the doc comment below.
internal import VaporCSQLite

/// One SQLite connection driven synchronously through the vendored SQLite C API, with a cache of prepared statements.
/// Not thread-safe by itself: `SQLiteEngine` gives it to one task at a time.
///
/// Every call blocks the calling thread until SQLite answers: from its page cache in microseconds, from the disk, or
/// after waiting up to five seconds (`busy_timeout`) for another process's lock.
///
/// Why the C API rather than `SQLiteNIO.SQLiteConnection`: SQLiteNIO's public API runs each statement on a
/// `NIOThreadPool` and answers through an event-loop future (three thread hops a statement, which
/// `InlineSQLiteDatabase` exists to avoid), and it offers no cache of prepared statements, no write-ahead-log hook and
/// no checkpoint. sqlite-nio publishes the C API it vendors (`VaporCSQLite`, the SQLite amalgamation with
/// `sqlite_nio_`-prefixed names) only to its own targets, not as a product. The alternatives cost more: linking the
/// system's libsqlite3 adds a shared library to the statically linked release binary and its container image;
/// vendoring a second amalgamation puts two copies of SQLite in one process, whose POSIX-lock bookkeeping does not see
/// each other's open files. So the narrowest use is kept: this file alone imports the module, `internal`ly so it leaks
/// to no other file or module, and Package.resolved pins the exact sqlite-nio revision; an update that renames or
/// reshapes the module fails the build here.
final class SQLiteHandle: @unchecked Sendable {
    private var db: OpaquePointer?
    private var statements: [String: PreparedStatement] = [:]
    /// Told of each commit's log size; kept here so it lives as long as the hook that points at it.
    private var logObserver: WALCheckpointer?
    private static let maxCachedStatements = 256
    /// SQLite's `SQLITE_TRANSIENT`: copy bound text and blobs before returning.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(path: String?) throws {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX | (path == nil ? SQLITE_OPEN_MEMORY : 0)
        let status = sqlite_nio_sqlite3_open_v2(path ?? ":memory:", &db, flags, nil)
        guard status == SQLITE_OK, db != nil else {
            let message = db.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite_nio_sqlite3_close(db)
            throw SQLiteEngineError(message: "cannot open \(path ?? "in-memory database"): \(message)")
        }
        sqlite_nio_sqlite3_busy_timeout(db, 5000)
    }

    /// Runs one statement and returns its rows.
    func query(_ sql: String, binds: [SQLiteData]) throws -> [SQLiteValuesRow] {
        guard let db else { throw SQLiteEngineError(message: "the database is closed") }
        let prepared = try prepared(sql, on: db)
        let statement = prepared.statement
        // The bindings stay until the next use binds every parameter again. Clearing them would expire any statement
        // whose plan looked at a bound value (an equality tested outside the index), and SQLite would prepare it anew
        // on every use.
        defer { sqlite_nio_sqlite3_reset(statement) }
        for (index, value) in binds.enumerated() { try bind(value, at: Int32(index + 1), to: statement, on: db) }
        var rows: [SQLiteValuesRow] = []
        while true {
            switch sqlite_nio_sqlite3_step(statement) {
            case SQLITE_ROW:
                let columns = prepared.columns()
                let values = (0..<Int32(columns.names.count)).map { value(at: $0, in: statement) }
                rows.append(SQLiteValuesRow(columns: columns, values: values))
            case SQLITE_DONE:
                return rows
            default:
                throw SQLiteEngineError(message: String(cString: sqlite_nio_sqlite3_errmsg(db)))
            }
        }
    }

    /// Runs one statement that returns no rows.
    func execute(_ sql: String) throws { _ = try query(sql, binds: []) }

    /// How often SQLite has had to prepare the cached statements again since they were cached.
    var repreparations: Int {
        statements.values.reduce(0) { $0 + Int($1.preparations) }
    }

    /// Hands the log size after each commit to `checkpointer` instead of checkpointing inside the commit.
    func reportLogGrowth(to checkpointer: WALCheckpointer) {
        logObserver = checkpointer
        sqlite_nio_sqlite3_wal_hook(db, { context, db, _, pages in
            Unmanaged<WALCheckpointer>.fromOpaque(context!).takeUnretainedValue().committed(logPages: pages, writer: db)
            return SQLITE_OK
        }, Unmanaged.passUnretained(checkpointer).toOpaque())
    }

    /// A raw SQLite connection, as a hook receives it.
    typealias Connection = OpaquePointer?

    /// A passive checkpoint of the whole log; false when SQLite could not run one.
    func checkpoint() -> Bool { Self.checkpoint(db) }

    @discardableResult
    static func checkpoint(_ db: Connection) -> Bool {
        sqlite_nio_sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil) == SQLITE_OK
    }

    func close() {
        if logObserver != nil {
            sqlite_nio_sqlite3_wal_hook(db, nil, nil)
            logObserver = nil
        }
        for prepared in statements.values { sqlite_nio_sqlite3_finalize(prepared.statement) }
        statements = [:]
        sqlite_nio_sqlite3_close(db)
        db = nil
    }

    deinit { close() }

    private func prepared(_ sql: String, on db: OpaquePointer) throws -> PreparedStatement {
        if let prepared = statements[sql] { return prepared }
        var statement: OpaquePointer?
        guard sqlite_nio_sqlite3_prepare_v3(db, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil) == SQLITE_OK,
              let statement
        else { throw SQLiteEngineError(message: String(cString: sqlite_nio_sqlite3_errmsg(db))) }
        if statements.count >= Self.maxCachedStatements {
            for cached in statements.values { sqlite_nio_sqlite3_finalize(cached.statement) }
            statements = [:]
        }
        let prepared = PreparedStatement(statement)
        statements[sql] = prepared
        return prepared
    }

    private func bind(_ value: SQLiteData, at index: Int32, to statement: OpaquePointer, on db: OpaquePointer) throws {
        let status: Int32
        switch value {
        case .integer(let number): status = sqlite_nio_sqlite3_bind_int64(statement, index, Int64(number))
        case .float(let number): status = sqlite_nio_sqlite3_bind_double(statement, index, number)
        case .text(let text): status = sqlite_nio_sqlite3_bind_text(statement, index, text, -1, Self.transient)
        case .blob(let buffer):
            status = buffer.withUnsafeReadableBytes {
                sqlite_nio_sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), Self.transient)
            }
        case .null: status = sqlite_nio_sqlite3_bind_null(statement, index)
        }
        guard status == SQLITE_OK else { throw SQLiteEngineError(message: String(cString: sqlite_nio_sqlite3_errmsg(db))) }
    }

    private func value(at column: Int32, in statement: OpaquePointer) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, column)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            guard let text = sqlite_nio_sqlite3_column_text(statement, column) else { return .null }
            return .text(String(cString: text))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, column))
            guard let bytes = sqlite_nio_sqlite3_column_blob(statement, column) else { return .blob(ByteBuffer()) }
            return .blob(ByteBuffer(bytes: UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }
}

/// A cached statement and the names of its result columns, read once per preparation rather than on every query.
private final class PreparedStatement {
    let statement: OpaquePointer
    private var named: (preparation: Int32, columns: SQLiteValuesRow.Columns)?

    init(_ statement: OpaquePointer) { self.statement = statement }

    /// How often SQLite has prepared the statement again since it was cached, as after a change of schema.
    var preparations: Int32 { sqlite_nio_sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_REPREPARE, 0) }

    /// Asked after a step: a step may prepare the statement again, and `SELECT *` then names other columns.
    func columns() -> SQLiteValuesRow.Columns {
        let preparation = preparations
        if let named, named.preparation == preparation { return named.columns }
        let columns = SQLiteValuesRow.Columns((0..<sqlite_nio_sqlite3_column_count(statement)).map {
            String(cString: sqlite_nio_sqlite3_column_name(statement, $0))
        })
        named = (preparation, columns)
        return columns
    }
}

/// A failure reported by SQLite.
public struct SQLiteEngineError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { "SQLite: \(message)" }
}
