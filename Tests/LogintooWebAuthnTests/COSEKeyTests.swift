import LogintooWebAuthn
import Testing

@Suite("COSE keys")
struct COSEKeyTests {
    private func key(_ entries: [(Int64, CBORValue)]) -> CBORValue {
        .map(entries.map { CBORMapEntry(key: CBORValue(integer: $0.0), value: $0.1) })
    }

    private let x = CBORValue.bytes(Array(repeating: 1, count: 32))
    private let y = CBORValue.bytes(Array(repeating: 2, count: 32))

    @Test("each supported key type parses with its algorithm and material")
    func supportedKeys() throws {
        let es256 = try COSEKey.parse(key([(1, .unsigned(2)), (3, .negative(6)), (-1, .unsigned(1)), (-2, x), (-3, y)]))
        #expect(es256 == COSEKey(algorithm: .es256, kind: .ec2P256(x: Array(repeating: 1, count: 32), y: Array(repeating: 2, count: 32))))
        let edDSA = try COSEKey.parse(key([(1, .unsigned(1)), (3, .negative(7)), (-1, .unsigned(6)), (-2, x)]))
        #expect(edDSA.kind == .okpEd25519(x: Array(repeating: 1, count: 32)))
        let modulus = [0xC5] + [UInt8](repeating: 7, count: 255)
        let rs256 = try COSEKey.parse(key([(1, .unsigned(3)), (3, .negative(256)), (-1, .bytes(modulus)), (-2, .bytes([1, 0, 1]))]))
        #expect(rs256.kind == .rsa(n: modulus, e: [1, 0, 1]))
    }

    @Test("an algorithm outside ES256, EdDSA and RS256 is unsupported")
    func unsupportedAlgorithm() {
        #expect(throws: WebAuthnError.unsupportedAlgorithm) {
            try COSEKey.parse(key([(1, .unsigned(2)), (3, .negative(34)), (-1, .unsigned(2)), (-2, x), (-3, y)]))
        }
    }

    @Test("key type, algorithm and curve must agree, and every part must have its size")
    func disagreement() {
        let malformed: [CBORValue] = [
            key([(1, .unsigned(1)), (3, .negative(6)), (-1, .unsigned(1)), (-2, x), (-3, y)]),
            key([(1, .unsigned(2)), (3, .negative(6)), (-1, .unsigned(6)), (-2, x), (-3, y)]),
            key([(1, .unsigned(2)), (3, .negative(7)), (-1, .unsigned(6)), (-2, x)]),
            key([(1, .unsigned(1)), (3, .negative(7)), (-1, .unsigned(1)), (-2, x)]),
            key([(1, .unsigned(2)), (3, .negative(6)), (-1, .unsigned(1)), (-2, .bytes([1, 2, 3])), (-3, y)]),
            key([(1, .unsigned(2)), (3, .negative(6)), (-1, .unsigned(1)), (-2, x)]),
            key([(1, .unsigned(3)), (3, .negative(256)), (-1, .bytes(Array(repeating: 9, count: 128))), (-2, .bytes([1, 0, 1]))]),
            key([(1, .unsigned(3)), (3, .negative(256)), (-1, .bytes([0] + Array(repeating: 9, count: 256))), (-2, .bytes([1, 0, 1]))]),
            key([(3, .negative(6)), (-1, .unsigned(1)), (-2, x), (-3, y)]),
            key([(1, .unsigned(2)), (-1, .unsigned(1)), (-2, x), (-3, y)]),
            .array([.unsigned(1)]),
        ]
        for value in malformed {
            #expect(throws: WebAuthnError.self) { try COSEKey.parse(value) }
            #expect((try? COSEKey.parse(value)) == nil)
        }
    }

    @Test("bytes that are not exactly one CBOR item are not a key")
    func bytes() {
        let encoded = CBOR.encode(key([(1, .unsigned(1)), (3, .negative(7)), (-1, .unsigned(6)), (-2, x)]))
        #expect((try? COSEKey.parse(bytes: encoded)) != nil)
        #expect(throws: WebAuthnError.malformed("COSE key: CBOR input has bytes after the item")) { try COSEKey.parse(bytes: encoded + [0]) }
    }
}
