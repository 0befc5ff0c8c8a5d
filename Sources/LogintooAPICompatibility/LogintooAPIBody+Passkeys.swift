import LogintooCore

/// The WebAuthn responses a login page posts as `credential`: `AuthenticationResponseJSON` and `RegistrationResponseJSON`
/// (WebAuthn Level 3 §5.1), binary values base64url.
extension LogintooAPIBody {
    func passkeyAssertion(_ name: String) throws(LogintooAPI.Failure) -> PasskeyAssertionJSON {
        let (id, response) = try credential(name)
        let userHandle: String?
        switch response["userHandle"] {
        case nil, .null?: userHandle = nil
        case .string(let value)?: userHandle = value
        default: throw .badRequest("\(name).response.userHandle must be a string or null")
        }
        return PasskeyAssertionJSON(
            id: id, clientDataJSON: try Self.member(response, "clientDataJSON", of: name),
            authenticatorData: try Self.member(response, "authenticatorData", of: name),
            signature: try Self.member(response, "signature", of: name), userHandle: userHandle)
    }

    func passkeyRegistration(_ name: String) throws(LogintooAPI.Failure) -> PasskeyRegistrationJSON {
        let (id, response) = try credential(name)
        var transports: [String]?
        if case .array(let values)? = response["transports"] {
            transports = values.compactMap { if case .string(let value) = $0 { value } else { nil } }
        }
        return PasskeyRegistrationJSON(
            id: id, clientDataJSON: try Self.member(response, "clientDataJSON", of: name),
            attestationObject: try Self.member(response, "attestationObject", of: name), transports: transports)
    }

    /// The credential's `id` and `response` object; its `type` must be `public-key`.
    func credential(_ name: String) throws(LogintooAPI.Failure) -> (id: String, response: [String: JSONValue]) {
        guard case .object(let credential)? = fields[name] else { throw .badRequest("\(name) must be a WebAuthn credential object") }
        guard case .string("public-key")? = credential["type"] else { throw .badRequest("\(name).type must be public-key") }
        guard case .object(let response)? = credential["response"] else { throw .badRequest("\(name).response must be an object") }
        return (try Self.member(credential, "id", of: name), response)
    }

    static func member(_ object: [String: JSONValue], _ key: String, of name: String) throws(LogintooAPI.Failure) -> String {
        guard case .string(let value)? = object[key], !value.isEmpty, value.utf8.count <= 8192 else {
            throw .badRequest("\(name): \(key) is missing or not a string")
        }
        return value
    }
}
