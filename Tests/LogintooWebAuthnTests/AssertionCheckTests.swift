import Foundation
import LogintooWebAuthn
import Testing

@Suite("Assertion checks (WebAuthn §7.2)")
struct AssertionCheckTests {
    @Test("a sign-in verifies for each algorithm and reports the flags", arguments: ["es256", "edDSA", "rs256"])
    func eachAlgorithm(name: String) throws {
        var fixture = CeremonyFixture(name == "es256" ? .es256() : name == "edDSA" ? .edDSA() : .rs256())
        fixture.authenticator.backedUp = false
        let verified = try fixture.signIn()
        #expect(verified == VerifiedAssertion(signCount: 0, userVerified: true, backedUp: false, counterWentBackwards: false))
    }

    @Test("the client data type must be webauthn.get")
    func wrongType() {
        var fixture = CeremonyFixture()
        fixture.browser.typeOverride = "webauthn.create"
        #expect(throws: WebAuthnError.wrongType) { try fixture.signIn() }
    }

    @Test("the challenge must be the one issued")
    func challenge() throws {
        var fixture = CeremonyFixture()
        let response = try fixture.browser.get(challenge: Array(repeating: 0x01, count: 32), with: &fixture.authenticator)
        #expect(throws: WebAuthnError.challengeMismatch) { try WebAuthnCeremony.verifyAssertion(response, expecting: fixture.expectation()) }
    }

    @Test("a challenge that is not unpadded base64url is refused")
    func challengeEncoding() throws {
        var fixture = CeremonyFixture()
        var response = try fixture.browser.get(challenge: fixture.challenge, with: &fixture.authenticator)
        let padded = fixture.challenge.base64URL + "="
        response.clientDataJSON = Array(#"{"type":"webauthn.get","challenge":"\#(padded)","origin":"https://example.com"}"#.utf8)
        #expect(throws: WebAuthnError.challengeMismatch) { try WebAuthnCeremony.verifyAssertion(response, expecting: fixture.expectation()) }
    }

    @Test("the origin must be one of the relying party's")
    func origin() {
        var fixture = CeremonyFixture()
        fixture.browser.origin = "https://login.example.com.evil.example"
        #expect(throws: WebAuthnError.originMismatch) { try fixture.signIn() }
    }

    @Test("a sign-in in a cross-origin frame is refused")
    func crossOrigin() {
        var fixture = CeremonyFixture()
        fixture.browser.crossOrigin = true
        #expect(throws: WebAuthnError.crossOrigin) { try fixture.signIn() }
    }

    @Test("the authenticator data must be for the relying party's ID")
    func rpId() {
        var fixture = CeremonyFixture()
        fixture.authenticator.rpId = "evil.example"
        #expect(throws: WebAuthnError.rpIdMismatch) { try fixture.signIn() }
    }

    @Test("user presence is required")
    func userPresence() {
        var fixture = CeremonyFixture()
        fixture.authenticator.userPresent = false
        #expect(throws: WebAuthnError.userNotPresent) { try fixture.signIn() }
    }

    @Test("user verification is required when asked for, and only then")
    func userVerification() throws {
        var fixture = CeremonyFixture()
        fixture.authenticator.userVerified = false
        #expect(throws: WebAuthnError.userNotVerified) { try fixture.signIn() }
        fixture.userVerificationRequired = false
        #expect(try fixture.signIn().userVerified == false)
    }

    @Test("the signature must be the stored key's over the authenticator data and the client data hash")
    func signature() throws {
        var fixture = CeremonyFixture()
        var response = try fixture.browser.get(challenge: fixture.challenge, with: &fixture.authenticator)
        let expecting = try fixture.expectation()
        #expect(throws: Never.self) { try WebAuthnCeremony.verifyAssertion(response, expecting: expecting) }
        let other = try CBOR.encode(SoftwareAuthenticator.es256().coseKey())
        #expect(throws: WebAuthnError.badSignature) { try fixture.signIn(publicKeyBytes: other) }
        // The client data is covered through its hash: another origin the RP also accepts cannot be swapped in.
        var swapped = response
        swapped.clientDataJSON = Array(String(decoding: response.clientDataJSON, as: UTF8.self)
            .replacingOccurrences(of: "https://login.example.com", with: "https://example.com").utf8)
        #expect(throws: WebAuthnError.badSignature) { try WebAuthnCeremony.verifyAssertion(swapped, expecting: expecting) }
        response.signature = Array(response.signature.dropLast())
        #expect(throws: WebAuthnError.badSignature) { try WebAuthnCeremony.verifyAssertion(response, expecting: expecting) }
    }

    @Test("an assertion by a credential of an unsupported algorithm is refused")
    func unsupportedAlgorithm() throws {
        var fixture = CeremonyFixture()
        let es384Key = CBOR.encode(.map([
            CBORMapEntry(key: .unsigned(1), value: .unsigned(2)), CBORMapEntry(key: .unsigned(3), value: CBORValue(integer: -35)),
            CBORMapEntry(key: CBORValue(integer: -1), value: .unsigned(2)),
            CBORMapEntry(key: CBORValue(integer: -2), value: .bytes(Array(repeating: 1, count: 48))),
            CBORMapEntry(key: CBORValue(integer: -3), value: .bytes(Array(repeating: 1, count: 48))),
        ]))
        #expect(throws: WebAuthnError.unsupportedAlgorithm) { try fixture.signIn(publicKeyBytes: es384Key) }
    }

    @Test("a counter that does not grow is flagged, not refused; zero on both sides is no counter")
    func counter() throws {
        var fixture = CeremonyFixture()
        fixture.authenticator.keepsCounter = true
        fixture.authenticator.signCount = 4
        #expect(try fixture.signIn(storedSignCount: 4).counterWentBackwards == false)
        #expect(try fixture.signIn(storedSignCount: 6) == VerifiedAssertion(
            signCount: 6, userVerified: true, backedUp: true, counterWentBackwards: true
        ))
        #expect(try fixture.signIn(storedSignCount: 9).counterWentBackwards)
        fixture.authenticator.keepsCounter = false
        fixture.authenticator.signCount = 0
        #expect(try fixture.signIn(storedSignCount: 0).counterWentBackwards == false)
        #expect(try fixture.signIn(storedSignCount: 3).counterWentBackwards)
    }
}
