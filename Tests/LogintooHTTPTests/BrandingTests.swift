import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LogintooApp
import LogintooCore
import LogintooHTTP
import Logging
import LogintooMail
import Testing

/// Branding: the server's product name, logo, accent colour and privacy and terms links, and a client's own, on the
/// login pages (with a Content-Security-Policy that lets only the shown logo's origin in) and in the emails.
@Suite("Branding of the login pages and emails")
struct BrandingTests {
    static let server = ServerBranding(productName: "Acme ID", logoURL: "https://cdn.acme.example/logo.svg",
                                       accentColor: "#1a5e20", privacyURL: "https://acme.example/privacy",
                                       termsURL: "https://acme.example/terms")
    static let clientBrand = ClientSettings(logoURL: "https://shop.example.net:8443/logo.png", accentColor: "#aa3300",
                                            privacyURL: "https://shop.example.net/privacy", termsURL: "https://shop.example.net/terms")

    /// The application with `branding` as the server's.
    func test(_ server: TestServer, branding: ServerBranding, _ body: @Sendable (any TestClientProtocol) async throws -> Void)
        async throws {
        var context = server.context
        context.branding = branding
        try await Application(router: try buildRouter(server: context)).test(.router, body)
    }

    /// The public test client with `settings` saved.
    func brandedClient(_ server: TestServer, _ settings: ClientSettings) async throws -> Client {
        var client = server.publicClient
        client.settings = settings
        try await server.store.saveClient(client)
        return client
    }

