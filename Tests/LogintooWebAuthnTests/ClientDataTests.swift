import LogintooWebAuthn
import Testing

@Suite("Client data")
struct ClientDataTests {
    @Test("the five members are read and others ignored, as browsers add their own")
    func members() throws {
        let json = #"{"type":"webauthn.get","challenge":"AAEC","origin":"https://a.example","crossOrigin":true,"topOrigin":"https://b.example","other_keys_can_be_added_here":"x"}"#
        #expect(try CollectedClientData.parse(Array(json.utf8)) == CollectedClientData(
            type: "webauthn.get", challenge: "AAEC", origin: "https://a.example", crossOrigin: true, topOrigin: "https://b.example"
        ))
        let minimal = try CollectedClientData.parse(Array(#"{"type":"t","challenge":"c","origin":"o"}"#.utf8))
        #expect(minimal.crossOrigin == nil && minimal.topOrigin == nil)
    }

    @Test("client data that is not a JSON object with text type, challenge and origin is refused")
    func malformed() {
        for json in [
            #"{"type":"t","challenge":"c"}"#, #"{"type":1,"challenge":"c","origin":"o"}"#,
            #"{"type":"t","challenge":"c","origin":"o","crossOrigin":1}"#, #"["t"]"#, "{", "",
        ] {
            #expect(throws: WebAuthnError.self) { try CollectedClientData.parse(Array(json.utf8)) }
        }
        #expect(throws: WebAuthnError.self) { try CollectedClientData.parse([0xFF, 0xFE]) }
        let huge = Array(#"{"type":"t","challenge":"c","origin":""#.utf8) + [UInt8](repeating: 0x61, count: 20_000) + Array(#""}"#.utf8)
        #expect(throws: WebAuthnError.malformed("client data is too large")) { try CollectedClientData.parse(huge) }
    }

    @Test("an error's log line never repeats more than a short part of what it was given")
    func boundedDescription() {
        let long = WebAuthnError.malformed(String(repeating: "a", count: 10_000)).description
        #expect(long.count < 300)
    }
}
