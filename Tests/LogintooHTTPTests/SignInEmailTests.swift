import Foundation
import LogintooCore
import LogintooMail
import Testing

@Suite("Sign-in email")
struct SignInEmailTests {
    static func email(language: String, settings: ClientSettings = ClientSettings(), name: String = "Shop <&> Co") -> SignInEmail {
        let client = Client(id: "c1", name: name, secretHash: nil, redirectURIs: [], settings: settings, createdAt: 0)
        return SignInEmail(to: "ana@example.com", code: "12345678", client: client, lifetimeMinutes: 10, language: language,
                           requestedAt: 1_800_000_000, browser: "Firefox (Linux)",
                           cancelURL: "https://login.example.com/login/not-me?t=CANCEL",
                           linkURL: "https://login.example.com/login/link?t=MAGIC")
    }

    @Test("every language renders both parts with the grouped code, the site, the time, the browser and the address",
          arguments: Translations.languages)
    func everyLanguage(language: String) throws {
        let composer = try TemplatedSignInEmailComposer(serverName: "login.example.com")
        let message = composer.compose(Self.email(language: language))
        let words = Words(language)
        #expect(message.subject == words["email.subject", ["client": "Shop <&> Co"]])
        for part in [message.text, try #require(message.html)] {
            #expect(part.contains("1234 5678"))
            #expect(part.contains("2027-01-15 08:00 UTC") && part.contains("Firefox (Linux)") && part.contains("ana@example.com"))
            #expect(part.contains("login.example.com"))
            #expect(part.contains("https://login.example.com/login/link?t=MAGIC") && part.contains("/login/not-me?t=CANCEL"))
        }
        #expect(message.text.contains("Shop <&> Co") && message.text.contains(words["email.ignore"]))
        let html = try #require(message.html)
        #expect(html.contains("Shop &lt;&amp;&gt; Co") && !html.contains("Shop <&> Co"), "HTML-escaped")
        #expect(html.contains("<html lang=\"\(language)\">") && !html.lowercased().contains("<script"))
        #expect(!message.subject.contains("1234"), "the code is never in the subject")
    }

    @Test("an unrecognised browser is left out of the email, and a client without a logo gets no image",
          arguments: Translations.languages)
    func unknownBrowserAndNoLogo(language: String) throws {
        let plain = Self.email(language: language)
        let email = SignInEmail(to: plain.to, code: plain.code, client: plain.client, lifetimeMinutes: 10, language: language,
                                requestedAt: plain.requestedAt, browser: nil, cancelURL: plain.cancelURL, linkURL: plain.linkURL)
        let message = try TemplatedSignInEmailComposer(serverName: "login.example.com").compose(email)
        let html = try #require(message.html)
        let context = Words(language)["email.context.unknown-browser", ["date": "2027-01-15 08:00 UTC", "client": "Shop <&> Co",
                                                                      "email": "ana@example.com"]]
        #expect(message.text.contains(context), "the sentence without a browser, not \"from ?\"")
        #expect(!message.text.contains("{browser}") && !html.contains("{browser}"))
        #expect(!html.contains("<img"), "no logo, no image")
    }

    @Test("the request time reads as a UTC calendar date, leap days and centuries included",
          arguments: [Int64(0), 59, 951_782_400, 951_868_799, 4_107_542_400, 1_800_000_000, 1_764_115_200, -1, -86_401, 253_402_300_799])
    func requestTime(seconds: Int64) throws {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm 'UTC'"
        var email = Self.email(language: "en")
        email.requestedAt = seconds
        let message = try TemplatedSignInEmailComposer(serverName: "login.example.com").compose(email)
        #expect(message.text.contains(formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))))
    }

    @Test("branding: logo, accent colour, sender name, Reply-To and subject come from the client")
    func branding() throws {
        let settings = ClientSettings(replyTo: "help@shop.example", emailSubject: "Your Shop code", logoURL: "https://shop.example/logo.png",
                                      accentColor: "#aa3300", senderName: "Shop Team")
        let message = try TemplatedSignInEmailComposer(serverName: "login.example.com").compose(Self.email(language: "en", settings: settings))
        let html = try #require(message.html)
        #expect(html.contains("src=\"https://shop.example/logo.png\"") && html.contains("#aa3300"))
        #expect(message.subject == "Your Shop code" && message.replyTo == "help@shop.example" && message.fromName == "Shop Team")
        let mime = MIMEMessage.render(message, from: "Logintoo <login@example.com>", id: "m1", date: Date(timeIntervalSince1970: 0),
                                      domain: "example.com")
        #expect(mime.contains("From: \"Shop Team\" <login@example.com>"))
        #expect(throws: ClientRegistrationError.self) { try ClientSettings(accentColor: "red;background:url(x)").validate() }
        #expect(throws: ClientRegistrationError.self) { try ClientSettings(senderName: "Evil\r\nBcc: x@y").validate() }
    }

    @Test("an operator's templates replace the built-in ones; a broken one stops the start with its name")
    func overrides() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "Code for {{clientName}}: {{code}}".write(to: folder.appendingPathComponent("sign-in.txt.mustache"), atomically: true,
                                                     encoding: .utf8)
        let overrides = try SignInEmailTemplates.overrides(in: folder.path)
        let message = try TemplatedSignInEmailComposer(serverName: "x", overrides: overrides).compose(Self.email(language: "de", name: "Shop"))
        #expect(message.text == "Code for Shop: 1234 5678")
        #expect(message.html?.contains("<html lang=\"de\">") == true, "the HTML part keeps the built-in template")
        #expect(throws: SignInEmailTemplates.Failure.self) {
            try TemplatedSignInEmailComposer(serverName: "x", overrides: ["sign-in.html.mustache": "{{#open}} never closed"])
        }
    }
}
