/// A client's settings under the names and ranges of the original Logintoo, mapped onto `Client` and `ClientSettings`.
/// Missing, malformed or out-of-range values fall back to Logintoo's defaults, so no stored record can break sign-in.
public enum LogintooClientSettings {
    /// A setting's value as it arrives from JSON, a DynamoDB export (unwrapped) or the command line.
    public typealias Value = JSONValue

    /// What happened to one setting.
    public enum Outcome: Sendable, Equatable {
        case applied
        /// The value was unusable; the default was applied instead, for this reason.
        case defaulted(String)
        case unknownName
    }

    public static let names = [
        "appDisplayName", "redirectURIs", "tokenAud", "otpEmailFrom", "otpEmailSubj", "otpEmailLogoSrc", "otpLength",
        "otpAttempts", "otpTimeout", "accessTokenExp", "refreshTokenExp", "extendRefreshToken", "accentColor", "senderName",
        "privacyURL", "termsURL",
    ]

    /// The defaults Logintoo documents.
    public static let defaultAttempts = 4
    public static let defaultCodeMinutes: Int64 = 10
    public static let defaultAccessTokenLifetime: Int64 = 3600
    public static let defaultRefreshLifetime: Int64 = 604_800

    /// A client carrying every Logintoo default, before its record's values are applied.
    public static func defaults(id: String, createdAt: Int64) -> Client {
        var client = Client(id: id, name: "Logintoo client", secretHash: nil, redirectURIs: [], createdAt: createdAt)
        for name in ["otpAttempts", "otpTimeout", "accessTokenExp", "refreshTokenExp", "extendRefreshToken"] {
            _ = apply(name, .null, to: &client)
        }
        return client
    }

    /// Applies one named setting to `client`.
    public static func apply(_ name: String, _ value: Value, to client: inout Client) -> Outcome {
        if value == .null, ["appDisplayName", "redirectURIs"].contains(name) { return .applied }
        switch name {
        case "appDisplayName":
            guard case .string(let text) = value, (1...100).contains(text.count), !text.contains(where: \.isNewline) else {
                return .defaulted("appDisplayName must be 1 to 100 characters; the name is unchanged")
            }
            client.name = text
        case "redirectURIs":
            let uris = value.strings
            let valid = uris.filter { (try? RedirectURIPolicy.validateForRegistration($0)) != nil }
            guard !valid.isEmpty else { return .defaulted("redirectURIs has no usable redirect URI; they are unchanged") }
            client.redirectURIs = valid
            if valid.count < uris.count { return .defaulted("redirectURIs: \(uris.count - valid.count) unusable URI(s) dropped") }
        case "tokenAud":
            return setText(value, \.tokenAudience, on: &client, valid: ClientSettings.isAudience,
                           reason: "tokenAud must be 1 to 512 characters; the client id is the audience")
        case "otpEmailFrom":
            return setText(value, \.replyTo, on: &client, valid: { EmailAddress($0) != nil },
                           reason: "otpEmailFrom must be an email address; no Reply-To is set")
        case "otpEmailSubj":
            return setText(value, \.emailSubject, on: &client, valid: ClientSettings.isSubject,
                           reason: "otpEmailSubj must be 1 to 200 characters on one line; the standard subject is used")
        case "accentColor":
            return setText(value, \.accentColor, on: &client, valid: ClientSettings.isColour,
                           reason: "accentColor must look like #2457d6 and be dark enough for white text (4.5:1); the standard colour is used")
        case "senderName":
            return setText(value, \.senderName, on: &client, valid: ClientSettings.isSenderName,
                           reason: "senderName must be 1 to 64 characters without quotes, <, > or @; the server's sender is used")
        case "otpEmailLogoSrc":
            return setText(value, \.logoURL, on: &client, valid: ClientSettings.isSafeImageURL,
                           reason: "otpEmailLogoSrc must be an https:// URL; no logo is shown")
        case "privacyURL":
            return setText(value, \.privacyURL, on: &client, valid: ClientSettings.isSafeLinkURL,
                           reason: "privacyURL must be an https:// URL; the server's privacy link is shown")
        case "termsURL":
            return setText(value, \.termsURL, on: &client, valid: ClientSettings.isSafeLinkURL,
                           reason: "termsURL must be an https:// URL; the server's terms link is shown")
        case "otpLength":
            guard let length = value.integer, length <= 8 else {
                client.settings.codeDigits = nil
                return value == .null ? .applied : .defaulted("otpLength must be a whole number up to 8; the server's default length is used")
            }
            client.settings.codeDigits = max(6, length)
        case "otpAttempts":
            return setInteger(value, range: 1...10, fallback: defaultAttempts, on: &client, \.codeMaxAttempts, name: name)
        case "otpTimeout":
            guard let minutes = value.integer, (5...30).contains(minutes) else {
                client.settings.codeLifetime = defaultCodeMinutes * 60
                return value == .null ? .applied : .defaulted("otpTimeout must be 5 to 30 minutes; \(defaultCodeMinutes) is used")
            }
            client.settings.codeLifetime = Int64(minutes) * 60
        case "accessTokenExp":
            return setInteger(value, range: 60...86_400, fallback: Int(defaultAccessTokenLifetime), on: &client,
                              \.accessTokenLifetime, name: name)
        case "refreshTokenExp":
            return setInteger(value, range: 3600...2_592_000, fallback: Int(defaultRefreshLifetime), on: &client,
                              \.refreshIdleLifetime, name: name)
        case "extendRefreshToken":
            guard let sliding = value.boolean else {
                client.settings.refreshSliding = false
                return value == .null ? .applied : .defaulted("extendRefreshToken must be true or false; false is used")
            }
            client.settings.refreshSliding = sliding
        default:
            return .unknownName
        }
        return .applied
    }

    static func setText(_ value: Value, _ field: WritableKeyPath<ClientSettings, String?>, on client: inout Client,
                        valid: (String) -> Bool, reason: String) -> Outcome {
        if case .string(let text) = value, valid(text) {
            client.settings[keyPath: field] = text
            return .applied
        }
        client.settings[keyPath: field] = nil
        return value == .null ? .applied : .defaulted(reason)
    }

    static func setInteger<T: BinaryInteger>(_ value: Value, range: ClosedRange<Int>, fallback: Int, on client: inout Client,
                                             _ field: WritableKeyPath<ClientSettings, T?>, name: String) -> Outcome {
        if let number = value.integer, range.contains(number) {
            client.settings[keyPath: field] = T(number)
            return .applied
        }
        client.settings[keyPath: field] = T(fallback)
        return value == .null ? .applied : .defaulted("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound); \(fallback) is used")
    }
}

extension JSONValue {
    /// A whole number, also from text such as DynamoDB's `{"N": "4"}`.
    var integer: Int? {
        switch self {
        case .number(let number): number.rounded() == number && abs(number) < 1e12 ? Int(number) : nil
        case .string(let text): Int(text.trimmingCharacters(in: .whitespaces))
        default: nil
        }
    }

    var boolean: Bool? {
        switch self {
        case .bool(let flag): flag
        case .string(let text): ["true": true, "false": false][text.lowercased()]
        default: nil
        }
    }

    var strings: [String] {
        switch self {
        case .string(let text): [text]
        case .array(let values): values.compactMap { if case .string(let text) = $0 { text } else { nil } }
        default: []
        }
    }
}
