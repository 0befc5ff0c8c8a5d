/// Why a setting's text cannot be used, in words for the operator; whoever read the text adds the setting's name.
struct SettingRejection: Error, Equatable {
    let reason: String

    init(_ reason: String) { self.reason = reason }
}

/// One entry of the setting table: the setting's environment name and flag, its default, how its text becomes a typed
/// value (with the range or the values allowed) and its help. Code reads a setting through its entry, never by name, so
/// a misspelt setting does not compile.
struct SettingKey<Value: Sendable>: Sendable {
    /// The `LOGINTOO_*` name, in the environment and in the config file.
    let environment: String
    /// The flag's name, without `--`.
    let flag: String
    /// What the setting is for; the help line adds the default.
    let purpose: String
    /// The value when the setting is not given.
    let defaultValue: Value
    /// The default as the help line writes it; `nil`: nothing to write (not given, the setting is simply off).
    let defaultText: String?
    /// Whether the value may instead be read from the file that `NAME_FILE` names, to keep it out of the environment.
    let isSecret: Bool
    /// Turns the setting's text into its value, or says what was expected.
    let parse: @Sendable (String) throws(SettingRejection) -> Value

    init(_ environment: String, flag: String, default defaultValue: Value, shown defaultText: String?, secret isSecret: Bool = false,
         purpose: String, parse: @escaping @Sendable (String) throws(SettingRejection) -> Value) {
        (self.environment, self.flag, self.purpose) = (environment, flag, purpose)
        (self.defaultValue, self.defaultText, self.isSecret, self.parse) = (defaultValue, defaultText, isSecret, parse)
    }

    /// How errors name the setting: `LOGINTOO_NAME (--flag)`.
    var label: String { "\(environment) (--\(flag))" }

    /// The help line: what the setting is for, then its default.
    var help: String { purpose + (defaultText.map { " (default \($0))" } ?? "") }
}

/// An entry of the setting table seen without its value type, for the lists that cover every setting.
protocol DescribedSetting {
    var described: Configuration.Setting { get }
}

extension SettingKey: DescribedSetting {
    var described: Configuration.Setting {
        Configuration.Setting(environment: environment, flag: flag, help: help, isSecret: isSecret)
    }
}
