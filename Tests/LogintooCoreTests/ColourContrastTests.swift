import LogintooCore
import Testing

@Suite("WCAG contrast of colours")
struct ColourContrastTests {
    @Test("ratios match WCAG's: black on white 21, the standard accent on white 6.2, yellow on white 1.1")
    func ratios() throws {
        #expect(try #require(ColourContrast.ratio("#000000", "#ffffff")) == 21)
        #expect(abs(try #require(ColourContrast.ratio("#2457d6", "#ffffff")) - 6.16) < 0.01)
        #expect(try #require(ColourContrast.ratio("#ffff00", "#ffffff")) < 1.1)
        #expect(ColourContrast.ratio("#ffffff", "#ffffff") == 1)
        #expect(ColourContrast.ratio("red", "#ffffff") == nil && ColourContrast.ratio("#12345g", "#ffffff") == nil)
    }

    @Test("an accent colour white text cannot be read on is refused; a dark one is kept")
    func accent() {
        #expect(throws: ClientRegistrationError.self) { try ClientSettings(accentColor: "#ffdd00").validate() }
        #expect(throws: ClientRegistrationError.self) { try ClientSettings(accentColor: "#6fa8ff").validate() }
        #expect(throws: Never.self) { try ClientSettings(accentColor: "#aa3300").validate() }
    }
}
