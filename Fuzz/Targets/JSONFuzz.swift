/// Request-body JSON: parsing never crashes, and a parsed document written out again parses to the same value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let value = try? StrictJSON.parse(fuzzBytes(data, size)), let text = write(value) else { return 0 }
    expect((try? StrictJSON.parse(Array(text.utf8))) == value, "round trip of \(text)")
    return 0
}

/// JSON text for a value; `nil` for numbers JSON cannot spell (infinities).
func write(_ value: JSONValue) -> String? {
    switch value {
    case .null: return "null"
    case .bool(let flag): return flag ? "true" : "false"
    case .number(let number): return number.isFinite ? "\(number)" : nil
    case .string(let text): return quote(text)
    case .array(let items):
        let parts = items.map(write)
        return parts.contains(where: { $0 == nil }) ? nil : "[" + parts.map { $0! }.joined(separator: ",") + "]"
    case .object(let members):
        var parts: [String] = []
        for (name, member) in members {
            guard let text = write(member) else { return nil }
            parts.append(quote(name) + ":" + text)
        }
        return "{" + parts.joined(separator: ",") + "}"
    }
}

func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case _ where scalar.value < 0x20: out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
            + String(scalar.value, radix: 16)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
