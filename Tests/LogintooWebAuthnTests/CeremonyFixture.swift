import LogintooWebAuthn

/// A relying party, a browser and an authenticator set up for one ceremony; a test changes one thing and runs it.
struct CeremonyFixture {
    var authenticator: SoftwareAuthenticator
    var browser = SoftwareBrowser()
    var relyingParty = RelyingParty(id: "login.example.com", origins: ["https://login.example.com", "https://example.com"])
    var challenge: [UInt8] = Array(repeating: 0x5A, count: 32)
    var userVerificationRequired = true
    var algorithms = COSEAlgorithm.allCases

    init(_ authenticator: SoftwareAuthenticator = .es256()) {
        self.authenticator = authenticator
    }

    /// The browser and authenticator create a credential for `challenge`; the server checks it against `expected`.
    mutating func register(expected: [UInt8]? = nil) throws -> VerifiedRegistration {
        let response = try browser.create(challenge: challenge, with: &authenticator)
        return try WebAuthnCeremony.verifyRegistration(
            response,
            expecting: RegistrationExpectation(
                challenge: expected ?? challenge, relyingParty: relyingParty,
                userVerificationRequired: userVerificationRequired, algorithms: algorithms
            )
        )
    }

    /// A sign-in with the credential whose key is `publicKeyBytes` (the authenticator's own by default).
    mutating func signIn(storedSignCount: UInt32 = 0, publicKeyBytes: [UInt8]? = nil) throws -> VerifiedAssertion {
        let response = try browser.get(challenge: challenge, with: &authenticator)
        return try WebAuthnCeremony.verifyAssertion(response, expecting: try expectation(storedSignCount, publicKeyBytes))
    }

    func expectation(_ storedSignCount: UInt32 = 0, _ publicKeyBytes: [UInt8]? = nil) throws -> AssertionExpectation {
        AssertionExpectation(
            challenge: challenge, relyingParty: relyingParty, userVerificationRequired: userVerificationRequired,
            publicKeyBytes: try publicKeyBytes ?? CBOR.encode(authenticator.coseKey()), storedSignCount: storedSignCount
        )
    }
}
