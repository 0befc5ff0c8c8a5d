/// The authenticator data (WebAuthn §6.1): what the authenticator signs about the relying party, the user's
/// gesture, the counter and, at registration, the new credential.
public struct AuthenticatorData: Sendable, Equatable {
    /// SHA-256 of the RP ID the authenticator scoped the credential to.
    public let rpIdHash: [UInt8]
    /// UP: a person was present.
    public let userPresent: Bool
    /// UV: the authenticator verified the person (PIN, biometrics).
    public let userVerified: Bool
    /// BE: the credential may be synced to other devices.
    public let backupEligible: Bool
    /// BS: the credential is currently backed up.
    public let backedUp: Bool
    /// The signature counter; zero when the authenticator keeps none.
    public let signCount: UInt32
    /// The new credential, when the AT flag is set.
    public let attestedCredential: AttestedCredential?
    /// The bytes as received, which assertions sign.
    public let raw: [UInt8]

    enum Flag {
        static let userPresent: UInt8 = 0x01, userVerified: UInt8 = 0x04
        static let backupEligible: UInt8 = 0x08, backedUp: UInt8 = 0x10
        static let attestedCredential: UInt8 = 0x40, extensions: UInt8 = 0x80
    }

    /// rpIdHash (32), flags (1), signCount (4).
    static let fixedSize = 37

    /// Reads authenticator data; the attested credential and extensions must account for every byte.
    public static func parse(_ bytes: [UInt8]) throws(WebAuthnError) -> AuthenticatorData {
        guard bytes.count >= fixedSize else { throw .malformed("authenticator data is shorter than 37 bytes") }
        guard bytes.count <= CBORLimits.webAuthn.maxBytes else { throw .malformed("authenticator data is too large") }
        let flags = bytes[32]
        let has = { (flag: UInt8) in flags & flag != 0 }
        guard has(Flag.backupEligible) || !has(Flag.backedUp) else {
            throw .malformed("authenticator data has BS set without BE")
        }
        var rest = bytes[fixedSize...]
        let attested = has(Flag.attestedCredential) ? try attestedCredential(from: &rest) : nil
        if has(Flag.extensions) {
            let decoded: (value: CBORValue, rest: ArraySlice<UInt8>)
            do { decoded = try CBOR.decode(rest) } catch { throw .malformed("authenticator extensions", error) }
            guard decoded.value.mapEntries != nil else { throw .malformed("authenticator extensions are not a map") }
            rest = decoded.rest
        }
        guard rest.isEmpty else { throw .malformed("authenticator data has trailing bytes") }
        return AuthenticatorData(
            rpIdHash: Array(bytes[0..<32]), userPresent: has(Flag.userPresent), userVerified: has(Flag.userVerified),
            backupEligible: has(Flag.backupEligible), backedUp: has(Flag.backedUp),
            signCount: bytes[33..<37].reduce(0) { $0 << 8 | UInt32($1) }, attestedCredential: attested, raw: bytes
        )
    }

    /// aaguid (16), credentialIdLength (2, big-endian), credentialId, credentialPublicKey (one CBOR item).
    private static func attestedCredential(from rest: inout ArraySlice<UInt8>) throws(WebAuthnError) -> AttestedCredential {
        guard rest.count >= 18 else { throw .malformed("attested credential data is truncated") }
        let start = rest.startIndex
        let aaguid = Array(rest[start..<start + 16])
        let idLength = Int(rest[start + 16]) << 8 | Int(rest[start + 17])
        guard AttestedCredential.credentialIdSizes.contains(idLength) else { throw .malformed("credential ID length out of range") }
        guard rest.count >= 18 + idLength else { throw .malformed("credential ID is truncated") }
        let credentialId = Array(rest[start + 18..<start + 18 + idLength])
        let keyStart = start + 18 + idLength
        let key: (value: CBORValue, rest: ArraySlice<UInt8>)
        do { key = try CBOR.decode(rest[keyStart...]) } catch { throw .malformed("credential public key", error) }
        let publicKey = try COSEKey.parse(key.value)
        let publicKeyBytes = Array(rest[keyStart..<key.rest.startIndex])
        rest = key.rest
        return AttestedCredential(aaguid: aaguid, credentialId: credentialId, publicKey: publicKey, publicKeyBytes: publicKeyBytes)
    }
}
