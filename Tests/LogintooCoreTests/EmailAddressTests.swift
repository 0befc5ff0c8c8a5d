import LogintooCore
import Testing

@Suite("Addresses are checked (docs/security.md, addresses are checked)")
struct EmailAddressTests {
    /// Each is a character a person cannot see, or that reorders what they see.
    static let invisible: [(name: String, scalar: Unicode.Scalar)] = [
        ("NUL", "\u{0000}"), ("zero-width space", "\u{200B}"), ("zero-width non-joiner", "\u{200C}"),
        ("zero-width joiner", "\u{200D}"), ("left-to-right mark", "\u{200E}"), ("right-to-left mark", "\u{200F}"),
        ("right-to-left embedding", "\u{202B}"), ("pop directional formatting", "\u{202C}"),
        ("right-to-left override", "\u{202E}"), ("left-to-right isolate", "\u{2066}"), ("first strong isolate", "\u{2068}"),
        ("pop directional isolate", "\u{2069}"), ("Arabic letter mark", "\u{061C}"), ("soft hyphen", "\u{00AD}"),
        ("word joiner", "\u{2060}"), ("byte order mark", "\u{FEFF}"), ("invisible separator", "\u{2063}"),
        ("Mongolian vowel separator", "\u{180E}"), ("Hangul filler", "\u{3164}"), ("variation selector 16", "\u{FE0F}"),
        ("combining grapheme joiner", "\u{034F}"), ("line separator", "\u{2028}"), ("escape", "\u{001B}"),
        ("delete", "\u{007F}"), ("tag space", "\u{E0020}"),
    ]

    @Test("an invisible or control character is refused anywhere in an address", arguments: invisible.map(\.name))
    func invisibleCharacters(name: String) throws {
        let scalar = try #require(Self.invisible.first { $0.name == name }?.scalar)
        for address in ["bo\(scalar)b@example.com", "\(scalar)bob@example.com", "bob@exa\(scalar)mple.com",
                        "bob@example.com\(scalar)", "bob\(scalar)@example.com", "bob@bü\(scalar)cher.de"] {
            #expect(throws: EmailAddress.Refusal.invisibleCharacter, "\(name) in \(address.debugDescription)") {
                try EmailAddress.parse(address)
            }
            #expect(EmailAddress(address) == nil)
        }
    }

    @Test("a local part outside ASCII is refused", arguments: ["bøb@example.com", "josé@example.com", "用户@例子.广告",
                                                              "ｂｏｂ@example.com", "bob\u{0301}@example.com"])
    func nonASCIILocalPart(address: String) {
        #expect(throws: EmailAddress.Refusal.nonASCIILocalPart) { try EmailAddress.parse(address) }
    }

    @Test("a Unicode domain is kept in A-label form, the local part lower-cased", arguments: [
        ("Bob@Bücher.de", "bob@xn--bcher-kva.de"), ("ana@münchen.de", "ana@xn--mnchen-3ya.de"), ("ken@例え.jp", "ken@xn--r8jz45g.jp"),
        ("ana@xn--bcher-kva.de", "ana@xn--bcher-kva.de"), ("  Alice@Example.COM ", "alice@example.com"),
        ("a.b+tag@sub.example.org", "a.b+tag@sub.example.org"),
    ])
    func accepted(address: String, value: String) throws {
        let parsed = try EmailAddress.parse(address)
        #expect(parsed.value == value)
        #expect(EmailAddress(address)?.value == value)
    }

    @Test("a Unicode domain with a disallowed character or label is unusable", arguments: [
        "bob@☃.net", "bob@bü_cher.de", "bob@-bücher.de", "bob@bücher-.de", "bob@\u{0301}bücher.de",
        "bob@" + String(repeating: "ü", count: 60) + ".de",
    ])
    func unusableDomain(address: String) {
        #expect(throws: EmailAddress.Refusal.unusableDomain) { try EmailAddress.parse(address) }
    }

    @Test("malformed addresses are refused as malformed", arguments: [
        "alice", "alice@", "@example.com", "a@b", "a@@b.com", "a b@c.com", "a@b..com", "a@b.com.", "a@-b.com", "bob@xn--abc.com",
        "a@b_c.com", String(repeating: "a", count: 65) + "@example.com",
    ])
    func malformed(address: String) {
        #expect(throws: EmailAddress.Refusal.malformed) { try EmailAddress.parse(address) }
    }

    @Test("empty text is refused as empty", arguments: ["", "   "])
    func empty(text: String) {
        #expect(throws: EmailAddress.Refusal.empty) { try EmailAddress.parse(text) }
    }

    @Test("the per-address key of an A-label address folds spellings of the Unicode domain together")
    func mailboxOfUnicodeDomain() throws {
        let typed = try EmailAddress.parse("Bob+news@BÜCHER.de")
        let plain = try EmailAddress.parse("bob@xn--bcher-kva.de")
        #expect(Mailbox.canonical(typed.value) == Mailbox.canonical(plain.value))
        #expect(typed.value == "bob+news@xn--bcher-kva.de")
    }
}
