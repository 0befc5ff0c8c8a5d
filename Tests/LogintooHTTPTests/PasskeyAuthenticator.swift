import Crypto
import Foundation
import LogintooCore
import LogintooWebAuthn

/// An ES256 passkey in software for the HTTP tests: it answers the options the server's endpoints give with the JSON a
/// browser posts (RegistrationResponseJSON, AuthenticationResponseJSON), and can be told to answer wrongly in one way.
struct PasskeyAuthenticator {
    let key = P256.Signing.PrivateKey()
    let credentialId: [UInt8]
    var rpId = "login.example.com"
    var origin = TestServer.issuer
    /// The user handle the server gave at registration, returned with every assertion.
    var userHandle: [UInt8]?
    var counter: UInt32 = 0

    init(credentialId: [UInt8] = (0..<16).map { _ in UInt8.random(in: 0...255) }) {
        self.credentialId = credentialId
    }

    /// navigator.credentials.create for PublicKeyCredentialCreationOptionsJSON `options`.
    mutating func create(_ options: [String: Any]) throws -> [String: Any] {
        let user = try Self.object(options["user"])
        userHandle = Base64URL.decode(try Self.string(user["id"]))
        let clientData = clientDataJSON(type: "webauthn.create", challenge: try Self.string(options["challenge"]), origin: origin)
        let raw = Array(key.publicKey.rawRepresentation)
        func entry(_ label: Int64, _ value: CBORValue) -> CBORMapEntry { CBORMapEntry(key: CBORValue(integer: label), value: value) }
        let coseKey = CBOR.encode(.map([
            entry(1, CBORValue(integer: 2)), entry(3, CBORValue(integer: -7)), entry(-1, CBORValue(integer: 1)),
            entry(-2, .bytes(Array(raw[0..<32]))), entry(-3, .bytes(Array(raw[32..<64]))),
        ]))
        let attested = [UInt8](repeating: 0, count: 16) + [0, UInt8(credentialId.count)] + credentialId + coseKey
        let attestation = CBOR.encode(.map([
            CBORMapEntry(key: .text("fmt"), value: .text("none")),
            CBORMapEntry(key: .text("attStmt"), value: .map([])),
            CBORMapEntry(key: .text("authData"), value: .bytes(authenticatorData(rpId: rpId, flags: 0x45) + attested)),
        ]))
        return ["id": Base64URL.encode(credentialId), "rawId": Base64URL.encode(credentialId), "type": "public-key",
                "response": ["clientDataJSON": Base64URL.encode(clientData), "attestationObject": Base64URL.encode(attestation)]]
    }

    /// navigator.credentials.get for PublicKeyCredentialRequestOptionsJSON `options`, optionally for another origin or
    /// RP ID, without user verification, or with a signature that does not verify.
    mutating func get(_ options: [String: Any], origin: String? = nil, rpId: String? = nil, userVerified: Bool = true,
                      tamperedSignature: Bool = false) throws -> [String: Any] {
        counter += 1
        let clientData = clientDataJSON(type: "webauthn.get", challenge: try Self.string(options["challenge"]),
                                        origin: origin ?? self.origin)
        let data = authenticatorData(rpId: rpId ?? self.rpId, flags: userVerified ? 0x05 : 0x01)
        var signature = Array(try key.signature(for: data + Array(SHA256.hash(data: clientData))).derRepresentation)
        if tamperedSignature { signature[signature.count - 1] ^= 1 }
        var response: [String: Any] = ["clientDataJSON": Base64URL.encode(clientData), "authenticatorData": Base64URL.encode(data),
                                       "signature": Base64URL.encode(signature)]
        if let userHandle { response["userHandle"] = Base64URL.encode(userHandle) }
        return ["id": Base64URL.encode(credentialId), "rawId": Base64URL.encode(credentialId), "type": "public-key",
                "response": response]
    }

    func clientDataJSON(type: String, challenge: String, origin: String) -> [UInt8] {
        Array(#"{"type":"\#(type)","challenge":"\#(challenge)","origin":"\#(origin)","crossOrigin":false}"#.utf8)
    }

    /// RP ID hash, flags (0x01 user present, 0x04 verified, 0x40 attested credential data) and the counter.
    func authenticatorData(rpId: String, flags: UInt8) -> [UInt8] {
        Array(SHA256.hash(data: Array(rpId.utf8))) + [flags] + (0..<4).map { UInt8(truncatingIfNeeded: counter >> (24 - 8 * $0)) }
    }

    struct Malformed: Error {}

    static func object(_ value: Any?) throws -> [String: Any] {
        guard let object = value as? [String: Any] else { throw Malformed() }
        return object
    }

    static func string(_ value: Any?) throws -> String {
        guard let string = value as? String else { throw Malformed() }
        return string
    }
}
