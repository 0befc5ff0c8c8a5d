/// A `LOGINTOO_*` environment variable that nothing reads: the server starts without it, and says so in its log.
public struct UnknownEnvironmentName: Sendable, Equatable, CustomStringConvertible {
    /// The variable's name.
    public let name: String
    /// The known name it resembles, when it is near enough to be worth a look.
    public let resembles: String?

    public var description: String {
        "\(name) is not a setting and is ignored" + (resembles.map { "; did you mean \($0)?" } ?? "")
    }
}

/// The environment's `LOGINTOO_*` names that no setting reads. Other software writes such names too (Kubernetes
/// service links for a Service named `logintoo`, test harnesses), so an unknown name is only reported; but one a typo
/// away from a known name is refused, since the server would otherwise start without the setting its operator meant.
struct EnvironmentNames {
    static let prefix = "LOGINTOO_"
    /// Names read outside the setting table: the config file's path (`SettingsOptions`) and the log level (the CLI).
    static let readElsewhere = [configFile, "LOGINTOO_LOG_LEVEL"]
    /// The config file's path, when no `--config` is given.
    static let configFile = "LOGINTOO_CONFIG"

    /// Every name something reads: the settings, the secrets' `NAME_FILE` forms and `readElsewhere`.
    private let known: [String]
    /// The settings that have no `NAME_FILE` form.
    private let notSecret: Set<String>

    init(entries: [Configuration.Setting]) {
        known = entries.map(\.environment) + entries.filter(\.isSecret).map { $0.environment + "_FILE" } + Self.readElsewhere
        notSecret = Set(entries.filter { !$0.isSecret }.map(\.environment))
    }

    /// The unknown names, in order; refuses the first that looks like a misspelling of a known one.
    func unknown(in environment: [String: String]) throws(ConfigurationError) -> [UnknownEnvironmentName] {
        var unknown: [UnknownEnvironmentName] = []
        for name in environment.keys.sorted()
        where name.hasPrefix(Self.prefix) && !known.contains(name) && !Self.isServiceLink(name) {
            let setting = String(name.dropLast("_FILE".count))
            if name.hasSuffix("_FILE"), notSecret.contains(setting) {
                throw .invalid(name, "only secret settings can be read from a file; set \(setting) itself")
            }
            guard let (closest, edits) = closest(to: name) else { continue }
            if edits <= Self.typoEdits(closest) {
                throw .invalid(name, "not a setting; taken for a misspelling of \(closest), which the server would start "
                                   + "without. Did you mean \(closest)?")
            }
            unknown.append(UnknownEnvironmentName(name: name, resembles: edits <= Self.resemblingEdits(closest) ? closest : nil))
        }
        return unknown
    }

    /// The known name nearest to `name`, and how many edits apart; the first in the table's order on a tie.
    private func closest(to name: String) -> (String, Int)? {
        let typed = String(name.dropFirst(Self.prefix.count))
        return known.map { ($0, EditDistance.between(typed, String($0.dropFirst(Self.prefix.count)))) }
            .min { $0.1 < $1.1 }
    }

    /// Edits that still make a typo: one in a short name, where two would reach unrelated words, two otherwise.
    private static func typoEdits(_ known: String) -> Int { known.count - prefix.count < 8 ? 1 : 2 }

    /// Edits within which a name is still worth suggesting: half the known name.
    private static func resemblingEdits(_ known: String) -> Int { (known.count - prefix.count) / 2 }

    /// Kubernetes writes these into every pod of the namespace for a Service named `logintoo` (or `logintoo-…`):
    /// `LOGINTOO_SERVICE_HOST`, `LOGINTOO_SERVICE_PORT[_NAME]`, `LOGINTOO_PORT`, `LOGINTOO_PORT_8080_TCP[_PROTO|_PORT|_ADDR]`.
    static func isServiceLink(_ name: String) -> Bool {
        if name.hasPrefix(prefix + "SERVICE_") || name.hasSuffix("_SERVICE_HOST") || name.hasSuffix("_SERVICE_PORT")
            || name.contains("_SERVICE_PORT_") || name.hasSuffix("_PORT") {
            return true
        }
        let words = name.split(separator: "_").map(String.init)
        return words.indices.contains { index in
            // PORT, the port number, the protocol, and at most one more word.
            guard words[index] == "PORT", index + 3 <= words.count, index + 4 >= words.count,
                  words[index + 1].allSatisfy({ ("0"..."9").contains($0) }), ["TCP", "UDP", "SCTP"].contains(words[index + 2])
            else { return false }
            return index + 3 == words.count || ["PROTO", "PORT", "ADDR"].contains(words[index + 3])
        }
    }
}

