import Crypto
import LogintooWebAuthn
import Testing

@Suite("Authenticator data")
struct AuthenticatorDataTests {
    @Test("flags, counter and the attested credential are read; the key's bytes are kept exactly as encoded")
    func fields() throws {
        var authenticator = SoftwareAuthenticator.es256()
        authenticator.keepsCounter = true
        authenticator.signCount = 0x0102_0303
        authenticator.backedUp = false
        let attestation = try CBOR.decodeWhole(try authenticator.makeCredential())
        guard case .bytes(let raw)? = attestation[.text("authData")] else { throw WebAuthnError.malformed("no authData") }
        let data = try AuthenticatorData.parse(raw)
        #expect(data.rpIdHash == Array(SHA256.hash(data: Array("login.example.com".utf8))))
        #expect(data.userPresent && data.userVerified && data.backupEligible && !data.backedUp)
        #expect(data.signCount == 0x0102_0304)
        #expect(data.attestedCredential?.credentialId == Array(0..<16))
        #expect(data.attestedCredential?.publicKeyBytes == CBOR.encode(try authenticator.coseKey()))
        #expect(data.raw == raw)
    }

    @Test("extensions after the credential are read as one map; anything after them is refused")
    func extensions() throws {
        let base = [UInt8](repeating: 0, count: 32) + [0x81, 0, 0, 0, 1]
        let extensions = CBOR.encode(.map([CBORMapEntry(key: .text("credProtect"), value: .unsigned(2))]))
        #expect(try AuthenticatorData.parse(base + extensions).signCount == 1)
        #expect(throws: WebAuthnError.self) { try AuthenticatorData.parse(base + extensions + [0]) }
        #expect(throws: WebAuthnError.self) { try AuthenticatorData.parse(base + [0x80]) }
        #expect(throws: WebAuthnError.self) { try AuthenticatorData.parse(base) }
    }

    @Test("short data, trailing bytes, BS without BE and impossible credential lengths are refused")
    func malformed() throws {
        let base = [UInt8](repeating: 0, count: 32)
        #expect(throws: WebAuthnError.self) { try AuthenticatorData.parse(base + [1, 0, 0, 0]) }
        #expect(throws: WebAuthnError.self) { try AuthenticatorData.parse(base + [1, 0, 0, 0, 0, 0]) }
        #expect(throws: WebAuthnError.self) { try AuthenticatorData.parse(base + [0x11, 0, 0, 0, 0]) }
        let attested = base + [0x41, 0, 0, 0, 0] + [UInt8](repeating: 0, count: 16)
        #expect(throws: WebAuthnError.self) { try AuthenticatorData.parse(attested + [0x00, 0x00]) }
        #expect(throws: WebAuthnError.self) { try AuthenticatorData.parse(attested + [0x04, 0x00] + [UInt8](repeating: 1, count: 1024)) }
        #expect(throws: WebAuthnError.self) { try AuthenticatorData.parse(attested + [0xFF, 0xFF, 1, 2]) }
        #expect(throws: WebAuthnError.self) { try AuthenticatorData.parse(attested + [0x00, 0x01, 0x07]) }
    }
}
