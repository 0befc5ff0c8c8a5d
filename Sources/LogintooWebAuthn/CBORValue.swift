/// One decoded CBOR data item (RFC 8949), restricted to the kinds WebAuthn uses: no tags, floats or other simple values.
public enum CBORValue: Sendable, Hashable {
    /// A major type 0 integer.
    case unsigned(UInt64)
    /// A major type 1 integer: the value is -1 - n.
    case negative(UInt64)
    /// A byte string.
    case bytes([UInt8])
    /// A text string, valid UTF-8.
    case text(String)
    /// An array of items.
    case array([CBORValue])
    /// A map, entries in the order they were encoded, keys unique.
    case map([CBORMapEntry])
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null
}

/// One key and value of a CBOR map.
public struct CBORMapEntry: Sendable, Hashable {
    /// The key: an integer or a text string in decoded input.
    public let key: CBORValue
    /// The value stored under the key.
    public let value: CBORValue

    public init(key: CBORValue, value: CBORValue) {
        self.key = key
        self.value = value
    }
}

extension CBORValue {
    /// The value as a signed integer, when it is an integer that fits one.
    public var integer: Int64? {
        switch self {
        case .unsigned(let value): return value <= UInt64(Int64.max) ? Int64(value) : nil
        case .negative(let value): return value <= UInt64(Int64.max) ? -1 - Int64(value) : nil
        default: return nil
        }
    }

    /// The CBOR integer for a signed value.
    public init(integer: Int64) {
        self = integer >= 0 ? .unsigned(UInt64(integer)) : .negative(UInt64(-(integer + 1)))
    }

    /// The entries of a map; `nil` for any other kind.
    public var mapEntries: [CBORMapEntry]? {
        if case .map(let entries) = self { return entries }
        return nil
    }

    /// The value stored under `key` when this is a map.
    public subscript(key: CBORValue) -> CBORValue? {
        mapEntries?.first(where: { $0.key == key })?.value
    }
}
