/// Escaping a value for HTML text and quoted attribute values, byte by byte over its UTF-8.
///
/// The five characters that can end a text node or an attribute value (`<`, `>`, `&`, `"`, `'`) are all ASCII, and
/// in UTF-8 an ASCII byte is never part of a longer character, so each byte is decided alone. This also escapes a
/// quote or `<` followed by a combining mark, which a per-`Character` lookup sees as another character and lets
/// through, while the browser's tokenizer still sees the quote (docs/security.md, B19).
public enum HTMLText {
    /// `text` with `<`, `>`, `&`, `"` and `'` replaced by their references; the same string when it holds none.
    public static func escaped(_ text: String) -> String {
        guard text.utf8.contains(where: needsEscape) else { return text }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 16)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
            case UInt8(ascii: "'"): bytes.append(contentsOf: "&#39;".utf8)
            default: bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}
