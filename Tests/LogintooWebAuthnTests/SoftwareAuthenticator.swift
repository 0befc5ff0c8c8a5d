import Crypto
import Foundation
import LogintooWebAuthn
import _CryptoExtras

/// An authenticator in software, writing attestation objects and assertions byte for byte as CTAP2 authenticators
/// do: canonical CBOR, COSE keys with their labels in canonical order, DER ECDSA signatures.
struct SoftwareAuthenticator {
    enum SigningKey {
        case p256(P256.Signing.PrivateKey)
        case ed25519(Curve25519.Signing.PrivateKey)
        case rsa(_RSA.Signing.PrivateKey)
    }

    let key: SigningKey
    var rpId = "login.example.com"
    var credentialId: [UInt8] = Array(0..<16)
    var aaguid = [UInt8](repeating: 0, count: 16)
    var userPresent = true
    var userVerified = true
    var backupEligible = true
    var backedUp = true
    /// Passkeys that sync keep no counter; device-bound keys count every signature.
    var keepsCounter = false
    var signCount: UInt32 = 0

    static func es256() -> SoftwareAuthenticator { SoftwareAuthenticator(key: .p256(P256.Signing.PrivateKey())) }
    static func edDSA() -> SoftwareAuthenticator { SoftwareAuthenticator(key: .ed25519(Curve25519.Signing.PrivateKey())) }
    /// RSA key generation is slow; one key serves the whole run.
    static func rs256() -> SoftwareAuthenticator { SoftwareAuthenticator(key: .rsa(sharedRSAKey)) }
    private static let sharedRSAKey: _RSA.Signing.PrivateKey = {
        do { return try _RSA.Signing.PrivateKey(keySize: .bits2048) } catch { fatalError("RSA key generation failed: \(error)") }
    }()

    /// The credential public key as a COSE map, labels in CTAP2 canonical order (1, 3, -1, -2, -3).
    func coseKey() throws -> CBORValue {
        func entry(_ label: Int64, _ value: CBORValue) -> CBORMapEntry { CBORMapEntry(key: CBORValue(integer: label), value: value) }
        switch key {
        case .p256(let privateKey):
            let raw = Array(privateKey.publicKey.rawRepresentation)
            return .map([
                entry(1, CBORValue(integer: 2)), entry(3, CBORValue(integer: -7)), entry(-1, CBORValue(integer: 1)),
                entry(-2, .bytes(Array(raw[0..<32]))), entry(-3, .bytes(Array(raw[32..<64]))),
            ])
        case .ed25519(let privateKey):
            return .map([
                entry(1, CBORValue(integer: 1)), entry(3, CBORValue(integer: -8)), entry(-1, CBORValue(integer: 6)),
                entry(-2, .bytes(Array(privateKey.publicKey.rawRepresentation))),
            ])
        case .rsa(let privateKey):
            let primitives = try privateKey.publicKey.getKeyPrimitives()
            return .map([
                entry(1, CBORValue(integer: 3)), entry(3, CBORValue(integer: -257)),
                entry(-1, .bytes(Array(primitives.modulus))), entry(-2, .bytes(Array(primitives.publicExponent))),
            ])
        }
    }

    /// authenticatorMakeCredential: authenticator data with the attested credential, in an attestation object of
    /// format `none`.
    mutating func makeCredential() throws -> [UInt8] {
        countSignature()
        let credential = aaguid + [UInt8(credentialId.count >> 8), UInt8(credentialId.count & 0xFF)] + credentialId + CBOR.encode(try coseKey())
        let authenticatorData = authenticatorData(attestedCredentialFlag: true) + credential
        return CBOR.encode(.map([
            CBORMapEntry(key: .text("fmt"), value: .text("none")),
            CBORMapEntry(key: .text("attStmt"), value: .map([])),
            CBORMapEntry(key: .text("authData"), value: .bytes(authenticatorData)),
        ]))
    }

    /// authenticatorGetAssertion: the authenticator data and its signature over it and the client data hash.
    mutating func getAssertion(clientDataHash: [UInt8]) throws -> (authenticatorData: [UInt8], signature: [UInt8]) {
        countSignature()
        let authenticatorData = authenticatorData(attestedCredentialFlag: false)
        return (authenticatorData, try sign(authenticatorData + clientDataHash))
    }

    func sign(_ message: [UInt8]) throws -> [UInt8] {
        switch key {
        case .p256(let privateKey): return Array(try privateKey.signature(for: message).derRepresentation)
        case .ed25519(let privateKey): return Array(try privateKey.signature(for: message))
        case .rsa(let privateKey):
            return Array(try privateKey.signature(for: SHA256.hash(data: message), padding: .insecurePKCS1v1_5).rawRepresentation)
        }
    }

    private mutating func countSignature() {
        if keepsCounter { signCount += 1 }
    }

    private func authenticatorData(attestedCredentialFlag: Bool) -> [UInt8] {
        var flags: UInt8 = 0
        if userPresent { flags |= 0x01 }
        if userVerified { flags |= 0x04 }
        if backupEligible { flags |= 0x08 }
        if backedUp { flags |= 0x10 }
        if attestedCredentialFlag { flags |= 0x40 }
        let counter = (0..<4).map { UInt8(truncatingIfNeeded: signCount >> (24 - 8 * $0)) }
        return Array(SHA256.hash(data: Array(rpId.utf8))) + [flags] + counter
    }
}
