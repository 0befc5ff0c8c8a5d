/// What the browser returns from `navigator.credentials.get()`.
public struct AssertionResponse: Sendable {
    /// The credential that signed; the caller looks up its stored key by this ID.
    public var credentialId: [UInt8]
    /// `response.clientDataJSON`, the bytes as sent.
    public var clientDataJSON: [UInt8]
    /// `response.authenticatorData`, the bytes as sent.
    public var authenticatorData: [UInt8]
    /// `response.signature`: DER for ES256, raw for EdDSA and RS256.
    public var signature: [UInt8]
    /// The user handle a discoverable credential returns; the caller checks it names the credential's account.
    public var userHandle: [UInt8]?

    public init(credentialId: [UInt8], clientDataJSON: [UInt8], authenticatorData: [UInt8], signature: [UInt8], userHandle: [UInt8]?) {
        self.credentialId = credentialId
        self.clientDataJSON = clientDataJSON
        self.authenticatorData = authenticatorData
        self.signature = signature
        self.userHandle = userHandle
    }
}

/// What the server knows when it checks an assertion: the challenge it issued and the stored credential.
public struct AssertionExpectation: Sendable {
    /// The challenge the server issued for this sign-in.
    public var challenge: [UInt8]
    /// The relying party the credential belongs to.
    public var relyingParty: RelyingParty
    /// Whether user verification must have been done.
    public var userVerificationRequired: Bool
    /// The COSE key stored at registration.
    public var publicKeyBytes: [UInt8]
    /// The signature counter stored after the last sign-in.
    public var storedSignCount: UInt32

    public init(
        challenge: [UInt8], relyingParty: RelyingParty, userVerificationRequired: Bool, publicKeyBytes: [UInt8],
        storedSignCount: UInt32
    ) {
        self.challenge = challenge
        self.relyingParty = relyingParty
        self.userVerificationRequired = userVerificationRequired
        self.publicKeyBytes = publicKeyBytes
        self.storedSignCount = storedSignCount
    }
}

/// An assertion that passed every check.
public struct VerifiedAssertion: Sendable, Equatable {
    /// The new counter, to store.
    public let signCount: UInt32
    /// Whether the authenticator verified the person (`amr` gains `user`).
    public let userVerified: Bool
    /// Whether the credential is backed up now.
    public let backedUp: Bool
    /// The counter did not grow although the authenticator keeps one: a sign of a cloned authenticator, for the
    /// caller to audit (WebAuthn §6.1.1 leaves the decision to the relying party; synced passkeys may do this).
    public let counterWentBackwards: Bool

    public init(signCount: UInt32, userVerified: Bool, backedUp: Bool, counterWentBackwards: Bool) {
        self.signCount = signCount
        self.userVerified = userVerified
        self.backedUp = backedUp
        self.counterWentBackwards = counterWentBackwards
    }
}
