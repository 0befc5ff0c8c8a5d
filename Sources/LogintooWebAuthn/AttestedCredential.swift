/// The credential a registration creates, as the authenticator data carries it (WebAuthn §6.5.1).
public struct AttestedCredential: Sendable, Equatable {
    /// The authenticator model's AAGUID, 16 bytes (all zero under attestation `none`).
    public let aaguid: [UInt8]
    /// The credential ID, 1 to 1023 bytes.
    public let credentialId: [UInt8]
    /// The credential public key.
    public let publicKey: COSEKey
    /// The COSE key exactly as encoded: what is stored and later parsed again to check assertions.
    public let publicKeyBytes: [UInt8]

    public init(aaguid: [UInt8], credentialId: [UInt8], publicKey: COSEKey, publicKeyBytes: [UInt8]) {
        self.aaguid = aaguid
        self.credentialId = credentialId
        self.publicKey = publicKey
        self.publicKeyBytes = publicKeyBytes
    }

    /// WebAuthn §6.5.1: credential IDs are at most 1023 bytes.
    public static let credentialIdSizes = 1...1023
}
