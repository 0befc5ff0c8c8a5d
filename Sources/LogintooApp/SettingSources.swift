/// The texts the operator gave, in order of precedence: flags, then the environment, then the config file. A setting
/// is looked up through its table entry, which also parses it.
struct SettingSources {
    private let flags: [String: String]
    private let environment: [String: String]
    private let file: [String: String]

    /// `flags` is keyed by flag name, `environment` and the config file's lines by variable name; a secret given as
    /// `NAME_FILE` is read from its file.
    init(entries: [Configuration.Setting], flags: [String: String], environment: [String: String], configFile: String?)
        throws(ConfigurationError)
    {
        // Flags come from `SettingsOptions`, or from code: an unknown one is a misspelling in code, never to be ignored.
        if let unknown = flags.keys.sorted().first(where: { name in !entries.contains { $0.flag == name } }) {
            throw .invalid("--\(unknown)", "unknown setting")
        }
        var file: [String: String] = [:]
        if let configFile { file = try SecretFiles.reading(ConfigurationFile.read(configFile, entries: entries), entries: entries) }
        (self.flags, self.file) = (flags, file)
        self.environment = try SecretFiles.reading(environment, entries: entries)
    }

    /// The setting's text, from the first source that has it.
    func text<Value>(_ key: SettingKey<Value>) -> String? {
        flags[key.flag] ?? environment[key.environment] ?? file[key.environment]
    }

    /// The setting's value when it is given, `nil` when it is not.
    func given<Value>(_ key: SettingKey<Value>) throws(ConfigurationError) -> Value? {
        guard let text = text(key) else { return nil }
        do { return try key.parse(text) } catch { throw .invalid(key.label, error.reason) }
    }

    /// The setting's value, or its default.
    func value<Value>(_ key: SettingKey<Value>) throws(ConfigurationError) -> Value {
        try given(key) ?? key.defaultValue
    }
}
