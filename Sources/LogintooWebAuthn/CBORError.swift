/// Why CBOR input was refused.
public enum CBORError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input ended inside an item, or a length or count claims more than the bytes that remain.
    case truncated
    /// Indefinite lengths (and the break code) are refused: WebAuthn data is definite-length.
    case indefiniteLength
    /// Additional information 28 to 30, reserved by RFC 8949.
    case reservedAdditionalInfo
    /// A tag (major type 6).
    case tag
    /// A float, `undefined` or an unassigned simple value.
    case unsupportedSimpleValue
    /// A text string that is not valid UTF-8.
    case invalidUTF8
    /// The same key twice in one map.
    case duplicateMapKey
    /// A map key that is neither an integer nor a text string.
    case unsupportedMapKey
    /// Nesting deeper than the limit.
    case tooDeep
    /// More items than the limit.
    case tooManyItems
    /// Input longer than the limit.
    case tooLarge
    /// Bytes after the single expected item.
    case trailingBytes

    public var description: String {
        switch self {
        case .truncated: return "CBOR input ends inside an item"
        case .indefiniteLength: return "CBOR indefinite length is not accepted"
        case .reservedAdditionalInfo: return "CBOR reserved additional information"
        case .tag: return "CBOR tags are not accepted"
        case .unsupportedSimpleValue: return "CBOR floats, undefined and unassigned simple values are not accepted"
        case .invalidUTF8: return "CBOR text string is not valid UTF-8"
        case .duplicateMapKey: return "CBOR map has a duplicate key"
        case .unsupportedMapKey: return "CBOR map key is neither an integer nor a text string"
        case .tooDeep: return "CBOR nesting is too deep"
        case .tooManyItems: return "CBOR value has too many items"
        case .tooLarge: return "CBOR input is too large"
        case .trailingBytes: return "CBOR input has bytes after the item"
        }
    }
}
