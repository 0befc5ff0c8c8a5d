import Foundation
@testable import LogintooHTTP
import LogintooCore
@testable import LogintooMail
@testable import LogintooTemplates
import Mustache
import Testing

@Suite("Templates: escaping by bytes, output as Mustache's own")
struct TemplateLibraryTests {
    /// Mustache's own escaping, a `Character` at a time: the reference for text without combining marks.
    static func mustacheEscaped(_ text: String) throws -> String {
        try MustacheTemplate(string: "{{v}}").render(["v": text])
    }

    @Test("the five characters are replaced, everything else is kept byte for byte, and a string without them is returned as is")
    func escapesTheFiveCharacters() throws {
        #expect(HTMLText.escaped(#"<a href="x" title='y'>&amp;</a>"#)
            == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;")
        for plain in ["", "person@example.com", "Grüße, 東京 🙂", "line\nbreak\t\u{0}"] {
            #expect(HTMLText.escaped(plain) == plain)
        }
    }

    @Test("on random text of ASCII, accents, CJK and emoji, the escape is Mustache's own")
    func matchesMustache() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("<>&\"'aZ09 -_=/\\é東🙂\u{1F1EB}\u{1F1F7}\n")
        for _ in 0..<2_000 {
            let text = String((0..<Int.random(in: 0...24, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
            #expect(HTMLText.escaped(text) == (try Self.mustacheEscaped(text)), "\(text.debugDescription)")
        }
    }

    @Test("a quote or < followed by a combining mark is escaped too, where a lookup by Character let it through")
    func combiningMarks() throws {
        let hostile = "\"\u{0338} autofocus onfocus=alert(1) x=\"\u{0338}"
        #expect(try Self.mustacheEscaped(hostile).contains("\"\u{0338}"))
        let escaped = HTMLText.escaped(hostile)
        #expect(!escaped.unicodeScalars.contains("\""))
        #expect(escaped == "&quot;\u{0338} autofocus onfocus=alert(1) x=&quot;\u{0338}")
        #expect(HTMLText.escaped("<\u{0338}script>") == "&lt;\u{0338}script&gt;")
    }

    @Test("every built-in page and email renders as Mustache renders it, hostile values included")
    func builtInTemplatesRenderAlike() throws {
        let templates = Pages.builtInTemplates.merging(SignInEmailTemplates.builtIn, uniquingKeysWith: { $1 })
            .merging(PasskeyAddedEmailTemplates.builtIn, uniquingKeysWith: { $1 })
        let ours = try TemplateLibrary.make(templates)
        var theirs = MustacheLibrary()
        for (name, text) in templates { try theirs.register(text, named: name) }
        let hostile = #"<b title='x'>"A & B"</b>"#
        for (name, text) in templates {
            var values: [String: Any] = [:]
            for tag in Self.tagNames(in: text) { values[tag] = hostile }
            for context in [values, [:]] {
                let rendered = try #require(ours.render(context, withTemplate: name))
                #expect(rendered == theirs.render(context, withTemplate: name), "\(name)")
            }
            if !text.contains("{{{") {
                #expect(ours.render(values, withTemplate: name)?.contains("<b title") == false, "\(name) shows a value unescaped")
            }
        }
    }

    @Test("standalone tags at the very start of a template still take their line with them")
    func leadingStandaloneTags() throws {
        let text = "{{#items}}\n- {{.}}\n{{/items}}\nend\n"
        let ours = try TemplateLibrary.make(["list": text])
        #expect(ours.render(["items": ["a", "b"]], withTemplate: "list") == "- a\n- b\nend\n")
    }

    @Test("a template that does not compile is refused with its name")
    func refusesBrokenTemplates() {
        #expect(throws: TemplateFailure.self) { try TemplateLibrary.make(["broken": "{{#open}}"]) }
        do {
            _ = try TemplateLibrary.make(["broken": "{{#open}}"])
        } catch {
            #expect(error.name == "broken" && !error.reason.isEmpty)
        }
        // The error is the one the template as written gives, so its line is the author's, not one below it.
        let text = "<p>fine</p>\n<p>{{#open}}{{/other}}</p>\n<p>end</p>\n"
        var asWritten = ""
        do { _ = try MustacheTemplate(string: text) } catch { asWritten = "\(error)" }
        #expect(asWritten.contains("lineNumber: 2"))
        do {
            _ = try TemplateLibrary.make(["broken": text])
            Issue.record("a broken template was compiled")
        } catch {
            #expect(error.reason == asWritten)
        }
    }

    /// The names of a template's variables and sections.
    static func tagNames(in text: String) -> Set<String> {
        let pattern = try! NSRegularExpression(pattern: #"\{\{\{?[#^/]?\s*([A-Za-z][A-Za-z0-9_]*)\s*\}?\}\}"#)
        let range = NSRange(text.startIndex..., in: text)
        return Set(pattern.matches(in: text, range: range).compactMap { Range($0.range(at: 1), in: text).map { String(text[$0]) } })
    }
}

@Suite("Prerendered templates: rendered once per set of fixed values, then filled")
struct PrerenderedTemplatesTests {
    static var fixed: [String: Any] { ["lang": "en", "clientName": "Shop <&> 'quoted'", "accentColor": "#2457d6",
                                       "privacy": ["href": "https://shop.example/privacy", "text": "Privacy"]] }

    static func randomValue(_ generator: inout some RandomNumberGenerator) -> String {
        let alphabet = Array("<>&\"'aZ09 -_=/é東🙂\u{0338}\n{}")
        return String((0..<Int.random(in: 1...20, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! })
    }

    @Test("the sign-in email's parts filled with random values are the parts rendered directly, escaped where the template escapes")
    func fillsAsRenderingDoes() throws {
        let library = try TemplateLibrary.make(SignInEmailTemplates.builtIn)
        let templates = PrerenderedTemplates(library)
        var generator = SystemRandomNumberGenerator()
        for round in 0..<300 {
            var varying = ["code": Self.randomValue(&generator), "context": Self.randomValue(&generator)]
            if round % 3 == 0 { varying["linkURL"] = Self.randomValue(&generator); varying["linkLine"] = Self.randomValue(&generator) }
            for name in SignInEmailTemplates.overridable {
                let direct = library.render(Self.fixed.merging(varying, uniquingKeysWith: { $1 }), withTemplate: name)
                #expect(templates.render(name, fixed: Self.fixed, varying: varying) == direct)
            }
        }
        // Two parts, each with and without the link.
        #expect(templates.prerenderedForms == 4)
    }

    @Test("a template that transforms a value, or holds the marker's byte itself, is rendered directly every time")
    func transformsAreRenderedDirectly() throws {
        let library = try TemplateLibrary.make(["upper": "<p>{{uppercased(code)}}</p>", "byte": "\u{1}&0aA\u{1}{{code}}"])
        let templates = PrerenderedTemplates(library)
        for code in ["ABC-123", "abc-123", "x<y"] {
            #expect(templates.render("upper", fixed: [:], varying: ["code": code])
                == library.render(["code": code], withTemplate: "upper"))
            #expect(templates.render("byte", fixed: [:], varying: ["code": code]) == "\u{1}&0aA\u{1}" + HTMLText.escaped(code))
        }
        #expect(templates.prerenderedForms == 0)
    }

    @Test("another client, language or flag is another prerendered form; past the capacity they are made again")
    func keyedByFixedValues() throws {
        let library = try TemplateLibrary.make(["t": "{{clientName}}/{{#flag}}on{{/flag}}/{{code}}"])
        let templates = PrerenderedTemplates(library, capacity: 2)
        for round in 0..<3 {
            for (client, flag) in [("A", true), ("B", false), ("A&", false)] {
                let rendered = templates.render("t", fixed: ["clientName": client, "flag": flag], varying: ["code": "\(round)"])
                #expect(rendered == HTMLText.escaped(client) + "/" + (flag ? "on" : "") + "/\(round)")
            }
        }
        #expect(PrerenderedTemplates.key(template: "t", fixed: ["a": "b:c"], varying: [])
            != PrerenderedTemplates.key(template: "t", fixed: ["a": "b", "c": ""], varying: []))
    }

    @Test("the email and code pages, filled from their prerendered forms, read as a fresh render of the same values")
    func pagesFillAsTheyRender() throws {
        let warm = try Pages()
        for language in ["en", "de", "ja"] {
            _ = warm.email(Words(language), clientName: "Shop", tx: "warm", csrf: "warm", email: "w@example.com", error: nil)
            _ = warm.code(Words(language), clientName: "Shop", tx: "warm", csrf: "warm", email: "w@example.com", digits: 6,
                          error: nil, notice: nil, number: nil)
        }
        let cases: [(String, String, String?, String?)] = [
            ("en", "person@example.com", nil, nil), ("de", "\"><b>@example.com", "Falsch", "42"), ("ja", "", nil, "7"),
            ("en", "x'y@example.com", "<wrong>", nil),
        ]
        for (index, (language, email, error, number)) in cases.enumerated() {
            let fresh = try Pages()
            let words = Words(language)
            #expect(warm.email(words, clientName: "Shop & Co", tx: "tx\(index)", csrf: "c<\(index)>", email: email, error: error)
                == fresh.email(words, clientName: "Shop & Co", tx: "tx\(index)", csrf: "c<\(index)>", email: email, error: error))
            #expect(warm.code(words, clientName: "Shop", tx: "tx\(index)", csrf: "c\(index)", email: email, digits: 6,
                              error: error, notice: nil, number: number)
                == fresh.code(words, clientName: "Shop", tx: "tx\(index)", csrf: "c\(index)", email: email, digits: 6,
                              error: error, notice: nil, number: number))
        }
        #expect(warm.templates.prerenderedForms >= 8)
    }

    @Test("a marker is read only whole, and only with the nonce of its templates")
    func markers() {
        #expect(PrerenderedTemplates.parts(of: "a\u{1}&amp;1aAxY\u{1}b\u{1}&0aAxY\u{1}", nonce: "xY")
            == [.text("a"), .value(1, escaped: true), .text("b"), .value(0, escaped: false)])
        for broken in ["\u{1}", "\u{1}&", "\u{1}&1", "\u{1}&1aAxY", "\u{1}&1AAxY\u{1}", "\u{1}&x\u{1}", "\u{1}1aAxY\u{1}",
                       "\u{1}&amp;aAxY\u{1}", "\u{1}&0aaxY\u{1}", "\u{1}&0aA\u{1}", "\u{1}&0aAxZ\u{1}"] {
            #expect(PrerenderedTemplates.parts(of: broken, nonce: "xY") == nil, "\(broken.debugDescription)")
        }
    }

    @Test("a fixed value written as a marker stays text: a later request's value is never filled into it")
    func forgedMarkers() throws {
        let library = try TemplateLibrary.make(["page": "<h1>{{clientName}}</h1><p>{{{code}}}</p>"])
        let templates = PrerenderedTemplates(library)
        let other = PrerenderedTemplates(library)
        for forged in ["\u{1}&0aA\u{1}", PrerenderedTemplates.marker(0, nonce: other.nonce)] {
            #expect(templates.render("page", fixed: ["clientName": forged], varying: ["code": forged])
                == "<h1>\(HTMLText.escaped(forged))</h1><p>\(forged)</p>")
            #expect(templates.render("page", fixed: ["clientName": forged], varying: ["code": "123456"])
                == "<h1>\(HTMLText.escaped(forged))</h1><p>123456</p>")
        }
        #expect(templates.nonce != other.nonce && templates.nonce.count == 16)
    }

    @Test("past the capacity, one form is dropped for each new one")
    func boundedForms() throws {
        let library = try TemplateLibrary.make(["t": "{{clientName}}:{{code}}"])
        let templates = PrerenderedTemplates(library, capacity: 3)
        for client in 0..<10 {
            #expect(templates.render("t", fixed: ["clientName": "c\(client)"], varying: ["code": "x"]) == "c\(client):x")
        }
        #expect(templates.prerenderedForms == 3)
    }
}