    @Test("a client's logo, stylesheet and links are on its sign-in's pages; the policy lets only the logo's origin in")
    func clientBrandOnPages() async throws {
        let server = try await TestServer.make()
        let client = try await brandedClient(server, Self.clientBrand)
        try await test(server, branding: Self.server) { http in
            let browser = Browser(http)
            let start = try await browser.get(server.authorizeURI(client: client))
            let email = try await browser.get(try #require(start.headers[.location]))
            let html = String(buffer: email.body)
            #expect(html.contains("<img class=\"logo\" src=\"https://shop.example.net:8443/logo.png\" alt=\"Static Site\">"))
            #expect(html.contains("href=\"/assets/brand.css?client=\(client.id)\""))
            #expect(html.contains("<a href=\"https://shop.example.net/privacy\">Privacy</a>"))
            #expect(html.contains("<a href=\"https://shop.example.net/terms\">Terms</a>"))
            #expect(!html.contains("acme.example"), "the client's own values win over the server's")
            #expect(html.contains("<title>Sign in to Static Site · Acme ID</title>") || html.contains(" · Acme ID</title>"))
            let policy = try #require(email.headers[.contentSecurityPolicy])
            #expect(policy.contains("img-src 'self' https://shop.example.net:8443;"))
            #expect(policy.contains("style-src 'self';") && !policy.contains("cdn.acme.example"))

            let page = Page(email)
            _ = try await browser.post("/login/email", form: [("tx", try page.hidden("tx")), ("csrf", try page.hidden("csrf")),
                                                                ("email", "alice@example.com")])
            let code = try await browser.get("/login?tx=\(try page.hidden("tx"))")
            #expect(String(buffer: code.body).contains("src=\"https://shop.example.net:8443/logo.png\""), "the code page too")
            #expect(code.headers[.contentSecurityPolicy]?.contains("img-src 'self' https://shop.example.net:8443;") == true)
        }
    }

    @Test("a client without branding shows the server's logo, accent and links; other pages show the server's too")
    func serverBrandOnPages() async throws {
        let server = try await TestServer.make()
        try await test(server, branding: Self.server) { http in
            let browser = Browser(http)
            let start = try await browser.get(server.authorizeURI())
            let email = try await browser.get(try #require(start.headers[.location]))
            let html = String(buffer: email.body)
            #expect(html.contains("<img class=\"logo\" src=\"https://cdn.acme.example/logo.svg\" alt=\"Static Site\">"))
            #expect(html.contains("href=\"/assets/brand.css\""))
            #expect(html.contains("<a href=\"https://acme.example/privacy\">Privacy</a>"))
            #expect(html.contains("<a href=\"https://acme.example/terms\">Terms</a>"))
            #expect(email.headers[.contentSecurityPolicy]?.contains("img-src 'self' https://cdn.acme.example;") == true)

            let expired = try await http.execute(uri: "/login?tx=nothing", method: .get)
            #expect(String(buffer: expired.body).contains("alt=\"Acme ID\""), "without a client, the product name is the logo's text")
            #expect(expired.headers[.contentSecurityPolicy]?.contains("img-src 'self' https://cdn.acme.example;") == true)
        }
    }

    @Test("without branding, pages show no logo, no footer and no brand stylesheet, and images come from the server only")
    func noBranding() async throws {
        let server = try await TestServer.make()
        try await server.test { http in
            let start = try await Browser(http).get(server.authorizeURI())
            #expect(start.status == .seeOther)
            let expired = try await http.execute(uri: "/login?tx=nothing", method: .get)
            let html = String(buffer: expired.body)
            #expect(!html.contains("<img") && !html.contains("<footer") && !html.contains("brand.css"))
            #expect(expired.headers[.contentSecurityPolicy]?.contains("img-src 'self';") == true)
        }
    }

    @Test("brand.css carries the client's accent, else the server's, with a dark-mode text colour at 4.5:1 on #121212")
    func stylesheet() async throws {
        let server = try await TestServer.make()
        let client = try await brandedClient(server, Self.clientBrand)
        try await test(server, branding: Self.server) { http in
            let own = try await http.execute(uri: "/assets/brand.css?client=\(client.id)", method: .get)
            #expect(own.headers[.contentType] == "text/css; charset=utf-8")
            #expect(own.headers[.cacheControl] == "public, max-age=300")
            let css = String(buffer: own.body)
            #expect(css.contains("--accent: #aa3300; --accent-text: #aa3300;"))
            let dark = AccentPalette.textOnDark("#aa3300")
            #expect(css.contains("@media (prefers-color-scheme: dark) { :root { --accent-text: \(dark); } }"))
            #expect(try #require(ColourContrast.ratio(dark, "#121212")) >= 4.5)

            let serverAnswer = try await http.execute(uri: "/assets/brand.css", method: .get)
            let serverCSS = String(buffer: serverAnswer.body)
            #expect(serverCSS.contains("--accent: #1a5e20;"))
            let unknownAnswer = try await http.execute(uri: "/assets/brand.css?client=nobody", method: .get)
            let unknown = String(buffer: unknownAnswer.body)
            #expect(unknown == serverCSS, "an unknown client gets the server's accent")
        }
        try await server.test { http in
            let none = try await http.execute(uri: "/assets/brand.css", method: .get)
            #expect(none.status == .ok && String(buffer: none.body).isEmpty)
        }
    }

    @Test("the dark-mode text colour of any acceptable accent reaches 4.5:1 on the dark background, and the accent 4.5:1 under white text", arguments: ["#2457d6", "#aa3300", "#1a5e20", "#000000", "#6a1b9a", "#0b57d0"])
    func palette(_ accent: String) throws {
        #expect(ClientSettings.isColour(accent))
        #expect(try #require(ColourContrast.ratio(AccentPalette.textOnDark(accent), AccentPalette.darkBackground)) >= 4.5)
        #expect(try #require(ColourContrast.ratio(accent, "#ffffff")) >= 4.5)
    }

    @Test("an accent white text cannot be read on is refused: as a client setting, over the admin API's fields, and at startup")
    func unreadableAccentRefused() throws {
        #expect(throws: ClientRegistrationError.self) { try ClientSettings(accentColor: "#ffcc00").validate() }
        var client = Client(id: "c", name: "C", secretHash: nil, redirectURIs: [], createdAt: 0)
        #expect { try ClientFields.apply(["accent_color": .string("#7fb3ff")], to: &client) } throws: { error in
            (error as? ClientFields.Refusal)?.field == "accent_color"
        }
        #expect(LogintooClientSettings.apply("accentColor", .string("#ffcc00"), to: &client) != .applied)
        #expect(client.settings.accentColor == nil)
        #expect { try Self.load(["LOGINTOO_ACCENT_COLOR": "#ffcc00"]) } throws: { error in
            "\(error)".contains("LOGINTOO_ACCENT_COLOR") && "\(error)".contains("4.5:1")
        }
        #expect { try Self.load(["LOGINTOO_ACCENT_COLOR": "red"]) } throws: { "\($0)".contains("LOGINTOO_ACCENT_COLOR") }
    }

