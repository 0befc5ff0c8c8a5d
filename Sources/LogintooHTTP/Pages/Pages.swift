import HTTPTypes
import Hummingbird
import LogintooCore
import LogintooTemplates
import Mustache

/// Renders the hosted pages in the person's language, with the branding of the sign-in's client or the server's.
struct Pages: Sendable {
    /// The page templates; a sign-in's pages are prerendered per language, client and message (`render`).
    let templates: PrerenderedTemplates
    var library: MustacheLibrary { templates.library }
    let branding: ServerBranding
    /// What the pages show: the server's branding, or a client's once `branded(for:)`.
    private(set) var brand: Brand
    /// The client whose branding `brand` is, for its stylesheet's address.
    private(set) var clientId: String?
    /// Whether the operator's `theme.css` follows the built-in stylesheet.
    let hasThemeStylesheet: Bool

    /// The page templates compiled into the binary, by name.
    static let builtInTemplates = [
        "layout": PageTemplates.layout, "email": PageTemplates.email, "code": PageTemplates.code,
        "message": PageTemplates.message, "logoutConfirm": PageTemplates.logoutConfirm, "notMe": PageTemplates.notMe,
        "link": PageTemplates.link, "passkeySignIn": PageTemplates.passkeySignIn, "passkeyOnly": PageTemplates.passkeyOnly,
        "passkeyOffer": PageTemplates.passkeyOffer, "account": AccountPageTemplates.account,
        "passkeyNotMe": PageTemplates.passkeyNotMe, "accountDeletion": AccountPageTemplates.deletion,
        "codeField": PageTemplates.codeField,
    ]

    /// `theme`: the operator's templates, which replace the built-in ones of the same name; `PageTheme.load` compiled
    /// each when the server started.
    init(branding: ServerBranding = ServerBranding(), theme: PageTheme = PageTheme()) throws {
        self.templates = PrerenderedTemplates(
            try TemplateLibrary.make(Self.builtInTemplates.merging(theme.templates, uniquingKeysWith: { $1 })))
        self.hasThemeStylesheet = theme.stylesheet != nil
        self.branding = branding
        self.brand = branding.resolved(for: nil)
    }

    /// The pages of a sign-in for `client`: its logo, accent and links, else the server's.
    func branded(for client: Client) -> Pages {
        var pages = self
        pages.brand = branding.resolved(for: client)
        pages.clientId = client.id
        return pages
    }

    /// A rendered page as an answer whose Content-Security-Policy lets the page's logo load, and nothing else.
    func reply(_ page: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        Reply.html(page, status: status, headers: headers, imageOrigin: brand.logoOrigin)
    }

    /// `template` in the layout. `varying` holds the values that differ from one request to the next (the sign-in's
    /// ids, its CSRF token, what the person typed): with them, the page and the layout are prerendered for the other
    /// values and filled.
    func render(_ template: String, words: Words, title: String, _ values: [String: Any],
                varying: [String: String] = [:]) -> String {
        var frame: [String: Any] = ["title": title, "lang": words.language]
        frame.merge(brandValues(words), uniquingKeysWith: { $1 })
        if varying.isEmpty {
            let content = library.render(values, withTemplate: template) ?? ""
            frame["content"] = content
            return library.render(frame, withTemplate: "layout") ?? content
        }
        let content = templates.render(template, fixed: values, varying: varying) ?? ""
        return templates.render("layout", fixed: frame, varying: ["content": content]) ?? content
    }

    /// The layout's branding: logo, accent stylesheet, footer links and the product name in the title.
    func brandValues(_ words: Words) -> [String: Any] {
        var values: [String: Any] = [:]
        if hasThemeStylesheet { values["themeStylesheet"] = "/assets/theme.css" }
        if let product = branding.productName { values["productName"] = product }
        if let logo = brand.logoURL {
            values["logoURL"] = logo
            values["logoAlt"] = brand.name ?? ""
        }
        if brand.accentColor != nil {
            values["brandStylesheet"] = brand.accentIsClients
                ? "/assets/brand.css?client=" + URLQuery.escape(clientId ?? "") : "/assets/brand.css"
        }
        if let privacy = brand.privacyURL { values["privacy"] = ["href": privacy, "text": words["page.footer.privacy"]] }
        if let terms = brand.termsURL { values["terms"] = ["href": terms, "text": words["page.footer.terms"]] }
        if brand.privacyURL != nil || brand.termsURL != nil { values["footer"] = true }
        return values
    }

    /// `signedIn`: the browser has a session cookie, so the page links to the account page.
    func email(_ words: Words, clientName: String, tx: String, csrf: String, email: String?, error: String?,
               signedIn: Bool = false) -> String {
        let title = words["page.email.title", ["client": clientName]]
        var values: [String: Any] = ["heading": title, "intro": words["page.email.intro"], "label": words["page.email.label"],
                                     "submit": words["page.email.submit"]]
        values.merge(passkeyButton(words), uniquingKeysWith: { $1 })
        if signedIn { values["account"] = words["page.email.account"] }
        if let error { values["error"] = error }
        return render("email", words: words, title: title, values, varying: ["tx": tx, "csrf": csrf, "email": email ?? ""])
    }

