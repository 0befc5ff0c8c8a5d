import LogintooWebAuthn
import Testing

@Suite("Recorded responses")
struct RecordedCeremonyTests {
    @Test("a recorded registration verifies and yields the recorded credential", arguments: RecordedCeremony.all)
    func registration(recorded: RecordedCeremony) throws {
        let verified = try WebAuthnCeremony.verifyRegistration(
            RegistrationResponse(
                clientDataJSON: Array(recorded.registrationClientData.utf8),
                attestationObject: [UInt8](hex: recorded.attestationObject), transports: ["internal"]
            ),
            expecting: RegistrationExpectation(
                challenge: [UInt8](hex: recorded.registrationChallenge), relyingParty: RecordedCeremony.relyingParty,
                userVerificationRequired: true, algorithms: COSEAlgorithm.allCases
            )
        )
        #expect(verified.algorithm == recorded.algorithm)
        #expect(verified.credentialId == [UInt8](hex: recorded.credentialId))
        #expect(verified.publicKeyBytes == [UInt8](hex: recorded.publicKey))
        #expect(verified.aaguid == [UInt8](hex: recorded.aaguid))
        #expect(verified.signCount == recorded.registrationSignCount)
        #expect(verified.userVerified)
    }

    @Test("a recorded assertion verifies with the recorded key", arguments: RecordedCeremony.all)
    func assertion(recorded: RecordedCeremony) throws {
        let verified = try WebAuthnCeremony.verifyAssertion(response(recorded), expecting: expectation(recorded))
        #expect(verified.signCount == recorded.assertionSignCount)
        #expect(verified.userVerified)
        #expect(!verified.counterWentBackwards)
    }

    @Test("a recorded assertion with one bit of its signed data changed is refused", arguments: RecordedCeremony.all)
    func tamperedAssertion(recorded: RecordedCeremony) throws {
        var tampered = response(recorded)
        tampered.authenticatorData[36] ^= 0x01
        #expect(throws: WebAuthnError.badSignature) { try WebAuthnCeremony.verifyAssertion(tampered, expecting: expectation(recorded)) }
    }

    @Test("a recorded assertion does not verify with another recorded credential's key", arguments: RecordedCeremony.all)
    func otherKey(recorded: RecordedCeremony) throws {
        let other = RecordedCeremony.all.first { $0.algorithm != recorded.algorithm } ?? recorded
        var expecting = expectation(recorded)
        expecting.publicKeyBytes = [UInt8](hex: other.publicKey)
        #expect(throws: WebAuthnError.badSignature) { try WebAuthnCeremony.verifyAssertion(response(recorded), expecting: expecting) }
    }

    private func response(_ recorded: RecordedCeremony) -> AssertionResponse {
        AssertionResponse(
            credentialId: [UInt8](hex: recorded.credentialId), clientDataJSON: Array(recorded.assertionClientData.utf8),
            authenticatorData: [UInt8](hex: recorded.authenticatorData), signature: [UInt8](hex: recorded.signature),
            userHandle: nil
        )
    }

    private func expectation(_ recorded: RecordedCeremony) -> AssertionExpectation {
        AssertionExpectation(
            challenge: [UInt8](hex: recorded.assertionChallenge), relyingParty: RecordedCeremony.relyingParty,
            userVerificationRequired: true, publicKeyBytes: [UInt8](hex: recorded.publicKey),
            storedSignCount: recorded.registrationSignCount
        )
    }
}
