import LogintooCore
import Testing

@Suite("Accept-Language")
struct AcceptLanguageTests {
    @Test("ranges come best first; equal weights keep their order; q=0 and malformed items are dropped")
    func order() {
        #expect(AcceptLanguage("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5").ranges == ["fr-ch", "fr", "en", "de", "*"])
        #expect(AcceptLanguage("en;q=0.5, de, pt-BR;q=0.5, ja;q=0").ranges == ["de", "en", "pt-br"])
        #expect(AcceptLanguage("de;q=2, en;q=0.1234, es;x=1, tr;q=, ;q=1, 123, it").ranges == ["it"])
        #expect(AcceptLanguage("").ranges.isEmpty)
        #expect(AcceptLanguage(String(repeating: "de,", count: 500)).ranges.count == AcceptLanguage.maxRanges)
    }

    @Test("the best offered language: exact, then shorter prefixes, then * for the first offered")
    func matching() {
        let offered = ["en", "de", "pt", "zh-Hans"]
        #expect(AcceptLanguage("de-CH, en;q=0.5").bestMatch(offered: offered) == "de")
        #expect(AcceptLanguage("pt-BR").bestMatch(offered: offered) == "pt")
        #expect(AcceptLanguage("zh-Hans-CN, en;q=0.1").bestMatch(offered: offered) == "zh-Hans")
        #expect(AcceptLanguage("ko").bestMatch(offered: offered) == nil)
        #expect(AcceptLanguage("ko, *;q=0.1").bestMatch(offered: offered) == "en")
    }
}
