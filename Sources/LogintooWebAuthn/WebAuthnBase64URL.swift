/// Base64url without padding (RFC 4648 §5), as browsers write the challenge into `clientDataJSON`.
enum WebAuthnBase64URL {
    /// The bytes of unpadded base64url text; `nil` for padding, any other character, an impossible length or
    /// non-zero unused bits (so that each byte string has exactly one accepted spelling).
    static func decode(_ text: String) -> [UInt8]? {
        var values: [UInt32] = []
        values.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            guard let value = sextet(byte) else { return nil }
            values.append(value)
        }
        guard values.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(values.count * 3 / 4)
        var index = 0
        while index < values.count {
            let group = values[index..<min(index + 4, values.count)]
            var chunk: UInt32 = 0
            for (offset, value) in group.enumerated() { chunk |= value << UInt32(18 - 6 * offset) }
            let byteCount = group.count - 1
            let unusedBits: UInt32 = byteCount == 3 ? 0 : (byteCount == 2 ? 0xFF : 0xFFFF)
            guard chunk & unusedBits == 0 else { return nil }
            for position in 0..<byteCount { output.append(UInt8(truncatingIfNeeded: chunk >> UInt32(16 - 8 * position))) }
            index += 4
        }
        return output
    }

    private static func sextet(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return UInt32(byte - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return UInt32(byte - UInt8(ascii: "a")) + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0")) + 52
        case UInt8(ascii: "-"): return 62
        case UInt8(ascii: "_"): return 63
        default: return nil
        }
    }
}
