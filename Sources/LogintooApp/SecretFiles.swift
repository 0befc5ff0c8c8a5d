import Foundation

/// Secrets given as the path of a file (`NAME_FILE`, or `logintoo webhook add --secret-file`), so that they need not sit
/// in the environment or on a command line, where `ps e` and container inspection show them.
public enum SecretFiles {
    /// `values` with each secret given as `NAME_FILE` read from its file (`read`).
    static func reading(_ values: [String: String], entries: [Configuration.Setting]) throws(ConfigurationError) -> [String: String] {
        var values = values
        for name in entries.filter(\.isSecret).map(\.environment).sorted() {
            guard let path = values[name + "_FILE"] else { continue }
            guard values[name] == nil else { throw .invalid("\(name)_FILE", "\(name) is set too; set one of them") }
            do {
                values[name] = try read(path)
            } catch {
                throw .invalid("\(name)_FILE", error.reason)
            }
        }
        return values
    }

    /// The secret in the file at `path`, a final line break dropped (the one an editor or `echo` adds); other spaces are
    /// kept, as a password may hold them. A file that cannot be read, or holds only whitespace, is refused.
    public static func read(_ path: String) throws(SecretFileError) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw SecretFileError(reason: "cannot read \(path)") }
        guard !text.allSatisfy(\.isWhitespace) else { throw SecretFileError(reason: "\(path) is empty") }
        // "\r\n" is one Character, as "\n" is: dropping the last one drops either line break whole, and nothing else.
        return text.hasSuffix("\r\n") || text.hasSuffix("\n") ? String(text.dropLast()) : text
    }
}

/// Why a secret file was refused: "cannot read PATH" or "PATH is empty".
public struct SecretFileError: Error, CustomStringConvertible {
    public let reason: String
    public var description: String { reason }
}
