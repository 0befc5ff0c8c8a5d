/// Strict CBOR (RFC 8949) for WebAuthn: definite lengths only, no duplicate map keys, no tags, floats or undefined,
/// bounded depth, item count and size. Integers need not be in their shortest form: authenticators are canonical, but
/// refusing a longer spelling buys no safety.
public enum CBOR {
    /// Decodes the first data item of `bytes`; the bytes after it come back as `rest`.
    public static func decode(
        _ bytes: ArraySlice<UInt8>, limits: CBORLimits = .webAuthn
    ) throws(CBORError) -> (value: CBORValue, rest: ArraySlice<UInt8>) {
        guard bytes.count <= limits.maxBytes else { throw .tooLarge }
        var reader = CBORReader(input: bytes, limits: limits)
        let value = try reader.item(depth: 1)
        return (value, bytes[reader.position...])
    }

    /// Decodes input that holds exactly one data item.
    public static func decodeWhole(_ bytes: [UInt8]) throws(CBORError) -> CBORValue {
        let (value, rest) = try decode(bytes[...])
        guard rest.isEmpty else { throw .trailingBytes }
        return value
    }
}

/// Walks the input once; every length is checked against the bytes that remain before anything is allocated.
struct CBORReader {
    let input: ArraySlice<UInt8>
    let limits: CBORLimits
    private(set) var position: Int
    private var items = 0

    init(input: ArraySlice<UInt8>, limits: CBORLimits) {
        self.input = input
        self.limits = limits
        self.position = input.startIndex
    }

    var remaining: Int { input.endIndex - position }

    mutating func item(depth: Int) throws(CBORError) -> CBORValue {
        guard depth <= limits.maxDepth else { throw .tooDeep }
        items += 1
        guard items <= limits.maxItems else { throw .tooManyItems }
        let initial = try byte()
        let major = initial >> 5
        let info = initial & 0x1F
        if major == 7 { return try simple(info) }
        let argument = try self.argument(info)
        switch major {
        case 0: return .unsigned(argument)
        case 1: return .negative(argument)
        case 2: return .bytes(Array(try take(argument)))
        case 3:
            guard let text = String(validating: try take(argument), as: UTF8.self) else { throw .invalidUTF8 }
            return .text(text)
        case 4: return .array(try array(count: argument, depth: depth))
        case 5: return .map(try map(count: argument, depth: depth))
        default: throw .tag
        }
    }

    /// The argument of an initial byte: the count, length or integer value that follows it.
    private mutating func argument(_ info: UInt8) throws(CBORError) -> UInt64 {
        switch info {
        case 0..<24: return UInt64(info)
        case 24: return try bigEndian(byteCount: 1)
        case 25: return try bigEndian(byteCount: 2)
        case 26: return try bigEndian(byteCount: 4)
        case 27: return try bigEndian(byteCount: 8)
        case 31: throw .indefiniteLength
        default: throw .reservedAdditionalInfo
        }
    }

    private mutating func simple(_ info: UInt8) throws(CBORError) -> CBORValue {
        switch info {
        case 20: return .bool(false)
        case 21: return .bool(true)
        case 22: return .null
        case 28..<31: throw .reservedAdditionalInfo
        case 31: throw .indefiniteLength
        default: throw .unsupportedSimpleValue
        }
    }

    /// Each element takes at least one byte, so a count above the remaining bytes is refused before any allocation.
    private mutating func array(count: UInt64, depth: Int) throws(CBORError) -> [CBORValue] {
        guard count <= UInt64(remaining) else { throw .truncated }
        var elements: [CBORValue] = []
        elements.reserveCapacity(Int(count))
        for _ in 0..<count { elements.append(try item(depth: depth + 1)) }
        return elements
    }

    private mutating func map(count: UInt64, depth: Int) throws(CBORError) -> [CBORMapEntry] {
        guard count <= UInt64(remaining / 2) else { throw .truncated }
        var entries: [CBORMapEntry] = []
        entries.reserveCapacity(Int(count))
        var keys = Set<CBORValue>()
        for _ in 0..<count {
            let key = try item(depth: depth + 1)
            switch key {
            case .unsigned, .negative, .text: break
            default: throw .unsupportedMapKey
            }
            guard keys.insert(key).inserted else { throw .duplicateMapKey }
            entries.append(CBORMapEntry(key: key, value: try item(depth: depth + 1)))
        }
        return entries
    }

    private mutating func byte() throws(CBORError) -> UInt8 {
        guard position < input.endIndex else { throw .truncated }
        defer { position += 1 }
        return input[position]
    }

    private mutating func bigEndian(byteCount: Int) throws(CBORError) -> UInt64 {
        var value: UInt64 = 0
        for _ in 0..<byteCount { value = value << 8 | UInt64(try byte()) }
        return value
    }

    private mutating func take(_ length: UInt64) throws(CBORError) -> ArraySlice<UInt8> {
        guard length <= UInt64(remaining) else { throw .truncated }
        let end = position + Int(length)
        defer { position = end }
        return input[position..<end]
    }
}
