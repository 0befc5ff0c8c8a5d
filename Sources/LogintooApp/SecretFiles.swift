import Foundation

/// Secrets given as the path of a file (`NAME_FILE`), so that they need not sit in the environment, where `ps e` and
/// container inspection show them.
enum SecretFiles {
    /// `values` with each secret given as `NAME_FILE` read from its file (a final line break dropped).
    static func reading(_ values: [String: String], entries: [Configuration.Setting]) throws(ConfigurationError) -> [String: String] {
        var values = values
        for name in entries.filter(\.isSecret).map(\.environment).sorted() {
            guard let path = values[name + "_FILE"] else { continue }
            guard values[name] == nil else { throw .invalid("\(name)_FILE", "\(name) is set too; set one of them") }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw .invalid("\(name)_FILE", "cannot read \(path)")
            }
            guard !text.allSatisfy(\.isWhitespace) else { throw .invalid("\(name)_FILE", "\(path) is empty") }
            values[name] = text.hasSuffix("\r\n") ? String(text.dropLast(2)) : text.hasSuffix("\n") ? String(text.dropLast()) : text
        }
        return values
    }
}
