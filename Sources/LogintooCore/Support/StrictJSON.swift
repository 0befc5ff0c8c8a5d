/// A strict RFC 8259 parser for request bodies from the internet: valid UTF-8 only, no duplicate names in an object
/// (parsers disagree on which copy wins, which lets one value pass a check and another be used), bounded nesting.
public enum StrictJSON {
    public enum Failure: Error, Equatable, Sendable {
        case invalidUTF8
        case syntax(offset: Int)
        case duplicateName(String)
        case tooDeep
    }

    public static let maxDepth = 32

    public static func parse(_ bytes: some Collection<UInt8>) throws(Failure) -> JSONValue {
        let input = Array(bytes)
        guard String(validating: input, as: UTF8.self) != nil else { throw .invalidUTF8 }
        var parser = Parser(bytes: input)
        parser.skipWhitespace()
        let value = try parser.value(depth: 0)
        parser.skipWhitespace()
        guard parser.offset == input.count else { throw .syntax(offset: parser.offset) }
        return value
    }

    struct Parser {
        let bytes: [UInt8]
        var offset = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        var current: UInt8? { offset < bytes.count ? bytes[offset] : nil }

        mutating func skipWhitespace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { offset += 1 }
        }

        mutating func expect(_ byte: UInt8) throws(Failure) {
            guard current == byte else { throw .syntax(offset: offset) }
            offset += 1
        }

        mutating func value(depth: Int) throws(Failure) -> JSONValue {
            guard depth < StrictJSON.maxDepth else { throw .tooDeep }
            guard let current else { throw .syntax(offset: offset) }
            switch current {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try number())
            default: throw .syntax(offset: offset)
            }
        }

        mutating func literal(_ word: String) throws(Failure) {
            for byte in word.utf8 { try expect(byte) }
        }

        mutating func object(depth: Int) throws(Failure) -> JSONValue {
            try expect(UInt8(ascii: "{"))
            var members: [String: JSONValue] = [:]
            skipWhitespace()
            if current == UInt8(ascii: "}") { offset += 1; return .object(members) }
            while true {
                skipWhitespace()
                let name = try string()
                guard members[name] == nil else { throw .duplicateName(name) }
                skipWhitespace()
                try expect(UInt8(ascii: ":"))
                skipWhitespace()
                members[name] = try value(depth: depth + 1)
                skipWhitespace()
                if current == UInt8(ascii: ",") { offset += 1; continue }
                try expect(UInt8(ascii: "}"))
                return .object(members)
            }
        }

        mutating func array(depth: Int) throws(Failure) -> JSONValue {
            try expect(UInt8(ascii: "["))
            var elements: [JSONValue] = []
            skipWhitespace()
            if current == UInt8(ascii: "]") { offset += 1; return .array(elements) }
            while true {
                skipWhitespace()
                elements.append(try value(depth: depth + 1))
                skipWhitespace()
                if current == UInt8(ascii: ",") { offset += 1; continue }
                try expect(UInt8(ascii: "]"))
                return .array(elements)
            }
        }

        mutating func string() throws(Failure) -> String {
            try expect(UInt8(ascii: "\""))
            var text: [UInt8] = []
            while let byte = current {
                offset += 1
                switch byte {
                case UInt8(ascii: "\""):
                    return String(decoding: text, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    try escape(into: &text)
                case 0..<0x20:
                    throw .syntax(offset: offset - 1)
                default:
                    text.append(byte)
                }
            }
            throw .syntax(offset: offset)
        }

        mutating func escape(into text: inout [UInt8]) throws(Failure) {
            guard let byte = current else { throw .syntax(offset: offset) }
            offset += 1
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(byte)
            case UInt8(ascii: "b"): text.append(0x08)
            case UInt8(ascii: "f"): text.append(0x0C)
            case UInt8(ascii: "n"): text.append(0x0A)
            case UInt8(ascii: "r"): text.append(0x0D)
            case UInt8(ascii: "t"): text.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    try literal("\\u")
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw .syntax(offset: offset) }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                guard let character = Unicode.Scalar(scalar) else { throw .syntax(offset: offset) }
                text.append(contentsOf: String(character).utf8)
            default:
                throw .syntax(offset: offset - 1)
            }
        }

        mutating func hex4() throws(Failure) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let byte = current, let digit = URLQuery.hexValue(byte) else { throw .syntax(offset: offset) }
                value = value << 4 | UInt32(digit)
                offset += 1
            }
            return value
        }

        mutating func number() throws(Failure) -> Double {
            let start = offset
            if current == UInt8(ascii: "-") { offset += 1 }
            if current == UInt8(ascii: "0") {
                offset += 1
            } else {
                guard digits() > 0 else { throw .syntax(offset: offset) }
            }
            if current == UInt8(ascii: ".") {
                offset += 1
                guard digits() > 0 else { throw .syntax(offset: offset) }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                offset += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { offset += 1 }
                guard digits() > 0 else { throw .syntax(offset: offset) }
            }
            guard let value = Double(String(decoding: bytes[start..<offset], as: UTF8.self)) else {
                throw .syntax(offset: start)
            }
            return value
        }

        mutating func digits() -> Int {
            let start = offset
            while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { offset += 1 }
            return offset - start
        }
    }
}
