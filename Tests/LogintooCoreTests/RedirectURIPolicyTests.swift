import LogintooCore
import Testing

@Suite("Redirect URI rules")
struct RedirectURIPolicyTests {
    @Test("https URIs and http on loopback addresses can be registered", arguments: [
        "https://app.example.com/callback", "https://app.example.com:8443/cb?x=1", "http://127.0.0.1:3000/cb", "http://[::1]/cb",
    ])
    func accepted(uri: String) throws {
        try RedirectURIPolicy.validateForRegistration(uri)
    }

    @Test("unsafe URIs are refused at registration", arguments: [
        "http://app.example.com/cb", "https://app.example.com/cb#frag", "javascript:alert(1)", "JAVASCRIPT:alert(1)",
        "data:text/html,x", "https://user@app.example.com/cb", "https://*.example.com/cb", "http://localhost.evil.com/cb",
        "http://localhost:3000/cb", "/relative", "HTTPS://app.example.com/cb", "https://app.example.com/c b",
    ])
    func refused(uri: String) {
        #expect(throws: ClientRegistrationError.self) { try RedirectURIPolicy.validateForRegistration(uri) }
    }

    @Test("matching is exact: no prefix, case folding or normalisation")
    func exactMatching() {
        let registered = "https://app.example.com/callback"
        #expect(RedirectURIPolicy.matches(registered: registered, candidate: registered))
        for candidate in ["https://app.example.com/callback/", "https://app.example.com/callbackx", "https://APP.example.com/callback",
                          "https://app.example.com/callback?x=1", "https://app.example.com/./callback",
                          "https://app.example.com@evil.com/callback"] {
            #expect(!RedirectURIPolicy.matches(registered: registered, candidate: candidate))
        }
    }

    @Test("only the port of a loopback URI may vary (RFC 8252)")
    func loopbackPort() {
        #expect(RedirectURIPolicy.matches(registered: "http://127.0.0.1/cb", candidate: "http://127.0.0.1:51234/cb"))
        #expect(!RedirectURIPolicy.matches(registered: "http://127.0.0.1/cb", candidate: "http://127.0.0.1:51234/other"))
        #expect(!RedirectURIPolicy.matches(registered: "https://app.example.com/cb", candidate: "https://app.example.com:444/cb"))
    }
}

@Suite("Base64url")
struct Base64URLTests {
    @Test("encodes like RFC 4648 §5 without padding, and round-trips", arguments: 0..<40)
    func roundTrip(length: Int) throws {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        let encoded = Base64URL.encode(bytes)
        let foundation = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        #expect(encoded == foundation)
        #expect(Base64URL.decode(encoded) == bytes)
    }

    @Test("refuses padding, characters outside the alphabet, impossible lengths and non-zero unused bits",
          arguments: ["QQ==", "QQ=", "a+b/", "ab c", "abcde", "QR", "QUJ", "é"])
    func refusals(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }

    @Test("decodes the canonical forms of one and two trailing bytes")
    func trailingBytes() {
        #expect(Base64URL.decode("QQ") == [0x41])
        #expect(Base64URL.decode("QUI") == [0x41, 0x42])
        #expect(Base64URL.decode("-_8") == [0xFB, 0xFF])
    }
}

import Foundation
