import Foundation
import LogintooCore
import Mustache

/// The sign-in email from Mustache templates: a plain-text part and an HTML part with inline styles and no scripts,
/// branded per client (name, logo, accent colour, sender name, Reply-To, subject), in the sign-in's language. An
/// operator may replace either template (see `SignInEmailTemplates.overridable`).
public struct TemplatedSignInEmailComposer: SignInEmailComposer {
    let serverName: String
    let library: MustacheLibrary
    let translations: Translations

    /// `overrides` maps a file name of `SignInEmailTemplates.overridable` to its template text.
    public init(serverName: String, overrides: [String: String] = [:], translations: Translations = .shared) throws {
        var library = MustacheLibrary()
        for (name, builtIn) in SignInEmailTemplates.builtIn {
            do {
                try library.register(overrides[name] ?? builtIn, named: name)
            } catch {
                throw SignInEmailTemplates.Failure.invalidTemplate(name, "\(error)")
            }
        }
        self.serverName = serverName
        self.library = library
        self.translations = translations
    }

    public func compose(_ email: SignInEmail) -> EmailMessage {
        let words = Words(email.language, translations: translations)
        let client = email.client.name
        var values: [String: Any] = [
            "lang": words.language,
            "code": email.groupedCode,
            "clientName": client,
            "accentColor": email.client.settings.accentColor ?? SignInEmailTemplates.defaultAccent,
            "intro": words["email.intro", ["client": client]],
            "validity": words["email.validity", ["minutes": String(email.lifetimeMinutes)]],
            "context": words[email.browser == nil ? "email.context.unknown-browser" : "email.context",
                             ["date": Self.date(email.requestedAt), "browser": email.browser ?? "", "client": client, "email": email.to]],
            "ignore": words["email.ignore"],
            "sender": words["email.sender", ["server": serverName, "client": client]],
        ]
        if let logo = email.client.settings.logoURL, !logo.isEmpty { values["logoURL"] = logo }
        if let link = email.linkURL {
            values["linkLine"] = words["email.link", ["link": link]]
            values["linkText"] = words["email.link", ["link": ""]].trimmingCharacters(in: .whitespaces)
            values["linkURL"] = link
            values["linkButton"] = words["page.link.submit"]
        }
        if let link = email.cancelURL {
            values["notMe"] = words["email.notme", ["link": link]]
            values["notMeText"] = words["email.notme", ["link": ""]].trimmingCharacters(in: .whitespaces)
            values["notMeURL"] = link
        }
        return EmailMessage(
            to: email.to, subject: email.client.settings.emailSubject ?? words["email.subject", ["client": client]],
            text: library.render(values, withTemplate: SignInEmailTemplates.text) ?? "",
            html: library.render(values, withTemplate: SignInEmailTemplates.html),
            replyTo: email.client.settings.replyTo, fromName: email.client.settings.senderName)
    }

    /// `2026-11-25 14:05 UTC`: unambiguous in every language. Computed from the proleptic Gregorian calendar
    /// (days to civil date), without a formatter per email.
    static func date(_ seconds: Int64) -> String {
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let minuteOfDay = (seconds - days * 86_400) / 60
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(minuteOfDay / 60)):\(two(minuteOfDay % 60)) UTC"
    }
}

/// The built-in templates and the names under which an operator replaces them.
public enum SignInEmailTemplates {
    public static let text = "sign-in.txt.mustache"
    public static let html = "sign-in.html.mustache"
    /// The files an operator's template folder may hold.
    public static let overridable = [text, html]
    public static let defaultAccent = "#2457d6"

    public enum Failure: Error, CustomStringConvertible {
        case invalidTemplate(String, String)
        public var description: String {
            switch self {
            case .invalidTemplate(let name, let why): "the email template \(name) cannot be used: \(why)"
            }
        }
    }

    static let builtIn = [text: plainText, html: markup]

    /// Reads the templates an operator put in `folder`; other files are ignored.
    public static func overrides(in folder: String) throws -> [String: String] {
        var found: [String: String] = [:]
        for name in overridable {
            let path = (folder as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw Failure.invalidTemplate(path, "it cannot be read as UTF-8")
            }
            found[name] = text
        }
        return found
    }

    /// Plain text: values go in unescaped (`{{{…}}}`).
    static let plainText = """
        {{{intro}}}

        {{{code}}}

        {{{validity}}}
        {{#linkLine}}

        {{{linkLine}}}
        {{/linkLine}}

        {{{context}}}
        {{{ignore}}}
        {{#notMe}}

        {{{notMe}}}
        {{/notMe}}

        --
        {{{sender}}}

        """

    /// Table layout and inline styles, as email clients need; no scripts, no external styles.
    static let markup = """
        <!doctype html>
        <html lang="{{lang}}">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">\
        <meta name="color-scheme" content="light dark"><title>{{clientName}}</title></head>
        <body style="margin:0;padding:0;background:#f4f5f7;">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7;padding:24px 12px;">
        <tr><td align="center">
        <table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:480px;background:#ffffff;\
        border-radius:12px;border-top:6px solid {{accentColor}};font-family:-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;\
        color:#1f2328;">
        <tr><td style="padding:28px 28px 8px;">
        {{#logoURL}}<img src="{{logoURL}}" alt="{{clientName}}" height="40" style="display:block;height:40px;border:0;margin-bottom:16px;">{{/logoURL}}
        <p style="margin:0 0 12px;font-size:16px;line-height:1.5;">{{intro}}</p>
        <p style="margin:0 0 16px;font-size:32px;line-height:1.2;font-weight:700;letter-spacing:4px;\
        font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:{{accentColor}};">{{code}}</p>
        <p style="margin:0 0 16px;font-size:15px;line-height:1.5;">{{validity}}</p>
        {{#linkURL}}<p style="margin:0 0 8px;font-size:15px;line-height:1.5;">{{linkText}}</p>
        <p style="margin:0 0 20px;"><a href="{{linkURL}}" style="display:inline-block;padding:12px 20px;border-radius:8px;        background:{{accentColor}};color:#ffffff;font-weight:600;text-decoration:none;">{{linkButton}}</a></p>{{/linkURL}}
        <p style="margin:0 0 8px;font-size:13px;line-height:1.5;color:#57606a;">{{context}}</p>
        <p style="margin:0 0 20px;font-size:13px;line-height:1.5;color:#57606a;">{{ignore}}</p>
        {{#notMeURL}}<p style="margin:0 0 20px;font-size:13px;line-height:1.5;color:#57606a;">{{notMeText}}         <a href="{{notMeURL}}" style="color:{{accentColor}};">{{notMeURL}}</a></p>{{/notMeURL}}
        </td></tr>
        <tr><td style="padding:12px 28px 20px;border-top:1px solid #eaeef2;font-size:12px;color:#8c959f;">{{sender}}</td></tr>
        </table>
        </td></tr>
        </table>
        </body>
        </html>

        """
}
