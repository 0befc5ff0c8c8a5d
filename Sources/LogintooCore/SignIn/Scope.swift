/// The scopes this server grants.
public enum Scope {
    public static let supported: Set<String> = ["openid", "email", "offline_access"]

    /// The scope values of a request, checked against what the server supports; `nil` when one is unknown.
    public static func parse(_ text: String?) -> [String]? {
        guard let text, !text.isEmpty else { return [] }
        var seen: [String] = []
        for value in text.split(separator: " ").map(String.init) where !seen.contains(value) {
            guard supported.contains(value) else { return nil }
            seen.append(value)
        }
        return seen
    }
}
