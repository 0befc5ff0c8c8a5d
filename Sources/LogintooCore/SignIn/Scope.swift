/// The scopes this server grants.
public enum Scope {
    /// Every scope the server implements, in the order discovery lists them.
    public static let all = ["openid", "email", "offline_access"]
    public static let supported = Set(all)

    /// The scope values of a request, checked against `supported` (by default, every scope the server implements);
    /// `nil` when one is not supported.
    public static func parse(_ text: String?, supported: [String] = all) -> [String]? {
        guard let text, !text.isEmpty else { return [] }
        var seen: [String] = []
        for value in values(of: text) where !seen.contains(value) {
            guard supported.contains(value) else { return nil }
            seen.append(value)
        }
        return seen
    }

    /// The values of a space-separated list (a scope, RFC 6749 §3.3), cut at the space's byte: its values are ASCII by
    /// the grammar, and a byte's cut skips the grapheme breaking of a `String` split (the refresh grant's hot path reads
    /// its grant's scope this way). A non-ASCII value stays whole, since no byte of a multi-byte character is a space.
    public static func values(of text: some StringProtocol) -> [String] {
        text.utf8.split(separator: UInt8(ascii: " ")).map { String(decoding: $0, as: UTF8.self) }
    }
}
