import Foundation

/// Reads one element's text out of a small, flat AWS XML answer: the answers read here have no attributes on the
/// elements sought, no CDATA and no repeated names, so a full XML parser would add a system library for nothing.
enum XMLText {
    /// The text between the first `<name>` and the following `</name>`, with the predefined entities decoded.
    static func element(_ name: String, in document: String) -> String? {
        guard let open = document.range(of: "<\(name)>"),
              let close = document.range(of: "</\(name)>", range: open.upperBound..<document.endIndex)
        else { return nil }
        return decodeEntities(String(document[open.upperBound..<close.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&apos;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
