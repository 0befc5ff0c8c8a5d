import Foundation

/// The words of the hosted pages and the emails in twelve languages, read from `Resources/locales/LANGUAGE.json`
/// (compiled into the binary). Values may hold `{name}` placeholders.
public struct Translations: Sendable {
    /// English first: the language of last resort.
    public static let languages = ["en", "de", "fr", "es", "pt", "it", "nl", "pl", "uk", "ja", "zh-Hans", "tr"]
    /// Tags browsers and sites send for a language offered under another tag.
    static let aliases = ["zh": "zh-Hans", "zh-cn": "zh-Hans", "zh-sg": "zh-Hans", "zh-hans-cn": "zh-Hans"]

    public static let shared = Translations()

    public let tables: [String: [String: String]]

    init() {
        let sources: [String: [UInt8]] = [
            "en": PackageResources.en_json, "de": PackageResources.de_json, "fr": PackageResources.fr_json,
            "es": PackageResources.es_json, "pt": PackageResources.pt_json, "it": PackageResources.it_json,
            "nl": PackageResources.nl_json, "pl": PackageResources.pl_json, "uk": PackageResources.uk_json,
            "ja": PackageResources.ja_json, "zh-Hans": PackageResources.zh_Hans_json, "tr": PackageResources.tr_json,
        ]
        // The files are compiled in and checked by the tests; a broken one is a programming error.
        tables = sources.mapValues { try! JSONDecoder().decode([String: String].self, from: Data($0)) }
    }

    /// The text of `key` in `language` with its placeholders filled; English when the language lacks the key.
    public func text(_ key: String, in language: String, _ values: [String: String] = [:]) -> String {
        let text = tables[language]?[key] ?? tables["en"]?[key] ?? key
        return values.isEmpty ? text : Self.fill(text, values)
    }

    /// `text` with each `{name}` of `values` replaced, in one pass: a value is never searched for placeholders itself (a
    /// browser name or address holding `{link}` stays as written), and an unknown `{name}` is left as it is. One scan of
    /// the UTF-8 bytes rather than a Foundation search per value: a sign-in fills a dozen texts (docs/performance.md).
    static func fill(_ text: String, _ values: [String: String]) -> String {
        let bytes = text.utf8
        var result = ""
        result.reserveCapacity(bytes.count)
        var copied = bytes.startIndex
        var cursor = bytes.startIndex
        while let open = bytes[cursor...].firstIndex(of: UInt8(ascii: "{")) {
            let nameStart = bytes.index(after: open)
            guard let close = bytes[nameStart...].firstIndex(of: UInt8(ascii: "}")) else { break }
            // Braces are ASCII, so these indices fall between whole characters.
            if let value = values[String(text[nameStart..<close])] {
                result.append(contentsOf: text[copied..<open])
                result.append(value)
                copied = bytes.index(after: close)
                cursor = copied
            } else {
                cursor = nameStart
            }
        }
        result.append(contentsOf: text[copied...])
        return result
    }

    /// The language to speak: the first of `uiLocales` (space-separated, OpenID Connect `ui_locales`, or the Logintoo
    /// `locale`/`language`) that is offered, then the best of `Accept-Language`, then English.
    public static func choose(uiLocales: String?, acceptLanguage: String?) -> String {
        for header in [uiLocales.map { $0.split(separator: " ").joined(separator: ",") }, acceptLanguage] {
            if let header, let match = AcceptLanguage(header).bestMatch(offered: languages, aliases: aliases) { return match }
        }
        return "en"
    }
}

/// The words of one language, for templates.
public struct Words: Sendable {
    public let language: String
    let translations: Translations

    public init(_ language: String, translations: Translations = .shared) {
        self.language = Translations.languages.contains(language) ? language : "en"
        self.translations = translations
    }

    public subscript(_ key: String, _ values: [String: String] = [:]) -> String {
        translations.text(key, in: language, values)
    }
}
