import LogintooCore
import Testing

@Suite("Strict JSON for request bodies")
struct StrictJSONTests {
    @Test("documents parse to the values they spell")
    func valid() throws {
        let parsed = try StrictJSON.parse(Array(#" {"a": [1, -2.5e3, true, false, null], "b": "x\"\\\/\n\u00e9\ud83d\ude00", "c": {}} "#.utf8))
        #expect(parsed == .object(["a": .array([.number(1), .number(-2500), .bool(true), .bool(false), .null]),
                                   "b": .string("x\"\\/\n\u{e9}\u{1F600}"), "c": .object([:])]))
    }

    @Test("refused: duplicate names, deep nesting, bad UTF-8, and every syntax slip", arguments: [
        #"{"a": 1, "a": 2}"#, #"{"a": {"b": 1, "b": 1}}"#, String(repeating: "[", count: 40) + String(repeating: "]", count: 40),
        "", " ", "{", "}", "[1,]", "{\"a\":1,}", "01", "1.", "-", "1e", "+1", ".5", "\"\u{01}\"", "\"\\x\"", "\"\\u12\"",
        "\"\\ud800\"", "\"\\ud800\\u0041\"", "\"unterminated", "tru", "nul", "{\"a\" 1}", "{1: 2}", "[1] [2]", "NaN",
    ])
    func refused(text: String) {
        #expect(throws: StrictJSON.Failure.self) { try StrictJSON.parse(Array(text.utf8)) }
    }

    @Test("invalid UTF-8 is refused before parsing")
    func invalidUTF8() {
        #expect(throws: StrictJSON.Failure.invalidUTF8) { try StrictJSON.parse([0x22, 0xFF, 0xFE, 0x22]) }
        #expect(throws: StrictJSON.Failure.invalidUTF8) { try StrictJSON.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }
    }
}
