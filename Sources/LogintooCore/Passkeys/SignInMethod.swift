/// How a person proved who they are, as tokens report it: `amr` (RFC 8176) and `acr`.
public enum SignInMethod: Sendable, Equatable {
    /// An emailed one-time code or its magic link.
    case emailCode
    /// A passkey; `userVerified` when the authenticator checked the person (PIN, biometrics).
    case passkey(userVerified: Bool)

    /// The `acr` of a phishing-resistant sign-in, which `acr_values=phr` asks for.
    public static let phishingResistant = "phr"

    /// `amr`: `otp` for a code or link; `hwk` for a passkey, with `user` when it verified the person.
    public var amr: [String] {
        switch self {
        case .emailCode: ["otp"]
        case .passkey(let verified): verified ? ["hwk", "user"] : ["hwk"]
        }
    }

    /// `acr`: `phr` for a passkey; none for an emailed code.
    public var acr: String? {
        switch self {
        case .emailCode: nil
        case .passkey: Self.phishingResistant
        }
    }

    /// `amr` as stored: space-separated; `nil` stored (rows written before methods were recorded) reads as a code.
    public var storedAMR: String { amr.joined(separator: " ") }

    public static func amr(stored: String?) -> [String] {
        guard let stored, !stored.isEmpty else { return SignInMethod.emailCode.amr }
        return stored.split(separator: " ").map(String.init)
    }
}
