import SQLiteKit
import SQLKit

/// A result row read out of SQLite, decoded through SQLiteKit's value decoder.
struct SQLiteValuesRow: SQLRow {
    /// Column names and their positions, shared by every row of one result.
    final class Columns: Sendable {
        let names: [String]
        let positions: [String: Int]

        init(_ names: [String]) {
            self.names = names
            var positions: [String: Int] = [:]
            for (index, name) in names.enumerated() where positions[name] == nil { positions[name] = index }
            self.positions = positions
        }
    }

    let columns: Columns
    let values: [SQLiteData]
    static let decoder = SQLiteDataDecoder()

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool { columns.positions[column] != nil }

    func decodeNil(column: String) throws -> Bool {
        guard let index = columns.positions[column] else { return true }
        return values[index] == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        guard let index = columns.positions[column] else {
            throw SQLiteEngineError(message: "the result has no column \(column)")
        }
        let value = values[index]
        if let plain = Self.plain(value, as: D.self) { return plain }
        return try Self.decoder.decode(D.self, from: value)
    }

    /// Text and integer columns, nearly every value the store reads, as the decoder would give them without running it.
    static func plain<D>(_ value: SQLiteData, as type: D.Type) -> D? {
        switch value {
        case .text(let text):
            if D.self == String.self { return unsafeBitCast(text, to: D.self) }
            if D.self == String?.self { return unsafeBitCast(Optional(text), to: D.self) }
        case .integer(let number):
            if D.self == Int64.self { return unsafeBitCast(Int64(number), to: D.self) }
            if D.self == Int64?.self { return unsafeBitCast(Optional(Int64(number)), to: D.self) }
            if D.self == Int.self { return unsafeBitCast(number, to: D.self) }
        case .null:
            if D.self == String?.self { return unsafeBitCast(String?.none, to: D.self) }
            if D.self == Int64?.self { return unsafeBitCast(Int64?.none, to: D.self) }
        default:
            break
        }
        return nil
    }
}
