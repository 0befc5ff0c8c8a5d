import Crypto

/// The checks registration and assertion share (WebAuthn §7.1 steps 7–16, §7.2 steps 11–22), each a named step that
/// throws the error of the rule it enforces.
enum CeremonyChecks {
    static func clientData(
        _ json: [UInt8], type: String, challenge: [UInt8], relyingParty: RelyingParty
    ) throws(WebAuthnError) -> CollectedClientData {
        let clientData = try CollectedClientData.parse(json)
        guard clientData.type == type else { throw .wrongType }
        guard let sent = WebAuthnBase64URL.decode(clientData.challenge), ConstantTime.equals(sent, challenge) else {
            throw .challengeMismatch
        }
        guard relyingParty.origins.contains(clientData.origin) else { throw .originMismatch }
        // A ceremony inside another site's frame could be driven by that site; a top origin other than the page's is
        // the same thing said another way.
        guard clientData.crossOrigin != true, clientData.topOrigin.map({ $0 == clientData.origin }) ?? true else {
            throw .crossOrigin
        }
        return clientData
    }

    static func authenticatorData(
        _ data: AuthenticatorData, relyingParty: RelyingParty, userVerificationRequired: Bool
    ) throws(WebAuthnError) {
        let expectedHash = Array(SHA256.hash(data: Array(relyingParty.id.utf8)))
        guard ConstantTime.equals(data.rpIdHash, expectedHash) else { throw .rpIdMismatch }
        guard data.userPresent else { throw .userNotPresent }
        guard data.userVerified || !userVerificationRequired else { throw .userNotVerified }
    }

    /// WebAuthn §6.1.1: a counter that does not grow, where either side is non-zero, may mean a cloned authenticator.
    static func counterWentBackwards(stored: UInt32, received: UInt32) -> Bool {
        (stored != 0 || received != 0) && received <= stored
    }
}