    @Test("the server's branding settings are read, links and logo must be https, and the product name names the server")
    func settings() throws {
        let configuration = try Self.load([
            "LOGINTOO_PRODUCT_NAME": "Acme ID", "LOGINTOO_LOGO_URL": "https://cdn.acme.example/logo.svg",
            "LOGINTOO_ACCENT_COLOR": "#1a5e20", "LOGINTOO_PRIVACY_URL": "https://acme.example/privacy",
            "LOGINTOO_TERMS_URL": "https://acme.example/terms",
        ])
        #expect(configuration.branding == Self.server)
        #expect(configuration.serverName == "Acme ID")
        #expect(try Self.load([:]).serverName == "login.example.com")
        for name in ["LOGINTOO_LOGO_URL", "LOGINTOO_PRIVACY_URL", "LOGINTOO_TERMS_URL"] {
            #expect { try Self.load([name: "http://acme.example/x"]) } throws: { "\($0)".contains(name) }
            #expect { try Self.load([name: "https://acme.example/a\"b"]) } throws: { "\($0)".contains(name) }
        }
        #expect { try Self.load(["LOGINTOO_PRODUCT_NAME": "two\nlines"]) } throws: { "\($0)".contains("LOGINTOO_PRODUCT_NAME") }
    }

    @Test("privacy and terms links are client settings under both names, https only")
    func clientLinks() throws {
        var client = Client(id: "c", name: "C", secretHash: nil, redirectURIs: [], createdAt: 0)
        _ = try ClientFields.apply(["privacy_url": .string("https://c.example/p"), "terms_url": .string("https://c.example/t")],
                                   to: &client)
        #expect(client.settings.privacyURL == "https://c.example/p" && client.settings.termsURL == "https://c.example/t")
        #expect { try ClientFields.apply(["terms_url": .string("javascript:alert(1)")], to: &client) } throws: { error in
            (error as? ClientFields.Refusal)?.field == "terms_url"
        }
        #expect(LogintooClientSettings.apply("privacyURL", .string("https://c.example/p2"), to: &client) == .applied)
        #expect(LogintooClientSettings.apply("termsURL", .string("http://c.example/t"), to: &client) != .applied)
        #expect(client.settings.privacyURL == "https://c.example/p2" && client.settings.termsURL == nil)
    }

    @Test("the admin API sets a client's privacy and terms links (https only), and its sign-in pages link them")
    func linksOverTheAdminAPI() async throws {
        let server = try await TestServer.make()
        let admin = AdminAPIOperationsTests()
        try await server.test { http in
            let (token, _) = try await admin.adminToken(server, http)
            let path = "/admin/api/clients/\(server.publicClient.id)"
            let refused = try await admin.send(http, .patch, path, token: token, json: #"{"terms_url": "http://site.example.com/t"}"#)
            #expect(refused.status == .badRequest && refused.raw.contains("terms_url"))
            let changed = try await admin.send(http, .patch, path, token: token, json: """
                {"privacy_url": "https://site.example.com/privacy", "terms_url": "https://site.example.com/terms"}
                """)
            #expect(changed.status == .ok)
            #expect(changed.json["privacy_url"] as? String == "https://site.example.com/privacy")
            #expect(changed.json["terms_url"] as? String == "https://site.example.com/terms")

            let browser = Browser(http)
            let start = try await browser.get(server.authorizeURI())
            let html = String(buffer: try await browser.get(try #require(start.headers[.location])).body)
            #expect(html.contains("<footer class=\"brand\"><a href=\"https://site.example.com/privacy\">Privacy</a>"
                                  + "<a href=\"https://site.example.com/terms\">Terms</a></footer>"))
        }
    }

    @Test("emails take the server's logo, accent and links when the client has none, and the client's own when it has them")
    func emails() throws {
        let composer = try TemplatedSignInEmailComposer(serverName: "Acme ID", branding: Self.server)
        let plain = composer.compose(SignInEmailTests.email(language: "en", name: "Shop"))
        let html = try #require(plain.html)
        #expect(html.contains("src=\"https://cdn.acme.example/logo.svg\"") && html.contains("#1a5e20"))
        #expect(html.contains("href=\"https://acme.example/privacy\"") && html.contains("href=\"https://acme.example/terms\""))
        #expect(plain.text.contains("Privacy: https://acme.example/privacy") && plain.text.contains("Terms: https://acme.example/terms"))
        #expect(plain.text.contains("Acme ID"), "the product name signs the email")

        let own = composer.compose(SignInEmailTests.email(language: "en", settings: Self.clientBrand, name: "Shop"))
        let ownHTML = try #require(own.html)
        #expect(ownHTML.contains("src=\"https://shop.example.net:8443/logo.png\"") && ownHTML.contains("#aa3300"))
        #expect(ownHTML.contains("href=\"https://shop.example.net/privacy\"") && !ownHTML.contains("acme.example/privacy"))
        #expect(!ownHTML.contains("#1a5e20"))

        let bare = try TemplatedSignInEmailComposer(serverName: "login.example.com").compose(SignInEmailTests.email(language: "en"))
        #expect(!(bare.html ?? "").contains("Privacy") && !bare.text.contains("Privacy"))
    }

    static func load(_ environment: [String: String]) throws(ConfigurationError) -> Configuration {
        try Configuration.load(flags: [:], environment: ["LOGINTOO_ISSUER": "https://login.example.com",
                                                         "LOGINTOO_MAIL_URL": "console"].merging(environment) { $1 },
                               configFile: nil)
    }
}

