import LogintooCore
import Testing

@Suite("form and query decoding")
struct URLQueryTests {
    func decoded(_ bytes: [UInt8]) -> [[String]]? {
        bytes.withUnsafeBytes { URLQuery.decode(utf8: $0) }?.map { [$0.0, $0.1] }
    }

    @Test("pairs keep their order and repeats; escapes, plus signs, empty and missing values decode")
    func pairs() {
        let text = "grant_type=refresh_token&scope=openid+email&redirect_uri=https%3A%2F%2Fsite.example%2Fcb%3Fa%3D1"
            + "&e=&flag&&name=%C3%A9t%C3%A9&raw=été&scope=again&eq=a=b"
        let expected = [["grant_type", "refresh_token"], ["scope", "openid email"], ["redirect_uri", "https://site.example/cb?a=1"],
                        ["e", ""], ["flag", ""], ["name", "été"], ["raw", "été"], ["scope", "again"], ["eq", "a=b"]]
        #expect(decoded(Array(text.utf8)) == expected)
        #expect(URLQuery.decode(Substring(text))?.map { [$0.0, $0.1] } == expected)
        #expect(decoded([]) == [])
    }

    @Test("broken escapes and bytes that are not UTF-8 make the whole form malformed")
    func malformed() {
        for text in ["a=%ZZ", "a=%4", "a=%", "%=b", "a=%FF", "a=%C3", "ok=1&a=%E2%82"] {
            #expect(decoded(Array(text.utf8)) == nil, "\(text)")
        }
        #expect(decoded(Array("a=".utf8) + [0xFF]) == nil)
        #expect(decoded([0xC3] + Array("=b".utf8)) == nil)
    }

    @Test("the separators are bytes: a combining mark after one does not hide it")
    func separatorsAreBytes() {
        #expect(decoded(Array("a=1&\u{301}b=2".utf8)) == [["a", "1"], ["\u{301}b", "2"]])
        #expect(URLQuery.unescape("x%20y+z") == "x y z")
    }
}
