import Crypto
import _CryptoExtras

extension COSEKey {
    /// Whether `signature` is this key's signature over `data` with its algorithm. ES256 signatures are DER-encoded,
    /// as WebAuthn specifies (§6.5.6), not the raw r‖s of JOSE.
    public func verify(signature: [UInt8], over data: [UInt8]) -> Bool {
        switch kind {
        case .ec2P256(let x, let y):
            guard let key = try? P256.Signing.PublicKey(rawRepresentation: x + y),
                  let ecdsa = try? P256.Signing.ECDSASignature(derRepresentation: signature)
            else { return false }
            return key.isValidSignature(ecdsa, for: SHA256.hash(data: data))
        case .okpEd25519(let x):
            guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: x) else { return false }
            return key.isValidSignature(signature, for: data)
        case .rsa(let n, let e):
            guard let key = try? _RSA.Signing.PublicKey(n: n, e: e) else { return false }
            return key.isValidSignature(
                _RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5
            )
        }
    }

    /// Whether the key material is a usable key (a point on the curve, an RSA modulus the library accepts), so that a
    /// registration never stores a key no assertion could ever verify with.
    public var isUsable: Bool {
        switch kind {
        case .ec2P256(let x, let y): return (try? P256.Signing.PublicKey(rawRepresentation: x + y)) != nil
        case .okpEd25519(let x): return (try? Curve25519.Signing.PublicKey(rawRepresentation: x)) != nil
        case .rsa(let n, let e): return (try? _RSA.Signing.PublicKey(n: n, e: e)) != nil
        }
    }
}