@Suite("Cookies: one pair read out of the Cookie header")
struct CookieHeaderTests {
    @Test("the first pair of that name, after spaces or tabs, and nothing for a name that only starts alike")
    func findsThePair() {
        #expect(CookieHeader.value(of: "a", in: "a=1; b=2") == "1")
        #expect(CookieHeader.value(of: "b", in: "a=1;  \tb=2") == "2")
        #expect(CookieHeader.value(of: "b", in: "b=first; b=second") == "first")
        #expect(CookieHeader.value(of: "b", in: "bb=1; ab=2") == nil)
        #expect(CookieHeader.value(of: "b", in: "b") == nil)
        #expect(CookieHeader.value(of: "b", in: "b=x=y") == "x=y")
        #expect(CookieHeader.value(of: "b", in: "b=") == "")
        #expect(CookieHeader.value(of: "b", in: ";;b=3;") == "3")
    }

    @Test("a value is a token: letters, digits, - and _, up to 200 of them")
    func tokens() {
        #expect(CookieHeader.isToken("aZ09-_"))
        #expect(CookieHeader.isToken(Substring(String(repeating: "a", count: 200))))
        for refused in ["", String(repeating: "a", count: 201), "a b", "a=b", "ä", "a\"", "a%20"] {
            #expect(!CookieHeader.isToken(Substring(refused)), "\(refused)")
        }
    }
}
