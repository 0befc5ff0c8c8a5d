import Foundation

/// Reads client records in the original Logintoo's storage export: a plain JSON array of objects, or DynamoDB-typed
/// items (`{"S": ...}`, `{"N": ...}`, `{"L": [...]}`, `{"BOOL": ...}`), bare or wrapped as a table scan prints them.
public enum LogintooClientImport {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let description: String
    }

    /// One client read from the file, with what had to fall back to a default.
    public struct Record: Sendable, Equatable {
        public var client: Client
        public var warnings: [String]
    }

    public static func read(_ data: Data, now: Int64) throws(Failure) -> [Record] {
        guard let json = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw Failure(description: "the file is not JSON")
        }
        let items: [JSONValue]
        if case .array(let array) = json {
            items = array
        } else if case .object(let object) = json, case .array(let wrapped)? = object["Items"] {
            items = wrapped
        } else {
            throw Failure(description: "expected a JSON array of clients, or an object with \"Items\"")
        }
        return try items.enumerated().map { (index, item) throws(Failure) in
            guard case .object(let object) = item else { throw Failure(description: "item \(index + 1) is not an object") }
            return try record(object.mapValues(\.unwrappingDynamoDB), index: index, now: now)
        }
    }

    static func record(_ fields: [String: LogintooClientSettings.Value], index: Int, now: Int64) throws(Failure) -> Record {
        let idField = ["clientId", "client_id", "id"].lazy.compactMap { fields[$0] }.first
        guard case .string(let id)? = idField, (1...128).contains(id.utf8.count), id.allSatisfy(Self.isIdCharacter) else {
            throw Failure(description: "item \(index + 1) has no usable clientId")
        }
        var client = LogintooClientSettings.defaults(id: id, createdAt: now)
        var warnings: [String] = []
        for name in LogintooClientSettings.names {
            if case .defaulted(let reason) = LogintooClientSettings.apply(name, fields[name] ?? .null, to: &client) {
                warnings.append(reason)
            }
        }
        guard !client.redirectURIs.isEmpty else {
            throw Failure(description: "client \(id) has no usable redirect URI in redirectURIs")
        }
        return Record(client: client, warnings: warnings)
    }

    static func isIdCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || "-_.".contains(character))
    }
}

extension JSONValue {
    /// The value with DynamoDB's type wrappers (`{"S": …}`, `{"N": …}`, `{"L": […]}`, …) unwrapped; any other object
    /// is no setting value.
    var unwrappingDynamoDB: JSONValue {
        switch self {
        case .array(let items): return .array(items.map(\.unwrappingDynamoDB))
        case .object(let object):
            guard object.count == 1, let (type, inner) = object.first else { return .null }
            switch (type, inner) {
            case ("S", .string), ("BOOL", .bool): return inner
            case ("N", .string(let text)): return Double(text).map { .number($0) } ?? inner
            case ("L", .array(let items)), ("SS", .array(let items)): return .array(items.map(\.unwrappingDynamoDB))
            default: return .null
            }
        default: return self
        }
    }
}
