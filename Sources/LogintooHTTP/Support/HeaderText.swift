/// Small readings of header values, on the bytes: Foundation's trimming and case mapping go through NSString and cost
/// more than the rest of a userinfo request.
extension StringProtocol {
    /// Without leading and trailing spaces and tabs, HTTP's optional whitespace (RFC 9110 §5.6.3).
    func trimmingOptionalWhitespace() -> String {
        let isWhitespace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isWhitespace($0) }), let last = lastIndex(where: { !isWhitespace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }

    /// Whether the value starts with `prefix`, ASCII letters compared without case (authentication schemes).
    func hasPrefixIgnoringCase(_ prefix: String) -> Bool {
        utf8.count >= prefix.utf8.count && zip(utf8, prefix.utf8).allSatisfy { Self.asciiLower($0) == Self.asciiLower($1) }
    }

    private static func asciiLower(_ byte: UInt8) -> UInt8 { (65...90).contains(byte) ? byte + 32 : byte }
}

enum HeaderText {
    /// The media type of a Content-Type value, lowercased, without parameters: `application/json; charset=utf-8` is
    /// `application/json`.
    static func mediaType(_ contentType: String?) -> String? {
        guard let contentType else { return nil }
        return contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingOptionalWhitespace().lowercased() }
    }
}
