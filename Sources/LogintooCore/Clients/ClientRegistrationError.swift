/// Why a client could not be registered, in words an operator can act on.
public enum ClientRegistrationError: Error, Equatable, CustomStringConvertible {
    case invalidRedirectURI(String, String)
    case noRedirectURI
    case invalidName
    case invalidSetting(String)

    public var description: String {
        switch self {
        case .invalidRedirectURI(let uri, let why): "redirect URI \(uri) \(why)"
        case .noRedirectURI: "a client needs at least one --redirect-uri"
        case .invalidName: "the client name must be 1 to 100 characters"
        case .invalidSetting(let why): why
        }
    }
}
