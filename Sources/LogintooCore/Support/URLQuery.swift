/// application/x-www-form-urlencoded encoding and decoding, as query strings and form bodies use it.
public enum URLQuery {
    static let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)

    public static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            if allowed.contains(byte) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }

    public static func encode(_ items: [(String, String)]) -> String {
        items.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    /// Adds parameters to a URI that may already have a query.
    public static func append(_ items: [(String, String)], to uri: String) -> String {
        uri + (uri.contains("?") ? "&" : "?") + encode(items)
    }

    /// Decodes `a=b&c=d`, keeping order and repeats; `nil` on malformed percent-encoding.
    public static func decode(_ text: Substring) -> [(String, String)]? {
        var text = text
        return text.withUTF8 { decode(utf8: UnsafeRawBufferPointer($0)) }
    }

    /// Decodes `a=b&c=d` from its bytes, as a form body arrives.
    public static func decode(utf8 bytes: UnsafeRawBufferPointer) -> [(String, String)]? {
        var result: [(String, String)] = []
        for pair in bytes.split(separator: UInt8(ascii: "&")) {
            let equals = pair.firstIndex(of: UInt8(ascii: "="))
            guard let name = unescape(pair[..<(equals ?? pair.endIndex)]),
                  let value = equals.map({ unescape(pair[pair.index(after: $0)...]) }) ?? ""
            else { return nil }
            result.append((name, value))
        }
        return result
    }

    public static func unescape(_ text: Substring) -> String? {
        var text = text
        return text.withUTF8 { unescape(UnsafeRawBufferPointer($0)[...]) }
    }

    static func unescape(_ bytes: Slice<UnsafeRawBufferPointer>) -> String? {
        if !bytes.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) {
            return String(validating: bytes, as: UTF8.self)
        }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"): decoded.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                decoded.append(high << 4 | low)
            default: decoded.append(byte)
            }
        }
        return String(validating: decoded, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
