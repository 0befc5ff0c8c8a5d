import Foundation
import LogintooCore

/// The admin console's client form: each field `ClientFields` knows as a form control, a client's value as the text the
/// control shows, and what a sent form asks for as the JSON `ClientAdministration` checks. An empty setting is the
/// server's default (`null`); text that is no number goes through as text, so `ClientFields` refuses it by name.
enum ConsoleClientForm {
    enum Control: Sendable { case text, number, lines, checkbox, choice }

    struct Field: Sendable {
        let name: String
        let label: String
        let control: Control
        var hint: String?
    }

    /// Every field, in the order the client page shows them.
    static let all: [Field] = [
        Field(name: "name", label: "Name", control: .text),
        Field(name: "redirect_uris", label: "Redirect URIs, one per line", control: .lines),
        Field(name: "post_logout_redirect_uris", label: "Post-logout redirect URIs, one per line", control: .lines),
        Field(name: "confidential", label: "Confidential: has a secret", control: .checkbox),
        Field(name: "admin", label: "Admin client: may call the admin API (confidential only)", control: .checkbox),
        Field(name: "access_token_lifetime", label: "Access token lifetime (seconds)", control: .number),
        Field(name: "refresh_idle_lifetime", label: "Refresh idle lifetime (seconds)", control: .number),
        Field(name: "refresh_absolute_lifetime", label: "Refresh absolute lifetime (seconds)", control: .number),
        Field(name: "refresh_sliding", label: "Refresh tokens slide", control: .choice),
        Field(name: "code_digits", label: "Code digits (6 to 10)", control: .number),
        Field(name: "code_lifetime", label: "Code lifetime (300 to 1800 seconds)", control: .number),
        Field(name: "code_max_attempts", label: "Code attempts (1 to 10)", control: .number),
        Field(name: "token_audience", label: "Access token audience", control: .text, hint: "The client id when empty."),
        Field(name: "reply_to", label: "Reply-To of its emails", control: .text),
        Field(name: "email_subject", label: "Email subject", control: .text),
        Field(name: "logo_url", label: "Logo URL (https://)", control: .text),
        Field(name: "accent_color", label: "Accent colour (#RRGGBB)", control: .text),
        Field(name: "sender_name", label: "Sender name of its emails", control: .text),
        Field(name: "privacy_url", label: "Privacy policy URL (https://)", control: .text),
        Field(name: "terms_url", label: "Terms URL (https://)", control: .text),
        Field(name: "resources", label: "Resources (API URIs), one per line", control: .lines),
        Field(name: "require_pushed_authorization_requests", label: "Requires pushed authorization requests (/par)",
              control: .checkbox),
        Field(name: "dpop_bound_access_tokens", label: "DPoP-bound access tokens (the server's setting when unset)", control: .choice),
        Field(name: "backchannel_logout_uri", label: "Back-channel logout URI (https://)", control: .text,
              hint: "Gets a logout token when a session it was part of ends."),
        Field(name: "backchannel_logout_session_required", label: "Back-channel logout requires sid", control: .checkbox),
    ]

    /// The fields of the "New client" form; the others start at the server's defaults.
    static let creation = all.filter { ["name", "redirect_uris", "post_logout_redirect_uris", "confidential", "admin"].contains($0.name) }

    /// `client`'s value of every field, as its control shows it.
    static func values(of client: Client) -> [String: String] {
        let settings = client.settings
        let number = { (value: (any BinaryInteger)?) in value.map { "\($0)" } ?? "" }
        return [
            "name": client.name, "redirect_uris": client.redirectURIs.joined(separator: "\n"),
            "post_logout_redirect_uris": client.postLogoutRedirectURIs.joined(separator: "\n"),
            "confidential": client.isConfidential ? "on" : "", "admin": settings.admin == true ? "on" : "",
            "access_token_lifetime": number(settings.accessTokenLifetime), "refresh_idle_lifetime": number(settings.refreshIdleLifetime),
            "refresh_absolute_lifetime": number(settings.refreshAbsoluteLifetime),
            "refresh_sliding": settings.refreshSliding.map { $0 ? "true" : "false" } ?? "",
            "code_digits": number(settings.codeDigits), "code_lifetime": number(settings.codeLifetime),
            "code_max_attempts": number(settings.codeMaxAttempts), "token_audience": settings.tokenAudience ?? "",
            "reply_to": settings.replyTo ?? "", "email_subject": settings.emailSubject ?? "", "logo_url": settings.logoURL ?? "",
            "accent_color": settings.accentColor ?? "", "sender_name": settings.senderName ?? "",
            "privacy_url": settings.privacyURL ?? "", "terms_url": settings.termsURL ?? "",
            "resources": (settings.resources ?? []).joined(separator: "\n"),
            "require_pushed_authorization_requests": settings.requirePushedAuthorizationRequests == true ? "on" : "",
            "dpop_bound_access_tokens": settings.dpopBoundAccessTokens.map { $0 ? "true" : "false" } ?? "",
            "backchannel_logout_uri": settings.backchannelLogoutURI ?? "",
            "backchannel_logout_session_required": settings.backchannelLogoutSessionRequired == true ? "on" : "",
        ]
    }

    /// What the form sent for `fields`, normalised as `values(of: Client)` writes it: trimmed, one URI a line.
    static func values(of form: FormBody, _ fields: [Field]) -> [String: String] {
        var values: [String: String] = [:]
        for field in fields {
            let sent = form.values[field.name] ?? ""
            values[field.name] = switch field.control {
            case .checkbox: sent.isEmpty ? "" : "on"
            case .lines: lines(sent).joined(separator: "\n")
            case .text, .number, .choice: sent.trimmingCharacters(in: .whitespacesAndNewlines)
            }
        }
        return values
    }

    static func lines(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The admin API's JSON for `fields` of `values`.
    static func json(_ values: [String: String], _ fields: [Field]) -> [String: JSONValue] {
        var json: [String: JSONValue] = [:]
        for field in fields {
            let text = values[field.name] ?? ""
            json[field.name] = switch field.control {
            case .text where field.name == "name": .string(text)
            case .text: text.isEmpty ? .null : .string(text)
            case .number: text.isEmpty ? .null : Int64(text).map { .number(Double($0)) } ?? .string(text)
            case .lines: .array(lines(text).map(JSONValue.string))
            case .checkbox: .bool(text == "on")
            case .choice: ["": .null, "true": .bool(true), "false": .bool(false)][text] ?? .string(text)
            }
        }
        return json
    }

    /// The controls of `fields` for the `clientFields` template, showing `values`; the field `refusal` names is marked.
    static func controls(_ fields: [Field], _ values: [String: String], _ refusal: ClientFields.Refusal?) -> [[String: Any]] {
        fields.map { field in
            let value = values[field.name] ?? ""
            var control: [String: Any] = ["name": field.name, "label": field.label, "value": value]
            switch field.control {
            case .text: control["text"] = true
            case .number: control["number"] = true
            case .lines: control["lines"] = true
            case .checkbox: control["checkbox"] = true; control["checked"] = value == "on"
            case .choice:
                control["choice"] = true
                control["options"] = [("", "Server default"), ("true", "Yes"), ("false", "No")].map { option, label in
                    ["optionValue": option, "optionLabel": label, "selected": option == value] as [String: Any]
                }
            }
            if let hint = field.hint { control["hint"] = hint }
            if let refusal, refusal.field == field.name { control["error"] = refusal.reason }
            return control
        }
    }
}
