/// A credential public key in COSE form (RFC 9052/9053, RFC 8230), limited to the algorithms in `COSEAlgorithm`.
public struct COSEKey: Sendable, Equatable {
    public let algorithm: COSEAlgorithm
    public let kind: Kind

    /// The key material, by key type and curve.
    public enum Kind: Sendable, Equatable {
        /// COSE kty EC2, crv P-256: the 32-byte big-endian coordinates.
        case ec2P256(x: [UInt8], y: [UInt8])
        /// COSE kty OKP, crv Ed25519: the 32-byte public key.
        case okpEd25519(x: [UInt8])
        /// COSE kty RSA: the modulus and public exponent, big-endian without leading zeros.
        case rsa(n: [UInt8], e: [UInt8])
    }

    public init(algorithm: COSEAlgorithm, kind: Kind) {
        self.algorithm = algorithm
        self.kind = kind
    }

    /// The COSE labels this parser reads.
    enum Label {
        static let keyType: Int64 = 1, algorithm: Int64 = 3
        static let curve: Int64 = -1, x: Int64 = -2, y: Int64 = -3
        static let rsaModulus: Int64 = -1, rsaExponent: Int64 = -2
    }

    enum KeyType {
        static let okp: Int64 = 1, ec2: Int64 = 2, rsa: Int64 = 3
    }

    enum Curve {
        static let p256: Int64 = 1, ed25519: Int64 = 6
    }

    /// RSA moduli from 2048 to 4096 bits, the sizes authenticators use.
    static let rsaModulusSizes = 256...512

    /// Reads a decoded COSE key; the key type, algorithm and curve must agree, and every part must have its size.
    public static func parse(_ value: CBORValue) throws(WebAuthnError) -> COSEKey {
        guard value.mapEntries != nil else { throw .malformed("COSE key is not a map") }
        guard let algorithmNumber = value[CBORValue(integer: Label.algorithm)]?.integer else {
            throw .malformed("COSE key has no integer alg")
        }
        guard let number = Int(exactly: algorithmNumber), let algorithm = COSEAlgorithm(rawValue: number) else {
            throw .unsupportedAlgorithm
        }
        guard let keyType = value[CBORValue(integer: Label.keyType)]?.integer else { throw .malformed("COSE key has no integer kty") }
        switch algorithm {
        case .es256:
            guard keyType == KeyType.ec2, curve(of: value) == Curve.p256 else { throw .malformed("ES256 key is not EC2 on P-256") }
            let x = try bytes(of: value, label: Label.x, sizes: 32...32, name: "x")
            let y = try bytes(of: value, label: Label.y, sizes: 32...32, name: "y")
            return COSEKey(algorithm: algorithm, kind: .ec2P256(x: x, y: y))
        case .edDSA:
            guard keyType == KeyType.okp, curve(of: value) == Curve.ed25519 else { throw .malformed("EdDSA key is not OKP on Ed25519") }
            return COSEKey(algorithm: algorithm, kind: .okpEd25519(x: try bytes(of: value, label: Label.x, sizes: 32...32, name: "x")))
        case .rs256:
            guard keyType == KeyType.rsa else { throw .malformed("RS256 key is not an RSA key") }
            let n = try bytes(of: value, label: Label.rsaModulus, sizes: rsaModulusSizes, name: "n")
            let e = try bytes(of: value, label: Label.rsaExponent, sizes: 1...4, name: "e")
            guard n.first != 0, e.first != 0 else { throw .malformed("RSA key has leading zero bytes") }
            return COSEKey(algorithm: algorithm, kind: .rsa(n: n, e: e))
        }
    }

    /// Decodes and reads a COSE key encoded as exactly one CBOR item.
    public static func parse(bytes: [UInt8]) throws(WebAuthnError) -> COSEKey {
        let value: CBORValue
        do { value = try CBOR.decodeWhole(bytes) } catch { throw .malformed("COSE key", error) }
        return try parse(value)
    }

    private static func curve(of value: CBORValue) -> Int64? {
        value[CBORValue(integer: Label.curve)]?.integer
    }

    private static func bytes(
        of value: CBORValue, label: Int64, sizes: ClosedRange<Int>, name: String
    ) throws(WebAuthnError) -> [UInt8] {
        guard case .bytes(let bytes)? = value[CBORValue(integer: label)], sizes.contains(bytes.count) else {
            throw .malformed("COSE key \(name) is missing or has the wrong size")
        }
        return bytes
    }
}
