/// The language parameters of the Logintoo API: `language` is two letters (`de`), `locale` is `xx-XX` (`de-CH`).
public enum LanguageTag {
    public static func language(_ text: String) -> String? {
        text.utf8.count == 2 && text.allSatisfy(isLetter) ? text : nil
    }

    public static func locale(_ text: String) -> String? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.utf8.count == 2 && $0.allSatisfy(isLetter) }) else { return nil }
        return text
    }

    static func isLetter(_ character: Character) -> Bool {
        character.isASCII && character.isLetter
    }
}
