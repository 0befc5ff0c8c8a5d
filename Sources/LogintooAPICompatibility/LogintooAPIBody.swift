import Foundation
import LogintooCore

/// A request body of the Logintoo JSON API, read field by field with the original's validation rules. Unknown
/// properties are ignored; a missing or malformed one is a `400 invalid_request` that names the field, never its value.
public struct LogintooAPIBody: Sendable {
    let fields: [String: JSONValue]

    public init(fields: [String: JSONValue]) { self.fields = fields }

    /// A JSON object; `nil` when the data is not one, or names a property twice.
    public init?(json data: Data) {
        guard case .object(let object)? = try? StrictJSON.parse(data) else { return nil }
        fields = object
    }

    /// Form fields (the token resource also accepts `application/x-www-form-urlencoded`).
    public init(form: [String: String]) {
        fields = form.mapValues { .string($0) }
    }

    static let base64URLAlphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")

    func text(_ name: String) throws(LogintooAPI.Failure) -> String {
        guard case .string(let value)? = fields[name], !value.isEmpty, value.utf8.count <= 4096 else {
            throw .badRequest("\(name) is missing or not a string")
        }
        return value
    }

    func optionalText(_ name: String) throws(LogintooAPI.Failure) -> String? {
        switch fields[name] {
        case nil, .null?: return nil
        case .string(let value)? where value.isEmpty: return nil
        default: return try text(name)
        }
    }

    /// 43 to 128 base64url characters: PKCE challenges and verifiers, `state`, authorization codes.
    func base64URL(_ name: String) throws(LogintooAPI.Failure) -> String {
        let value = try text(name)
        guard (43...128).contains(value.count), value.allSatisfy(Self.base64URLAlphabet.contains) else {
            throw .badRequest("\(name) must be 43 to 128 base64url characters")
        }
        return value
    }

    func uuid(_ name: String) throws(LogintooAPI.Failure) -> String {
        let value = try text(name)
        guard UUID(uuidString: value) != nil else { throw .badRequest("\(name) must be a UUID") }
        return value
    }

    func email() throws(LogintooAPI.Failure) -> String {
        let typed = try text("email")
        do {
            return try EmailAddress.parse(typed).value
        } catch {
            throw .badRequest(error.description)
        }
    }

    func uri(_ name: String) throws(LogintooAPI.Failure) -> String {
        let value = try text(name)
        guard value.utf8.count <= 2048, let url = URL(string: value), url.scheme != nil, url.host?.isEmpty == false else {
            throw .badRequest("\(name) must be an absolute URI")
        }
        return value
    }

    func refreshToken() throws(LogintooAPI.Failure) -> String {
        let value = try text("refresh_token")
        guard value.utf8.count <= 512, value.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            throw .badRequest("refresh_token is malformed")
        }
        return value
    }

    func languageAndLocale() throws(LogintooAPI.Failure) -> (language: String?, locale: String?) {
        let language = try optionalText("language")
        let locale = try optionalText("locale")
        if let language, LanguageTag.language(language) == nil { throw .badRequest("language must be two letters") }
        if let locale, LanguageTag.locale(locale) == nil { throw .badRequest("locale must look like xx-XX") }
        return (language, locale)
    }
}
