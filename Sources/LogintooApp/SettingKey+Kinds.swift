/// The kinds of setting the table is made of, each with its parse rule, so that a range or a list of values is written
/// once and the same error message comes from every setting of a kind.
extension SettingKey where Value: FixedWidthInteger {
    /// A whole number within `range`.
    static func count(_ environment: String, flag: String, in range: ClosedRange<Value>, default defaultValue: Value,
                      purpose: String) -> SettingKey {
        SettingKey(environment, flag: flag, default: defaultValue, shown: "\(defaultValue)", purpose: purpose) {
            (text) throws(SettingRejection) -> Value in
            guard let number = Value(text), range.contains(number) else {
                throw SettingRejection("expected a whole number from \(range.lowerBound) to \(range.upperBound), got '\(text)'")
            }
            return number
        }
    }
}

extension SettingKey where Value: RawRepresentable<String> & CaseIterable {
    /// One of `Value`'s cases, by its raw value; `ignoringCase` for names people write in either case.
    static func choice(_ environment: String, flag: String, default defaultValue: Value, ignoringCase: Bool,
                       purpose: String) -> SettingKey {
        SettingKey(environment, flag: flag, default: defaultValue, shown: defaultValue.rawValue, purpose: purpose) {
            (text) throws(SettingRejection) -> Value in try SettingParsers.oneOf(text, ignoringCase: ignoringCase)
        }
    }
}

extension SettingKey where Value == String {
    /// Any text.
    static func text(_ environment: String, flag: String, default defaultValue: String, purpose: String) -> SettingKey {
        SettingKey(environment, flag: flag, default: defaultValue, shown: defaultValue, purpose: purpose) {
            (text) throws(SettingRejection) -> String in text
        }
    }
}

extension SettingKey {
    /// A setting that is off, or decided from other settings, when not given: `unset` says what happens then.
    /// With `emptyIsUnset`, an empty value counts as not given, so `NAME=` in a file switches the setting off.
    static func optional<Wrapped: Sendable>(
        _ environment: String, flag: String, unset: String? = nil, secret: Bool = false, emptyIsUnset: Bool = false,
        purpose: String, parse: @escaping @Sendable (String) throws(SettingRejection) -> Wrapped
    ) -> SettingKey<Wrapped?> where Value == Wrapped? {
        SettingKey<Wrapped?>(environment, flag: flag, default: nil, shown: unset, secret: secret, purpose: purpose) {
            (text) throws(SettingRejection) -> Wrapped? in
            if emptyIsUnset, text.isEmpty { return nil }
            return try parse(text)
        }
    }
}