    /// The login page of a sign-in whose client requires a passkey (`acr_values=phr`): the passkey, or back to the site.
    func passkeyOnly(_ words: Words, clientName: String, tx: String, csrf: String, error: String?) -> String {
        let title = words["page.email.title", ["client": clientName]]
        var values: [String: Any] = ["tx": tx, "csrf": csrf, "heading": title, "passkeyOnly": true,
                                     "intro": words["page.passkey.required.text", ["client": clientName]],
                                     "back": words["page.passkey.required.back"]]
        values.merge(passkeyButton(words), uniquingKeysWith: { $1 })
        if let error { values["error"] = error }
        return render("passkeyOnly", words: words, title: title, values)
    }

    func passkeyButton(_ words: Words) -> [String: Any] {
        ["passkeyButton": words["page.passkey.button"], "passkeyError": words["page.passkey.error"]]
    }

    /// The offer to create a passkey after an email sign-in; `code` is the sign-in's authorization code, which continuing
    /// renews, and `csrf` the session's token.
    func passkeyOffer(_ words: Words, email: String, code: String, csrf: String) -> String {
        render("passkeyOffer", words: words, title: words["page.passkey.offer.title"], [
            "heading": words["page.passkey.offer.title"], "intro": words["page.passkey.offer.text", ["email": email]],
            "code": code, "csrf": csrf, "create": words["page.passkey.offer.create"], "skip": words["page.passkey.offer.skip"],
            "error": words["page.passkey.offer.error"],
        ])
    }

    /// `number` is the confirmation number, when the email carries a magic link.
    func code(_ words: Words, clientName: String, tx: String, csrf: String, email: String, digits: Int, error: String?,
              notice: String?, number: String?) -> String {
        var values: [String: Any] = [
            "heading": words["page.code.title"], "label": words["page.code.label", ["digits": String(digits)]],
            "submit": words["page.code.submit"], "resend": words["page.code.resend"], "restart": words["page.code.restart"],
        ]
        var varying = ["tx": tx, "csrf": csrf, "intro": words["page.code.intro", ["client": clientName, "email": email]]]
        if let error { values["error"] = error }
        if let notice { values["notice"] = notice }
        if let number {
            varying["linkHint"] = words["page.code.link", ["number": number]]
            values["continue"] = words["page.code.continue"]
        }
        return render("code", words: words, title: words["page.code.title"], values, varying: varying)
    }

    /// A page that only says something: `page.KEY.title` and `page.KEY.text`, with `detail` after the text.
    func message(_ words: Words, _ key: String, detail: String? = nil) -> String {
        let heading = words["page.\(key).title"]
        let text = [detail, words["page.\(key).text"]].compactMap { $0 }.joined(separator: " ")
        return render("message", words: words, title: heading, ["heading": heading, "message": text])
    }

    /// The magic link's confirmation: a button in the browser that asked; elsewhere, the number that browser shows too.
    func link(_ words: Words, token: String, clientName: String, email: String, askNumber: Bool) -> String {
        var values: [String: Any] = ["heading": words["page.link.title", ["client": clientName]], "token": token,
                                     "text": askNumber ? words["page.link.other"] : words["page.link.text", ["email": email]],
                                     "submit": words["page.link.submit"]]
        if askNumber {
            values["askNumber"] = true
            values["numberLabel"] = words["page.link.number"]
        }
        return render("link", words: words, title: words["page.link.title", ["client": clientName]], values)
    }

    /// "This wasn't me": the confirmation a person posts; a mail scanner's GET changes nothing.
    func notMe(_ words: Words, token: String, email: String) -> String {
        render("notMe", words: words, title: words["page.notme.title"], [
            "heading": words["page.notme.title"], "text": words["page.notme.text", ["email": email]], "token": token,
            "submit": words["page.notme.submit"],
        ])
    }

    /// "This wasn't me" for a new passkey: the confirmation a person posts; a mail scanner's GET changes nothing.
    func passkeyNotMe(_ words: Words, token: String, link: PasskeyRevocationLink) -> String {
        render("passkeyNotMe", words: words, title: words["page.passkey.notme.title"], [
            "heading": words["page.passkey.notme.title"], "token": token, "submit": words["page.passkey.notme.submit"],
            "text": words["page.passkey.notme.text", ["name": link.passkeyName, "email": link.email,
                                                      "date": ReadableTime.utcMinute(link.createdAt)]],
        ])
    }

    func logoutConfirm(_ words: Words, csrf: String, clientName: String?, clientId: String?, postLogoutRedirectUri: String?,
                       state: String?) -> String {
        var values: [String: Any] = ["csrf": csrf, "heading": words["page.logout.title"], "text": words["page.logout.text"],
                                     "submit": words["page.logout.submit"]]
        if let clientName { values["returnTo"] = words["page.logout.return", ["client": clientName]] }
        if let clientId { values["clientId"] = clientId }
        if let postLogoutRedirectUri { values["postLogoutRedirectUri"] = postLogoutRedirectUri }
        if let state { values["state"] = state }
        return render("logoutConfirm", words: words, title: words["page.logout.title"], values)
    }
}

extension Request {
    /// The person's language: the sign-in's `ui_locales` (or Logintoo `locale`/`language`), then `Accept-Language`.
    func words(uiLocales: String? = nil) -> Words {
        Words(Translations.choose(uiLocales: uiLocales, acceptLanguage: headers[.acceptLanguage]))
    }
}
