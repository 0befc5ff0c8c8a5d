import Foundation

/// The optional config file: `LOGINTOO_NAME=value` lines, `#` comments, values optionally in double quotes.
enum ConfigurationFile {
    /// The file's settings by name; a line naming no setting is refused, since a file is written on purpose.
    static func read(_ path: String, entries: [Configuration.Setting]) throws(ConfigurationError) -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .invalid("--config", "cannot read \(path)")
        }
        let secrets = Set(entries.filter(\.isSecret).map(\.environment))
        var values: [String: String] = [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw .invalid("--config", "\(path) line \(number + 1): expected LOGINTOO_NAME=value")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard entries.contains(where: { $0.environment == name })
                    || (name.hasSuffix("_FILE") && secrets.contains(String(name.dropLast("_FILE".count))))
            else {
                throw .invalid("--config", "\(path) line \(number + 1): unknown setting \(name)")
            }
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            values[name] = value
        }
        return values
    }
}
