/// A setting that cannot be used, named as the operator wrote it.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case invalid(String, String)
    public var description: String {
        switch self {
        case .invalid(let setting, let why): "\(setting): \(why)"
        }
    }
}
