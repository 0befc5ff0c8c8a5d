import Crypto

/// The relying party's side of the two WebAuthn ceremonies (W3C WebAuthn Level 3 §7.1 and §7.2).
public enum WebAuthnCeremony {
    /// Checks a new credential and returns what to store.
    public static func verifyRegistration(
        _ response: RegistrationResponse, expecting expectation: RegistrationExpectation
    ) throws(WebAuthnError) -> VerifiedRegistration {
        _ = try CeremonyChecks.clientData(
            response.clientDataJSON, type: "webauthn.create", challenge: expectation.challenge,
            relyingParty: expectation.relyingParty
        )
        let data = try AttestationObject.parse(response.attestationObject).authenticatorData
        try CeremonyChecks.authenticatorData(
            data, relyingParty: expectation.relyingParty, userVerificationRequired: expectation.userVerificationRequired
        )
        guard let credential = data.attestedCredential else { throw .noAttestedCredential }
        guard expectation.algorithms.contains(credential.publicKey.algorithm) else { throw .unsupportedAlgorithm }
        guard credential.publicKey.isUsable else { throw .malformed("credential public key is not a valid key") }
        return VerifiedRegistration(
            credentialId: credential.credentialId, publicKeyBytes: credential.publicKeyBytes,
            algorithm: credential.publicKey.algorithm, signCount: data.signCount, userVerified: data.userVerified,
            backupEligible: data.backupEligible, backedUp: data.backedUp, aaguid: credential.aaguid
        )
    }

    /// Checks a sign-in with a stored credential. The caller has found the credential by `response.credentialId` and
    /// checks that `response.userHandle`, when present, names its account.
    public static func verifyAssertion(
        _ response: AssertionResponse, expecting expectation: AssertionExpectation
    ) throws(WebAuthnError) -> VerifiedAssertion {
        _ = try CeremonyChecks.clientData(
            response.clientDataJSON, type: "webauthn.get", challenge: expectation.challenge,
            relyingParty: expectation.relyingParty
        )
        let data = try AuthenticatorData.parse(response.authenticatorData)
        try CeremonyChecks.authenticatorData(
            data, relyingParty: expectation.relyingParty, userVerificationRequired: expectation.userVerificationRequired
        )
        let key = try COSEKey.parse(bytes: expectation.publicKeyBytes)
        let signed = response.authenticatorData + SHA256.hash(data: response.clientDataJSON)
        guard key.verify(signature: response.signature, over: signed) else { throw .badSignature }
        return VerifiedAssertion(
            signCount: data.signCount, userVerified: data.userVerified, backedUp: data.backedUp,
            counterWentBackwards: CeremonyChecks.counterWentBackwards(stored: expectation.storedSignCount, received: data.signCount)
        )
    }
}
