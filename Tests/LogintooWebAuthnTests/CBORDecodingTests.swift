import LogintooWebAuthn
import Testing

@Suite("CBOR decoding")
struct CBORDecodingTests {
    @Test("every kind WebAuthn uses decodes, and the canonical encoding decodes back to the same value")
    func roundTrip() throws {
        let value = CBORValue.map([
            CBORMapEntry(key: .unsigned(1), value: .array([.unsigned(0), .unsigned(23), .unsigned(24), .unsigned(UInt64.max)])),
            CBORMapEntry(key: .negative(0), value: .array([.negative(255), .negative(65536), .negative(UInt64.max)])),
            CBORMapEntry(key: .text("bytes"), value: .bytes(Array(0..<200))),
            CBORMapEntry(key: .text("ünïcode ✓"), value: .text(String(repeating: "x", count: 300))),
            CBORMapEntry(key: .text("simple"), value: .array([.bool(true), .bool(false), .null])),
        ])
        let encoded = CBOR.encode(value)
        #expect(try CBOR.decodeWhole(encoded) == value)
        #expect(Array(encoded.prefix(3)) == [0xA5, 0x01, 0x84])
    }

    @Test("RFC 8949 Appendix A examples decode to their values")
    func appendixA() throws {
        #expect(try CBOR.decodeWhole([0x1B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]) == .unsigned(UInt64.max))
        #expect(try CBOR.decodeWhole([0x38, 0x63]) == .negative(99))
        #expect(try CBOR.decodeWhole([0x39, 0x03, 0xE7]).integer == -1000)
        #expect(try CBOR.decodeWhole([0x64, 0x49, 0x45, 0x54, 0x46]) == .text("IETF"))
        #expect(try CBOR.decodeWhole([0x82, 0x01, 0x82, 0x02, 0x03]) == .array([.unsigned(1), .array([.unsigned(2), .unsigned(3)])]))
        #expect(try CBOR.decodeWhole([0xA2, 0x61, 0x61, 0x01, 0x61, 0x62, 0x02])[.text("b")] == .unsigned(2))
    }

    @Test("integers in a longer form than needed are accepted: real authenticators are canonical, refusing buys nothing")
    func nonShortestIntegers() throws {
        #expect(try CBOR.decodeWhole([0x18, 0x01]) == .unsigned(1))
        #expect(try CBOR.decodeWhole([0x3B, 0, 0, 0, 0, 0, 0, 0, 0x06]) == .negative(6))
        #expect(try CBOR.decodeWhole([0x59, 0x00, 0x01, 0xAB]) == .bytes([0xAB]))
    }

    @Test("decode returns the bytes after the first item; decodeWhole refuses them")
    func rest() throws {
        let input: [UInt8] = [0x01, 0x02, 0x03]
        let (value, rest) = try CBOR.decode(input[...])
        #expect(value == .unsigned(1))
        #expect(Array(rest) == [0x02, 0x03])
        #expect(throws: CBORError.trailingBytes) { try CBOR.decodeWhole(input) }
    }

    @Test("indefinite lengths are refused: strings, arrays, maps and the break code")
    func indefiniteLength() {
        for input: [UInt8] in [[0x5F, 0x41, 0x00, 0xFF], [0x7F, 0x61, 0x61, 0xFF], [0x9F, 0x01, 0xFF], [0xBF, 0x01, 0x02, 0xFF], [0xFF]] {
            #expect(throws: CBORError.indefiniteLength) { try CBOR.decodeWhole(input) }
        }
    }

    @Test("a map with the same key twice is refused, however the key is spelled")
    func duplicateKey() {
        #expect(throws: CBORError.duplicateMapKey) { try CBOR.decodeWhole([0xA2, 0x01, 0x02, 0x01, 0x03]) }
        #expect(throws: CBORError.duplicateMapKey) { try CBOR.decodeWhole([0xA2, 0x01, 0x02, 0x18, 0x01, 0x03]) }
        #expect(throws: CBORError.duplicateMapKey) { try CBOR.decodeWhole([0xA2, 0x61, 0x61, 0x01, 0x61, 0x61, 0x02]) }
    }

