import Foundation
import LogintooCore
import LogintooTemplates
import Mustache

/// The sign-in email from Mustache templates: a plain-text part and an HTML part with inline styles and no scripts,
/// branded per client (name, logo, accent colour, sender name, Reply-To, subject), in the sign-in's language. An
/// operator may replace either template (see `SignInEmailTemplates.overridable`).
public struct TemplatedSignInEmailComposer: SignInEmailComposer {
    let serverName: String
    /// The sign-in email's templates, prerendered per language and client, and the passkey notice's.
    let templates: PrerenderedTemplates
    var library: MustacheLibrary { templates.library }
    let translations: Translations
    /// The server-wide logo, accent and links, for clients without their own.
    let branding: ServerBranding

    /// `overrides` maps a file name of `SignInEmailTemplates.overridable` to its template text; `serverName` is the
    /// product name, or the issuer's host.
    public init(serverName: String, overrides: [String: String] = [:], translations: Translations = .shared,
                branding: ServerBranding = ServerBranding()) throws {
        // The passkey notice's templates are built in only: its wording is the server's own, with no client to brand it.
        let replaced = overrides.filter { SignInEmailTemplates.builtIn[$0.key] != nil }
        let templates = SignInEmailTemplates.builtIn.merging(replaced, uniquingKeysWith: { $1 })
            .merging(PasskeyAddedEmailTemplates.builtIn, uniquingKeysWith: { $1 })
        let library: MustacheLibrary
        do {
            library = try TemplateLibrary.make(templates)
        } catch {
            throw SignInEmailTemplates.Failure.invalidTemplate(error.name, error.reason)
        }
        self.templates = PrerenderedTemplates(library)
        self.serverName = serverName
        self.translations = translations
        self.branding = branding
    }

    public func compose(_ email: SignInEmail) -> EmailMessage {
        let words = Words(email.language, translations: translations)
        let client = email.client.name
        let brand = branding.resolved(for: email.client)
        // The same for every code this client's sign-ins send in this language: they name the prerendered email.
        var fixed: [String: Any] = [
            "lang": words.language,
            "clientName": client,
            "accentColor": brand.accentColor ?? SignInEmailTemplates.defaultAccent,
            "intro": words["email.intro", ["client": client]],
            "validity": words["email.validity", ["minutes": String(email.lifetimeMinutes)]],
            "ignore": words["email.ignore"],
            "sender": words["email.sender", ["server": serverName, "client": client]],
        ]
        if let logo = brand.logoURL { fixed["logoURL"] = logo }
        fixed.merge(footerLinks(brand, words), uniquingKeysWith: { $1 })
        var varying = [
            "code": email.groupedCode,
            "context": words[email.browser == nil ? "email.context.unknown-browser" : "email.context",
                             ["date": Self.date(email.requestedAt), "browser": email.browser ?? "", "client": client, "email": email.to]],
        ]
        if let link = email.linkURL {
            varying["linkLine"] = words["email.link", ["link": link]]
            varying["linkURL"] = link
            fixed["linkText"] = words["email.link", ["link": ""]].trimmingCharacters(in: .whitespaces)
            fixed["linkButton"] = words["page.link.submit"]
        }
        if let link = email.cancelURL {
            varying["notMe"] = words["email.notme", ["link": link]]
            varying["notMeURL"] = link
            fixed["notMeText"] = words["email.notme", ["link": ""]].trimmingCharacters(in: .whitespaces)
        }
        return EmailMessage(
            to: email.to, subject: email.client.settings.emailSubject ?? words["email.subject", ["client": client]],
            text: templates.render(SignInEmailTemplates.text, fixed: fixed, varying: varying) ?? "",
            html: templates.render(SignInEmailTemplates.html, fixed: fixed, varying: varying),
            replyTo: email.client.settings.replyTo, fromName: email.client.settings.senderName)
    }

    /// The privacy and terms links of the email's footer, when the client or the server has them.
    func footerLinks(_ brand: Brand, _ words: Words) -> [String: Any] {
        var values: [String: Any] = [:]
        if let privacy = brand.privacyURL { values["privacy"] = ["href": privacy, "text": words["page.footer.privacy"]] }
        if let terms = brand.termsURL { values["terms"] = ["href": terms, "text": words["page.footer.terms"]] }
        return values
    }

    /// The "passkey added" notice, in the server's name and branding: no code, the link set apart.
    public func compose(_ email: PasskeyAddedEmail) -> EmailMessage {
        let words = Words(email.language, translations: translations)
        let wording = email.wording(translations)
        let brand = branding.resolved(for: nil)
        var values: [String: Any] = [
            "lang": words.language, "subject": wording.subject,
            "accentColor": brand.accentColor ?? SignInEmailTemplates.defaultAccent, "intro": wording.intro, "context": wording.context,
            "advice": wording.advice, "notMe": wording.notMe, "notMeText": wording.notMeText, "notMeURL": email.notMeURL,
            "sender": words["email.passkey.sender", ["server": serverName]],
        ]
        values.merge(footerLinks(brand, words), uniquingKeysWith: { $1 })
        return EmailMessage(to: email.to, subject: wording.subject,
                            text: library.render(values, withTemplate: PasskeyAddedEmailTemplates.text) ?? "",
                            html: library.render(values, withTemplate: PasskeyAddedEmailTemplates.html))
    }

    /// `2026-11-25 14:05 UTC`: unambiguous in every language (`ReadableTime`).
    static func date(_ seconds: Int64) -> String { ReadableTime.utcMinute(seconds) }
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

    /// The built-in templates by file name, which `logintoo templates export` writes out.
    public static let builtIn = [text: plainText, html: markup]

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
        {{#privacy}}
        {{{text}}}: {{{href}}}
        {{/privacy}}
        {{#terms}}
        {{{text}}}: {{{href}}}
        {{/terms}}

        """

    /// Table layout and inline styles, as email clients need; no scripts, no external styles.
    static let markup = EmailLayout.markup(title: "{{clientName}}", body: """
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
        """)
}
