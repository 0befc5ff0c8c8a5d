import Foundation

/// Base64url without padding (RFC 4648 §5), the encoding of every token and JOSE member.
public enum Base64URL {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let input = Array(bytes)
        var output: [UInt8] = []
        output.reserveCapacity((input.count * 4 + 2) / 3)
        var index = 0
        while index + 2 < input.count {
            let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
            for shift in [18, 12, 6, 0] { output.append(alphabet[Int(chunk >> UInt32(shift) & 0x3F)]) }
            index += 3
        }
        let rest = input.count - index
        if rest > 0 {
            let chunk = UInt32(input[index]) << 16 | (rest == 2 ? UInt32(input[index + 1]) << 8 : 0)
            for shift in [18, 12, 6].prefix(rest + 1) { output.append(alphabet[Int(chunk >> UInt32(shift) & 0x3F)]) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Each ASCII byte's 6-bit value, 0xFF for bytes outside the alphabet.
    static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()

    /// The bytes of unpadded base64url text; nil for padding, any other character, or an impossible length.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        decode(bytes: text.utf8)
    }

    /// `decode(_:)` of text given as its UTF-8 bytes.
    static func decode(bytes text: some Collection<UInt8>) -> [UInt8]? {
        var input = Array(text)
        guard input.count % 4 != 1 else { return nil }
        for index in input.indices {
            let value = values[Int(input[index])]
            guard value != 0xFF else { return nil }
            input[index] = value
        }
        var output: [UInt8] = []
        output.reserveCapacity(input.count * 3 / 4)
        var index = 0
        while index + 3 < input.count {
            let chunk = UInt32(input[index]) << 18 | UInt32(input[index + 1]) << 12 | UInt32(input[index + 2]) << 6 | UInt32(input[index + 3])
            output.append(UInt8(chunk >> 16))
            output.append(UInt8(chunk >> 8 & 0xFF))
            output.append(UInt8(chunk & 0xFF))
            index += 4
        }
        let rest = input.count - index
        if rest >= 2 {
            let chunk = UInt32(input[index]) << 18 | UInt32(input[index + 1]) << 12 | (rest == 3 ? UInt32(input[index + 2]) << 6 : 0)
            // Unused low bits must be zero, so each value has exactly one encoding.
            guard chunk & (rest == 2 ? 0xFFFF : 0xFF) == 0 else { return nil }
            output.append(UInt8(chunk >> 16))
            if rest == 3 { output.append(UInt8(chunk >> 8 & 0xFF)) }
        }
        return output
    }
}
