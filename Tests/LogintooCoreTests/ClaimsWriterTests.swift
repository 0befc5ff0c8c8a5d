import Foundation
import LogintooCore
import Testing

/// The claims and the token answer are written by hand (`JSONObjectWriter`) for speed. These tests read each type's
/// declared fields by reflection, set every one, and require the hand-written bytes to carry them all, exactly as the
/// synthesized encoder would: a field dropped from a writer, or added to a type without its writer line, fails here.
@Suite("Hand-written claims")
struct ClaimsWriterTests {
    /// A JSON sample for a stored property of `type`; nil for a type these tests do not know, which fails the test.
    static func sample(for type: Any.Type) -> Any? {
        if type == String.self || type == String?.self { return "v\u{e9}\"" }
        if type == Int64.self || type == Int64?.self { return 1_764_115_200 }
        if type == Bool.self || type == Bool?.self { return true }
        if type == [String].self || type == [String]?.self { return ["otp", "hwk"] }
        if type == Optional<LogintooCore.Confirmation>.self { return ["jkt": "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I"] }
        if type == LogoutTokenClaims.LogoutEvents.self { return [LogoutTokenClaims.LogoutEvents.backchannelLogout: [String: Any]()] }
        return nil
    }

    /// A value of `T` with every declared field set, and the names of those fields. `required` is the least JSON that
    /// decodes; the fields themselves come from reflecting on the decoded value, so a new field is covered unasked.
    func everyFieldSet<T: Decodable & JSONObjectWritable>(_: T.Type, required: [String: Any]) throws -> (value: T, fields: Set<String>) {
        let minimal = try JSONDecoder().decode(T.self, from: JSONSerialization.data(withJSONObject: required))
        var object: [String: Any] = [:]
        for child in Mirror(reflecting: minimal).children {
            let label = try #require(child.label)
            let sample = Self.sample(for: type(of: child.value))
            #expect(sample != nil, "no sample value for \(T.self).\(label): teach `sample(for:)` its type")
            object[label] = sample
        }
        let value = try JSONDecoder().decode(T.self, from: JSONSerialization.data(withJSONObject: object))
        return (value, Set(object.keys))
    }

    func writtenFields(_ value: some JSONObjectWritable) throws -> Set<String> {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(value.jsonBytes)) as? [String: Any])
        return Set(object.keys)
    }

    func expectEveryFieldWritten<T: Decodable & JSONObjectWritable>(_ type: T.Type, required: [String: Any]) throws {
        let (value, fields) = try everyFieldSet(type, required: required)
        #expect(try writtenFields(value) == fields, "\(T.self): the writer and the type's declared fields differ")
        #expect(value.jsonBytes == Array(try JSONText.encode(value).utf8), "\(T.self): the bytes differ from the encoder's")
    }

    @Test("an access token's writer writes every field AccessTokenClaims declares")
    func accessTokenClaims() throws {
        try expectEveryFieldWritten(AccessTokenClaims.self, required: [
            "iss": "i", "sub": "s", "aud": "a", "client_id": "c", "scope": "openid", "iat": 1, "exp": 2, "jti": "j",
        ])
    }

    @Test("an ID token's writer writes every field IDTokenClaims declares")
    func idTokenClaims() throws {
        try expectEveryFieldWritten(IDTokenClaims.self, required: [
            "iss": "i", "sub": "s", "aud": "a", "exp": 2, "iat": 1, "auth_time": 0, "amr": ["otp"], "at_hash": "h", "azp": "a",
        ])
    }

    @Test("a logout token's writer writes every field LogoutTokenClaims declares")
    func logoutTokenClaims() throws {
        try expectEveryFieldWritten(LogoutTokenClaims.self, required: [
            "iss": "i", "aud": "a", "iat": 1, "exp": 2, "jti": "j",
            "events": [LogoutTokenClaims.LogoutEvents.backchannelLogout: [String: Any]()],
        ])
    }

    @Test("the token answer's writer writes every field TokenResponse declares")
    func tokenResponse() throws {
        try expectEveryFieldWritten(TokenResponse.self, required: [
            "access_token": "a", "token_type": "Bearer", "expires_in": 900, "scope": "openid",
        ])
    }

    @Test("the reflection sees every field: a type with one more field than its writer is caught")
    func reflectionCatchesAMissingWriterLine() throws {
        let (value, fields) = try everyFieldSet(OneFieldShort.self, required: ["kept": "k"])
        #expect(fields == ["kept", "forgotten"])
        #expect(try writtenFields(value) != fields)
    }
}

/// A claims type whose writer forgets a field, as a mistaken edit would leave it.
private struct OneFieldShort: Codable, JSONObjectWritable {
    var kept: String
    var forgotten: String?

    func write(to json: inout JSONObjectWriter) {
        json.field("kept", kept)
    }
}
