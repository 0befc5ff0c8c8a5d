/// Why a WebAuthn response was refused; each case names the check of W3C WebAuthn Level 3 §7.1 / §7.2 that failed.
public enum WebAuthnError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The response is not well formed; the text is ours and never repeats the input.
    case malformed(String)
    /// `clientDataJSON.type` is not the ceremony's (`webauthn.create` or `webauthn.get`).
    case wrongType
    /// The challenge is not the one this server issued.
    case challengeMismatch
    /// The origin is not one of the relying party's.
    case originMismatch
    /// The ceremony ran in a cross-origin frame.
    case crossOrigin
    /// The authenticator data is for another relying party ID.
    case rpIdMismatch
    /// The user-present flag is not set.
    case userNotPresent
    /// User verification was required and not done.
    case userNotVerified
    /// The credential's algorithm is not one this relying party accepts.
    case unsupportedAlgorithm
    /// The assertion signature does not verify with the stored key.
    case badSignature
    /// A registration without an attested credential.
    case noAttestedCredential

    /// A line for the log.
    public var description: String {
        switch self {
        case .malformed(let detail): return "malformed WebAuthn response: \(detail.prefix(200))"
        case .wrongType: return "client data type is not the ceremony's"
        case .challengeMismatch: return "challenge does not match"
        case .originMismatch: return "origin is not the relying party's"
        case .crossOrigin: return "ceremony ran in a cross-origin frame"
        case .rpIdMismatch: return "authenticator data is for another RP ID"
        case .userNotPresent: return "user presence flag not set"
        case .userNotVerified: return "user verification required and not done"
        case .unsupportedAlgorithm: return "credential algorithm is not accepted"
        case .badSignature: return "signature does not verify"
        case .noAttestedCredential: return "registration carries no attested credential"
        }
    }

    /// A CBOR failure inside the part of the response called `part`.
    static func malformed(_ part: String, _ error: CBORError) -> WebAuthnError {
        .malformed("\(part): \(error.description)")
    }
}
