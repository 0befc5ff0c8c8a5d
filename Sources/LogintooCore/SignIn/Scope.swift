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
        for value in text.split(separator: " ").map(String.init) where !seen.contains(value) {
            guard supported.contains(value) else { return nil }
            seen.append(value)
        }
        return seen
    }
}