    @Test("map keys other than integers and text strings are refused")
    func mapKeyKinds() {
        #expect(throws: CBORError.unsupportedMapKey) { try CBOR.decodeWhole([0xA1, 0x41, 0x00, 0x01]) }
        #expect(throws: CBORError.unsupportedMapKey) { try CBOR.decodeWhole([0xA1, 0x80, 0x01]) }
        #expect(throws: CBORError.unsupportedMapKey) { try CBOR.decodeWhole([0xA1, 0xF6, 0x01]) }
    }

    @Test("tags are refused")
    func tags() {
        #expect(throws: CBORError.tag) { try CBOR.decodeWhole([0xC1, 0x1A, 0x51, 0x4B, 0x67, 0xB0]) }
        #expect(throws: CBORError.tag) { try CBOR.decodeWhole([0xD8, 0x18, 0x41, 0x00]) }
    }

    @Test("floats, undefined and unassigned simple values are refused")
    func simpleValues() {
        let inputs: [[UInt8]] = [
            [0xF9, 0x3C, 0x00], [0xFA, 0x47, 0xC3, 0x50, 0x00], [0xFB, 0x3F, 0xF1, 0x99, 0x99, 0x99, 0x99, 0x99, 0x9A],
            [0xF7], [0xF0], [0xF8, 0xFF],
        ]
        for input in inputs {
            #expect(throws: CBORError.unsupportedSimpleValue) { try CBOR.decodeWhole(input) }
        }
        #expect(throws: CBORError.reservedAdditionalInfo) { try CBOR.decodeWhole([0x1C]) }
        #expect(throws: CBORError.reservedAdditionalInfo) { try CBOR.decodeWhole([0xFD]) }
    }

    @Test("text that is not UTF-8 is refused")
    func invalidUTF8() {
        #expect(throws: CBORError.invalidUTF8) { try CBOR.decodeWhole([0x62, 0xC3, 0x28]) }
        #expect(throws: CBORError.invalidUTF8) { try CBOR.decodeWhole([0x63, 0xED, 0xA0, 0x80]) }
    }

    @Test("nesting deeper than the limit is refused; at the limit it decodes")
    func depth() throws {
        let limit = CBORLimits.webAuthn.maxDepth
        let atLimit = [UInt8](repeating: 0x81, count: limit - 1) + [0x00]
        #expect(throws: Never.self) { try CBOR.decodeWhole(atLimit) }
        #expect(throws: CBORError.tooDeep) { try CBOR.decodeWhole([0x81] + atLimit) }
        #expect(throws: CBORError.tooDeep) { try CBOR.decodeWhole([UInt8](repeating: 0xA1, count: 10_000)) }
    }

    @Test("more items than the limit, or more bytes, are refused")
    func sizeLimits() {
        let manyItems = [0x99, 0x10, 0x00] + [UInt8](repeating: 0x00, count: 4096)
        #expect(throws: CBORError.tooManyItems) { try CBOR.decodeWhole(manyItems) }
        let tooLarge = [0x5A, 0x00, 0x01, 0x00, 0x00] + [UInt8](repeating: 0, count: 65536)
        #expect(throws: CBORError.tooLarge) { try CBOR.decodeWhole(tooLarge) }
        let small = CBORLimits(maxDepth: 2, maxItems: 3, maxBytes: 8)
        #expect(throws: CBORError.tooManyItems) { try CBOR.decode([0x83, 0x01, 0x02, 0x03][...], limits: small) }
    }

    @Test("input that ends inside an item is refused, wherever it ends")
    func truncated() {
        let whole = CBOR.encode(.map([CBORMapEntry(key: .text("k"), value: .array([.bytes([1, 2, 3]), .unsigned(70000)]))]))
        for length in 0..<whole.count {
            #expect(throws: CBORError.truncated) { try CBOR.decodeWhole(Array(whole.prefix(length))) }
        }
    }

    @Test("huge length and count claims are refused before anything is allocated")
    func hugeLengths() {
        let claims: [[UInt8]] = [
            [0x5B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF], [0x7B, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x61],
            [0x9B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00], [0xBB, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x02],
            [0x5A, 0xFF, 0xFF, 0xFF, 0xFF, 0x00],
        ]
        for input in claims {
            #expect(throws: CBORError.truncated) { try CBOR.decodeWhole(input) }
        }
    }
}
