import LogintooWebAuthn
import Testing

@Suite("Registration checks (WebAuthn §7.1)")
struct RegistrationCheckTests {
    @Test("a browser and authenticator's registration verifies for each algorithm", arguments: ["es256", "edDSA", "rs256"])
    func eachAlgorithm(name: String) throws {
        let authenticator: SoftwareAuthenticator = name == "es256" ? .es256() : name == "edDSA" ? .edDSA() : .rs256()
        var fixture = CeremonyFixture(authenticator)
        let verified = try fixture.register()
        #expect(verified.algorithm.rawValue == ["es256": -7, "edDSA": -8, "rs256": -257][name])
        #expect(verified.publicKeyBytes == CBOR.encode(try authenticator.coseKey()))
        #expect(verified.credentialId == authenticator.credentialId)
        #expect(verified.backupEligible && verified.backedUp && verified.userVerified)
        #expect(try fixture.signIn().userVerified)
    }

    @Test("the client data type must be webauthn.create")
    func wrongType() {
        var fixture = CeremonyFixture()
        fixture.browser.typeOverride = "webauthn.get"
        #expect(throws: WebAuthnError.wrongType) { try fixture.register() }
    }

    @Test("the challenge must be the one issued")
    func challenge() {
        var fixture = CeremonyFixture()
        #expect(throws: WebAuthnError.challengeMismatch) { try fixture.register(expected: Array(repeating: 0x5B, count: 32)) }
        #expect(throws: WebAuthnError.challengeMismatch) { try fixture.register(expected: Array(repeating: 0x5A, count: 31)) }
    }

    @Test("the origin must be one of the relying party's, exactly")
    func origin() {
        for origin in ["https://evil.example", "https://login.example.com:8443", "http://login.example.com", "https://login.example.com/"] {
            var fixture = CeremonyFixture()
            fixture.browser.origin = origin
            #expect(throws: WebAuthnError.originMismatch) { try fixture.register() }
        }
    }

    @Test("a ceremony in a cross-origin frame is refused")
    func crossOrigin() {
        var fixture = CeremonyFixture()
        fixture.browser.crossOrigin = true
        fixture.browser.topOrigin = "https://evil.example"
        #expect(throws: WebAuthnError.crossOrigin) { try fixture.register() }
        fixture.browser.crossOrigin = nil
        #expect(throws: WebAuthnError.crossOrigin) { try fixture.register() }
    }

    @Test("the authenticator data must be for the relying party's ID")
    func rpId() {
        var fixture = CeremonyFixture()
        fixture.authenticator.rpId = "example.com"
        #expect(throws: WebAuthnError.rpIdMismatch) { try fixture.register() }
    }

    @Test("user presence is required")
    func userPresence() {
        var fixture = CeremonyFixture()
        fixture.authenticator.userPresent = false
        #expect(throws: WebAuthnError.userNotPresent) { try fixture.register() }
    }

    @Test("user verification is required when asked for, and only then")
    func userVerification() throws {
        var fixture = CeremonyFixture()
        fixture.authenticator.userVerified = false
        #expect(throws: WebAuthnError.userNotVerified) { try fixture.register() }
        fixture.userVerificationRequired = false
        #expect(try fixture.register().userVerified == false)
    }

    @Test("the credential's algorithm must be one the relying party offered")
    func algorithm() {
        var fixture = CeremonyFixture(.edDSA())
        fixture.algorithms = [.es256, .rs256]
        #expect(throws: WebAuthnError.unsupportedAlgorithm) { try fixture.register() }
    }

