@testable import LogintooCore
import Testing

@Suite("Translations")
struct TranslationTests {
    static func placeholders(_ text: String) -> Set<String> {
        var found: Set<String> = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            found.insert(String(rest[open...close]))
            rest = rest[rest.index(after: close)...]
        }
        return found
    }

    @Test("every language has every key, with the same placeholders as English", arguments: Translations.languages)
    func complete(language: String) throws {
        let english = try #require(Translations.shared.tables["en"])
        let table = try #require(Translations.shared.tables[language])
        #expect(Set(table.keys) == Set(english.keys), "keys differ: \(Set(table.keys).symmetricDifference(english.keys))")
        for (key, text) in english {
            let translated = try #require(table[key])
            #expect(!translated.isEmpty)
            #expect(Self.placeholders(translated) == Self.placeholders(text), "\(language) \(key)")
        }
    }

    @Test("the language: ui_locales first, then Accept-Language, then English")
    func choice() {
        #expect(Translations.choose(uiLocales: "fr-CA es", acceptLanguage: "de") == "fr")
        #expect(Translations.choose(uiLocales: "ko", acceptLanguage: "de-CH, en;q=0.5") == "de")
        #expect(Translations.choose(uiLocales: nil, acceptLanguage: "zh-CN,zh;q=0.9") == "zh-Hans")
        #expect(Translations.choose(uiLocales: "zh", acceptLanguage: nil) == "zh-Hans")
        #expect(Translations.choose(uiLocales: "pt-BR", acceptLanguage: nil) == "pt")
        #expect(Translations.choose(uiLocales: nil, acceptLanguage: "ko, sw") == "en")
        #expect(Translations.choose(uiLocales: nil, acceptLanguage: nil) == "en")
    }

    @Test("placeholders are filled; a missing key falls back to English, then to the key")
    func text() {
        #expect(Words("de")["page.email.title", ["client": "Shop"]] == "Bei Shop anmelden")
        #expect(Words("xx")["page.email.submit"] == "Email me a code")
        #expect(Translations.shared.text("no.such.key", in: "de") == "no.such.key")
    }

    @Test("placeholders are filled in one pass: values are not searched, unknown names and lone braces stay")
    func fill() {
        #expect(Translations.fill("{a} und {b}", ["a": "{b}", "b": "ß"]) == "{b} und ß")
        #expect(Translations.fill("{{a}} {x} {", ["a": "日本"]) == "{日本} {x} {")
        #expect(Translations.fill("Ünïcode {a}{a}", ["a": "é"]) == "Ünïcode éé")
        #expect(Translations.fill("no placeholders", ["a": "1"]) == "no placeholders")
    }

    @Test("browsers are named coarsely", arguments: [
        ("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox (Linux)"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Version/17.0 Mobile/15E148 Safari/604.1",
         "Safari (iPhone)"),
        ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36 Edg/120.0", "Edge (Windows)"),
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/537.36 Chrome/120.0 Safari/537.36", "Chrome (macOS)"),
        ("curl/8.0", nil),
    ] as [(String, String?)])
    func browsers(agent: String, name: String?) {
        #expect(BrowserDescription.coarse(agent) == name)
    }

    @Test("codes are grouped for reading")
    func grouping() {
        let client = Client(id: "c", name: "Shop", secretHash: nil, redirectURIs: [], createdAt: 0)
        let email = { (code: String) in
            SignInEmail(to: "a@example.com", code: code, client: client, lifetimeMinutes: 10, language: "en", requestedAt: 0, browser: nil)
        }
        #expect(email("12345678").groupedCode == "1234 5678")
        #expect(email("123456").groupedCode == "123 456")
        #expect(email("1234567").groupedCode == "1234 567")
    }
}
