/// What the browser returns from `navigator.credentials.create()`.
public struct RegistrationResponse: Sendable {
    /// `response.clientDataJSON`, the bytes as sent.
    public var clientDataJSON: [UInt8]
    /// `response.attestationObject`, CBOR.
    public var attestationObject: [UInt8]
    /// The transports the browser reported (`internal`, `hybrid`, `usb`, …), kept as hints for later sign-ins.
    public var transports: [String]

    public init(clientDataJSON: [UInt8], attestationObject: [UInt8], transports: [String]) {
        self.clientDataJSON = clientDataJSON
        self.attestationObject = attestationObject
        self.transports = transports
    }
}

/// What the server asked for when it started a registration.
public struct RegistrationExpectation: Sendable {
    /// The challenge it issued.
    public var challenge: [UInt8]
    /// The relying party the credential is created for.
    public var relyingParty: RelyingParty
    /// Whether user verification must have been done.
    public var userVerificationRequired: Bool
    /// The algorithms it offered in `pubKeyCredParams`.
    public var algorithms: [COSEAlgorithm]

    public init(challenge: [UInt8], relyingParty: RelyingParty, userVerificationRequired: Bool, algorithms: [COSEAlgorithm]) {
        self.challenge = challenge
        self.relyingParty = relyingParty
        self.userVerificationRequired = userVerificationRequired
        self.algorithms = algorithms
    }
}

/// A registration that passed every check: the credential to store.
public struct VerifiedRegistration: Sendable, Equatable {
    /// The credential ID, by which later sign-ins name the credential.
    public let credentialId: [UInt8]
    /// The COSE public key exactly as the authenticator encoded it.
    public let publicKeyBytes: [UInt8]
    /// The credential's signature algorithm.
    public let algorithm: COSEAlgorithm
    /// The signature counter at creation, the baseline for the first sign-in.
    public let signCount: UInt32
    /// Whether the authenticator verified the person.
    public let userVerified: Bool
    /// Whether the credential may sync to other devices (a multi-device passkey).
    public let backupEligible: Bool
    /// Whether the credential is backed up now.
    public let backedUp: Bool
    /// The authenticator model's AAGUID, unverified (attestation `none`): a hint for naming the passkey only.
    public let aaguid: [UInt8]

    public init(
        credentialId: [UInt8], publicKeyBytes: [UInt8], algorithm: COSEAlgorithm, signCount: UInt32,
        userVerified: Bool, backupEligible: Bool, backedUp: Bool, aaguid: [UInt8]
    ) {
        self.credentialId = credentialId
        self.publicKeyBytes = publicKeyBytes
        self.algorithm = algorithm
        self.signCount = signCount
        self.userVerified = userVerified
        self.backupEligible = backupEligible
        self.backedUp = backedUp
        self.aaguid = aaguid
    }
}