    @Test("authenticator data without an attested credential is refused")
    func noAttestedCredential() throws {
        var fixture = CeremonyFixture()
        var response = try fixture.browser.create(challenge: fixture.challenge, with: &fixture.authenticator)
        let assertion = try fixture.authenticator.getAssertion(clientDataHash: Array(repeating: 0, count: 32))
        response.attestationObject = attestationObject(format: "none", statement: [], authData: assertion.authenticatorData)
        #expect(throws: WebAuthnError.noAttestedCredential) {
            try WebAuthnCeremony.verifyRegistration(response, expecting: expectation(fixture))
        }
    }

    @Test("the attestation object must be {fmt: text, attStmt: map, authData: bytes}, and none means an empty attStmt")
    func attestationShape() throws {
        var fixture = CeremonyFixture()
        var response = try fixture.browser.create(challenge: fixture.challenge, with: &fixture.authenticator)
        let decoded = try CBOR.decodeWhole(response.attestationObject)
        guard case .bytes(let authData)? = decoded[.text("authData")] else { throw WebAuthnError.malformed("no authData") }
        let entry = CBORMapEntry(key: .text("alg"), value: CBORValue(integer: -7))
        response.attestationObject = attestationObject(format: "packed", statement: [entry], authData: authData)
        #expect(try WebAuthnCeremony.verifyRegistration(response, expecting: expectation(fixture)).credentialId == Array(0..<16))
        for bad in [
            attestationObject(format: "none", statement: [entry], authData: authData),
            CBOR.encode(.map([CBORMapEntry(key: .text("fmt"), value: .unsigned(1)), CBORMapEntry(key: .text("attStmt"), value: .map([])),
                              CBORMapEntry(key: .text("authData"), value: .bytes(authData))])),
            CBOR.encode(.map([CBORMapEntry(key: .text("fmt"), value: .text("none")), CBORMapEntry(key: .text("authData"), value: .bytes(authData))])),
            CBOR.encode(.array([.text("none")])),
            response.attestationObject + [0],
        ] {
            response.attestationObject = bad
            #expect(throws: WebAuthnError.self) { try WebAuthnCeremony.verifyRegistration(response, expecting: expectation(fixture)) }
        }
    }

    @Test("a public key that is not a point on the curve is refused at registration")
    func unusableKey() throws {
        var fixture = CeremonyFixture()
        var response = try fixture.browser.create(challenge: fixture.challenge, with: &fixture.authenticator)
        let bogusKey = CBOR.encode(.map([
            CBORMapEntry(key: .unsigned(1), value: .unsigned(2)), CBORMapEntry(key: .unsigned(3), value: CBORValue(integer: -7)),
            CBORMapEntry(key: CBORValue(integer: -1), value: .unsigned(1)),
            CBORMapEntry(key: CBORValue(integer: -2), value: .bytes(Array(repeating: 1, count: 32))),
            CBORMapEntry(key: CBORValue(integer: -3), value: .bytes(Array(repeating: 1, count: 32))),
        ]))
        let authData = Array(try attestedAuthData(response).prefix(37 + 16 + 2 + 16)) + bogusKey
        response.attestationObject = attestationObject(format: "none", statement: [], authData: authData)
        #expect(throws: WebAuthnError.malformed("credential public key is not a valid key")) {
            try WebAuthnCeremony.verifyRegistration(response, expecting: expectation(fixture))
        }
    }

    private func expectation(_ fixture: CeremonyFixture) -> RegistrationExpectation {
        RegistrationExpectation(
            challenge: fixture.challenge, relyingParty: fixture.relyingParty, userVerificationRequired: true,
            algorithms: COSEAlgorithm.allCases
        )
    }

    private func attestedAuthData(_ response: RegistrationResponse) throws -> [UInt8] {
        guard case .bytes(let authData)? = try CBOR.decodeWhole(response.attestationObject)[.text("authData")] else {
            throw WebAuthnError.malformed("no authData")
        }
        return authData
    }

    private func attestationObject(format: String, statement: [CBORMapEntry], authData: [UInt8]) -> [UInt8] {
        CBOR.encode(.map([
            CBORMapEntry(key: .text("fmt"), value: .text(format)), CBORMapEntry(key: .text("attStmt"), value: .map(statement)),
            CBORMapEntry(key: .text("authData"), value: .bytes(authData)),
        ]))
    }
}
