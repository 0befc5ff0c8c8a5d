@testable import LogintooCore
import Testing

@Suite("Domains in A-label form (UTS #46, nontransitional)")
struct InternationalDomainTests {
    @Test("a Unicode domain becomes its A-label form", arguments: [
        ("bücher.de", "xn--bcher-kva.de"),
        ("münchen.de", "xn--mnchen-3ya.de"),
        ("例え.jp", "xn--r8jz45g.jp"),
        ("BÜCHER.DE", "xn--bcher-kva.de"),
        ("ｂüｃｈｅｒ．ｄｅ", "xn--bcher-kva.de"),
        ("example。com", "example.com"),
        ("ﬁnance.com", "finance.com"),
        ("пример.рф", "xn--e1afmkfd.xn--p1ai"),
        ("παράδειγμα.δοκιμή", "xn--hxajbheg2az3al.xn--jxalpdlp"),
        ("İstanbul.tr", "xn--istanbul-o0e.tr"),
        ("ǅ.com", "xn--d-toa.com"),
    ])
    func converts(domain: String, aLabel: String) throws {
        #expect(try InternationalDomain.toASCII(domain) == aLabel)
    }

    @Test("nontransitional: ß and ς stay themselves, and every capital Σ becomes σ", arguments: [
        ("faß.de", "xn--fa-hia.de"), ("straße.example", "xn--strae-oqa.example"), ("σόλος.gr", "xn--wxaijb9b.gr"),
        ("ΣΌΛΟΣ.gr", "xn--wxaikc6b.gr"),
    ])
    func nontransitional(domain: String, aLabel: String) throws {
        #expect(try InternationalDomain.toASCII(domain) == aLabel)
    }

    @Test("an A-label typed as such stays, in lower case", arguments: ["xn--bcher-kva.de", "XN--BCHER-KVA.DE", "xn--Bcher-kva.de"])
    func typedALabel(domain: String) throws {
        #expect(try InternationalDomain.toASCII(domain) == "xn--bcher-kva.de")
    }

    @Test("disallowed code points are refused", arguments: ["a\u{2044}b.com", "☃.net", "a_b.com", "a!b.com", "\u{E000}.com"])
    func disallowed(domain: String) {
        #expect(throws: InternationalDomain.Refusal.self) { try InternationalDomain.toASCII(domain) }
    }

    @Test("malformed labels are refused", arguments: [
        "ab--c.com", "-ab.com", "ab-.com", "xn--abc.com", "xn--.com", "xn--bcher-kva9.de", "\u{0301}a.com", "a..com", "a.com.",
        "xn--ab-.com", "xn--e1afmkfd-.com",
    ])
    func malformed(domain: String) {
        #expect(throws: InternationalDomain.Refusal.self) { try InternationalDomain.toASCII(domain) }
    }

    @Test("a label is at most 63 bytes and a name at most 253, counted in ASCII")
    func lengths() throws {
        let label63 = String(repeating: "a", count: 63)
        #expect(try InternationalDomain.toASCII(label63 + ".com") == label63 + ".com")
        #expect(throws: InternationalDomain.Refusal.tooLong) { try InternationalDomain.toASCII(label63 + "a.com") }
        // 57 letters and one ü are 58 characters, but 65 bytes as an A-label (`xn--`, the letters, `-`, three digits).
        #expect(throws: InternationalDomain.Refusal.tooLong) {
            try InternationalDomain.toASCII(String(repeating: "a", count: 57) + "ü.com")
        }
        let name253 = Array(repeating: label63, count: 3).joined(separator: ".") + "." + String(repeating: "b", count: 61)
        #expect(name253.utf8.count == 253)
        #expect(try InternationalDomain.toASCII(name253) == name253)
        #expect(throws: InternationalDomain.Refusal.tooLong) { try InternationalDomain.toASCII(name253 + "b") }
    }

    @Test("an address's former Unicode spelling is its domain's A-labels decoded; an ASCII domain has none")
    func formerSpelling() {
        #expect(InternationalDomain.unicodeForm(ofAddress: "bob@xn--bcher-kva.de") == "bob@bücher.de")
        #expect(InternationalDomain.unicodeForm(ofAddress: "bob@mail.xn--r8jz45g.jp") == "bob@mail.例え.jp")
        #expect(InternationalDomain.unicodeForm(ofAddress: "bob@example.com") == nil)
    }
}
