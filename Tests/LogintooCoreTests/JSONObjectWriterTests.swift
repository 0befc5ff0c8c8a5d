import Foundation
import LogintooCore
import Testing

@Suite("JSON object writer")
struct JSONObjectWriterTests {
    /// Strings that need every kind of escape, and some that need none.
    static let strings = [
        "", "plain", "quote \" and backslash \\", "slash / stays", "line\nfeed\rreturn\ttab", "\u{8}\u{C}", "\u{0}\u{1}\u{1F}\u{7F}",
        "été", "日本語", "emoji 🙂", "\u{2028}\u{2029}", "</script>",
    ]

    /// A value decoded from these fields, as a client or a test would read it.
    func make<T: Decodable>(_ type: T.Type, _ fields: [String: Any]) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONSerialization.data(withJSONObject: fields))
    }

    func expectSameBytes(_ value: some JSONObjectWritable) throws {
        #expect(value.jsonBytes == Array(try JSONText.encode(value).utf8))
    }

    @Test("access token claims come out byte for byte as the encoder writes them", arguments: strings)
    func accessTokenClaims(text: String) throws {
        try expectSameBytes(make(AccessTokenClaims.self, [
            "iss": "https://login.example.com/\(text)", "sub": text, "aud": "api", "client_id": "c\(text)", "scope": "openid email",
            "iat": 1_764_115_200, "exp": -1, "jti": text, "auth_time": Int64.max, "email": text, "email_verified": true,
            "email_normalized": text, "hd": text, "language": text, "locale": text,
        ]))
        try expectSameBytes(make(AccessTokenClaims.self, [
            "iss": "i", "sub": text, "aud": "a", "client_id": "c", "scope": "", "iat": 0, "exp": Int64.min, "jti": "j",
            "email_verified": false,
        ]))
    }

    @Test("ID token claims and the token answer come out as the encoder writes them", arguments: strings)
    func idTokenAndAnswer(text: String) throws {
        try expectSameBytes(make(IDTokenClaims.self, [
            "iss": "i", "sub": text, "aud": "a", "exp": 2, "iat": 1, "auth_time": 0, "nonce": text, "amr": ["otp", text],
            "at_hash": text, "azp": "a",
        ]))
        try expectSameBytes(make(IDTokenClaims.self, [
            "iss": "i", "sub": "s", "aud": "a", "exp": 2, "iat": 1, "auth_time": 0, "amr": [String](), "at_hash": "h", "azp": "a",
            "email": text, "email_verified": true,
        ]))
        try expectSameBytes(make(TokenResponse.self, [
            "access_token": text, "token_type": "Bearer", "expires_in": 900, "scope": text, "refresh_token": text,
        ]))
        try expectSameBytes(make(TokenResponse.self, [
            "access_token": "a", "token_type": text, "expires_in": 0, "scope": "s", "id_token": text,
        ]))
    }
}
