import Crypto
import LogintooWebAuthn

/// The browser's part of a ceremony: it writes `clientDataJSON` for the page's origin and hands its hash to the
/// authenticator, as `navigator.credentials.create()` and `.get()` do.
struct SoftwareBrowser {
    var origin = "https://login.example.com"
    var crossOrigin: Bool? = false
    var topOrigin: String?
    /// Set to test a client that writes the wrong ceremony type.
    var typeOverride: String?

    func clientDataJSON(type: String, challenge: [UInt8]) -> [UInt8] {
        var json = #"{"type":"\#(typeOverride ?? type)","challenge":"\#(challenge.base64URL)","origin":"\#(origin)""#
        if let crossOrigin { json += #","crossOrigin":\#(crossOrigin)"# }
        if let topOrigin { json += #","topOrigin":"\#(topOrigin)""# }
        return Array((json + "}").utf8)
    }

    func create(challenge: [UInt8], with authenticator: inout SoftwareAuthenticator) throws -> RegistrationResponse {
        RegistrationResponse(
            clientDataJSON: clientDataJSON(type: "webauthn.create", challenge: challenge),
            attestationObject: try authenticator.makeCredential(), transports: ["internal", "hybrid"]
        )
    }

    func get(challenge: [UInt8], with authenticator: inout SoftwareAuthenticator) throws -> AssertionResponse {
        let clientData = clientDataJSON(type: "webauthn.get", challenge: challenge)
        let (authenticatorData, signature) = try authenticator.getAssertion(clientDataHash: Array(SHA256.hash(data: clientData)))
        return AssertionResponse(
            credentialId: authenticator.credentialId, clientDataJSON: clientData, authenticatorData: authenticatorData,
            signature: signature, userHandle: Array("account-1".utf8)
        )
    }
}