/// `LOGINTOO_THEME_DIR` and `logintoo templates export`: an operator's stylesheet and page templates.
@Suite("The operator's theme")
struct PageThemeTests {
    func folder() throws -> String {
        let path = NSTemporaryDirectory() + "logintoo-theme-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func write(_ text: String, _ name: String, in folder: String) throws {
        try text.write(toFile: (folder as NSString).appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    @Test("a theme template replaces the built-in one, and theme.css is linked after the built-in stylesheet and served")
    func overrides() async throws {
        let dir = try folder()
        try write("<h1 class=\"themed\">{{heading}}</h1><p>{{message}}</p>", "message.mustache", in: dir)
        try write("h1.themed { letter-spacing: .1em; }", "theme.css", in: dir)
        try write("ignored", "unrelated.txt", in: dir)
        let theme = try PageTheme.load(from: dir)
        #expect(theme.templates.keys.sorted() == ["message"])
        let server = try await TestServer.make()
        var context = server.context
        context.theme = theme
        try await Application(router: try buildRouter(server: context)).test(.router) { http in
            let page = try await http.execute(uri: "/login?tx=nothing", method: .get)
            let html = String(buffer: page.body)
            #expect(html.contains("<h1 class=\"themed\">"))
            let builtIn = try #require(html.range(of: "href=\"/assets/login.css\""))
            let themed = try #require(html.range(of: "href=\"/assets/theme.css\""))
            #expect(builtIn.upperBound < themed.lowerBound, "the theme's rules come after the built-in ones")
            let css = try await http.execute(uri: "/assets/theme.css", method: .get)
            #expect(css.status == .ok && String(buffer: css.body) == "h1.themed { letter-spacing: .1em; }")
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")
        }
        try await server.test { http in
            let none = try await http.execute(uri: "/assets/theme.css", method: .get)
            #expect(none.status == .notFound, "without a theme there is no theme stylesheet")
        }
    }

    @Test("a theme template that does not compile stops the start, naming the file")
    func brokenTemplate() async throws {
        let dir = try folder()
        try write("<h1>{{#heading}}never closed</h1>", "code.mustache", in: dir)
        #expect { try PageTheme.load(from: dir) } throws: { "\($0)".contains(dir + "/code.mustache") }
        let data = try folder()
        let configuration = try Configuration.load(
            flags: [:], environment: ["LOGINTOO_ISSUER": "http://127.0.0.1:8080", "LOGINTOO_MAIL_URL": "console",
                                      "LOGINTOO_DATA_DIR": data, "LOGINTOO_THEME_DIR": dir], configFile: nil)
        await #expect { _ = try await LogintooServer.assemble(configuration: configuration, logger: Logger(label: "test")) }
            throws: { "\($0)".contains("code.mustache") && "\($0)".contains("does not compile") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: data).isEmpty, "nothing was started")
    }

    @Test("templates export writes every built-in page and email template and the stylesheet, and refuses to overwrite")
    func export() throws {
        let dir = try folder() + "/new"
        let written = try TemplateExport.export(to: dir)
        let names = Set(written.map { ($0 as NSString).lastPathComponent })
        #expect(names.isSuperset(of: ["layout.mustache", "email.mustache", "code.mustache", "message.mustache", "login.css",
                                      "sign-in.txt.mustache", "sign-in.html.mustache"]))
        let code = try String(contentsOfFile: dir + "/code.mustache", encoding: .utf8)
        #expect(code.contains("action=\"/login/code\""))
        #expect(try PageTheme.load(from: dir).templates.count == PageTheme.builtInTemplates.count, "the export is a valid theme")
        try write("mine", "code.mustache", in: dir)
        #expect { try TemplateExport.export(to: dir) } throws: { error in
            (error as? TemplateExport.Failure).map { "\($0)".contains("code.mustache") } ?? false
        }
        #expect(try String(contentsOfFile: dir + "/code.mustache", encoding: .utf8) == "mine", "nothing was overwritten")
    }
}
