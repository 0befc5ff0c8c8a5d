/// A client's fields as an operator writes them in the admin API's JSON: `name`, `redirect_uris`,
/// `post_logout_redirect_uris`, `confidential`, `admin` and every `ClientSettings` setting in snake_case (`null` resets a
/// setting to the server's default). Each value is checked by the rules registration keeps (`ClientSettings.validate`,
/// `RedirectURIPolicy`, `ClientRegistry.validate`), so a refusal names the field it is about.
public enum ClientFields {
    /// Why a field was refused: its name and the reason, in words an operator can act on.
    public struct Refusal: Error, Equatable, Sendable {
        public let field: String
        public let reason: String

        public var description: String { "\(field): \(reason)" }
    }

    /// What `confidential` asks for; the secret itself is made by the administration.
    public enum Confidentiality: Sendable, Equatable {
        case unchanged, confidential, `public`
    }

    /// The fields that are not settings.
    static let clientFields = ["name", "redirect_uris", "post_logout_redirect_uris", "confidential"]

    /// Every settable field's name.
    public static var names: [String] { clientFields + settingFields.map(\.name) }

    /// Applies `fields` to `client` (a fresh one at creation); returns what `confidential` asks for. Unknown names, values
    /// of the wrong type and values out of bounds are refused; nothing is checked across fields here (see `check`).
    public static func apply(_ fields: [String: JSONValue], to client: inout Client) throws(Refusal) -> Confidentiality {
        var confidentiality = Confidentiality.unchanged
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            switch name {
            case "name":
                guard case .string(let text) = value else { throw Refusal(field: name, reason: "must be a string") }
                client.name = text
            case "redirect_uris": client.redirectURIs = try uris(value, field: name)
            case "post_logout_redirect_uris": client.postLogoutRedirectURIs = try uris(value, field: name)
            case "confidential":
                guard case .bool(let flag) = value else { throw Refusal(field: name, reason: "must be true or false") }
                confidentiality = flag ? .confidential : .public
            default:
                guard let setting = settingFields.first(where: { $0.name == name }) else {
                    throw Refusal(field: name, reason: "unknown field; known: \(names.joined(separator: ", "))")
                }
                try setting.apply(value, &client.settings)
            }
        }
        return confidentiality
    }

    /// The rules across fields, for the client as it would be saved, naming the field a refusal is about.
    public static func check(_ client: Client, confidential: Bool) throws(Refusal) {
        do {
            try ClientRegistry.validate(name: client.name, redirectURIs: client.redirectURIs,
                                        postLogoutRedirectURIs: client.postLogoutRedirectURIs, confidential: confidential,
                                        settings: client.settings)
        } catch {
            throw Refusal(field: field(of: error, in: client), reason: error.description)
        }
    }

    static func field(of error: ClientRegistrationError, in client: Client) -> String {
        switch error {
        case .invalidName: "name"
        case .noRedirectURI: "redirect_uris"
        case .invalidRedirectURI(let uri, _): client.redirectURIs.contains(uri) ? "redirect_uris" : "post_logout_redirect_uris"
        case .invalidSetting: "admin"
        }
    }

    static func uris(_ value: JSONValue, field: String) throws(Refusal) -> [String] {
        guard case .array(let items) = value, items.count <= 100 else {
            throw Refusal(field: field, reason: "must be an array of at most 100 URIs")
        }
        var uris: [String] = []
        for item in items {
            guard case .string(let uri) = item else { throw Refusal(field: field, reason: "must be an array of strings") }
            do { try RedirectURIPolicy.validateForRegistration(uri) } catch { throw Refusal(field: field, reason: error.description) }
            uris.append(uri)
        }
        return uris
    }

    /// One `ClientSettings` setting: its JSON name and how a value is read into it. A value is checked alone by
    /// `ClientSettings.validate`, so the refusal names this field.
    struct SettingField {
        let name: String
        let read: (JSONValue, inout ClientSettings) -> String?

        func apply(_ value: JSONValue, _ settings: inout ClientSettings) throws(Refusal) {
            var alone = ClientSettings()
            if let wrongType = read(value, &alone) { throw Refusal(field: name, reason: wrongType) }
            do { try alone.validate() } catch { throw Refusal(field: name, reason: error.description) }
            _ = read(value, &settings)
        }

        static func integer<T: FixedWidthInteger>(_ name: String, _ path: WritableKeyPath<ClientSettings, T?>)
            -> SettingField {
            SettingField(name: name) { value, settings in
                if value == .null { settings[keyPath: path] = nil; return nil }
                guard case .number(let number) = value, number.rounded() == number, abs(number) < 1e12 else {
                    return "must be a whole number or null"
                }
                settings[keyPath: path] = T(number)
                return nil
            }
        }

        static func text(_ name: String, _ path: WritableKeyPath<ClientSettings, String?>) -> SettingField {
            SettingField(name: name) { value, settings in
                if value == .null { settings[keyPath: path] = nil; return nil }
                guard case .string(let text) = value else { return "must be a string or null" }
                settings[keyPath: path] = text
                return nil
            }
        }

        /// A flag kept as `true` or unset (`admin`): `false` and `null` unset it.
        static func flag(_ name: String, _ path: WritableKeyPath<ClientSettings, Bool?>, falseIsUnset: Bool) -> SettingField {
            SettingField(name: name) { value, settings in
                if value == .null { settings[keyPath: path] = nil; return nil }
                guard case .bool(let flag) = value else { return "must be true, false or null" }
                settings[keyPath: path] = falseIsUnset && !flag ? nil : flag
                return nil
            }
        }
    }

    /// Built on each use: a table of key paths is not `Sendable`, and the admin API is no hot path.
    static var settingFields: [SettingField] {[
        .flag("admin", \.admin, falseIsUnset: true),
        .integer("access_token_lifetime", \.accessTokenLifetime),
        .integer("refresh_idle_lifetime", \.refreshIdleLifetime),
        .integer("refresh_absolute_lifetime", \.refreshAbsoluteLifetime),
        .flag("refresh_sliding", \.refreshSliding, falseIsUnset: false),
        .flag("require_pushed_authorization_requests", \.requirePushedAuthorizationRequests, falseIsUnset: true),
        // false is kept: it exempts the client from a server-wide LOGINTOO_DPOP_REQUIRED.
        .flag("dpop_bound_access_tokens", \.dpopBoundAccessTokens, falseIsUnset: false),
        .text("backchannel_logout_uri", \.backchannelLogoutURI),
        .flag("backchannel_logout_session_required", \.backchannelLogoutSessionRequired, falseIsUnset: true),
        .integer("code_digits", \.codeDigits),
        .integer("code_lifetime", \.codeLifetime),
        .integer("code_max_attempts", \.codeMaxAttempts),
        .text("token_audience", \.tokenAudience),
        .text("reply_to", \.replyTo),
        .text("email_subject", \.emailSubject),
        .text("logo_url", \.logoURL),
        .text("accent_color", \.accentColor),
        .text("sender_name", \.senderName),
        .text("privacy_url", \.privacyURL),
        .text("terms_url", \.termsURL),
        SettingField(name: "resources") { value, settings in
            if value == .null { settings.resources = nil; return nil }
            guard case .array(let items) = value, items.count <= 100 else { return "must be an array of at most 100 URIs or null" }
            var resources: [String] = []
            for item in items {
                guard case .string(let text) = item else { return "must be an array of strings" }
                resources.append(text)
            }
            settings.resources = resources.isEmpty ? nil : resources
            return nil
        },
    ]}
}
