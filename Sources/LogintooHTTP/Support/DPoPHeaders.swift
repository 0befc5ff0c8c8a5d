import HTTPTypes
import Hummingbird
import LogintooCore

extension HTTPField.Name {
    /// RFC 9449 §4.1: the proof a client sends with a request.
    static let dpop = HTTPField.Name("DPoP")!
    /// RFC 9449 §8: the nonce the next proof must carry.
    static let dpopNonce = HTTPField.Name("DPoP-Nonce")!
}

extension DPoPProofs {
    /// The current nonce, for every answer to a request that may have to send a proof, while nonces are required; a
    /// browser client can read it (`Access-Control-Expose-Headers`).
    func nonceHeaders() -> HTTPFields {
        requiresNonce ? [.dpopNonce: nonces.current(), .accessControlExposeHeaders: "DPoP-Nonce, WWW-Authenticate"] : [:]
    }

    /// A resource's `WWW-Authenticate` challenge (RFC 9449 §7.1): the `DPoP` scheme with the algorithms proofs may use,
    /// and the error, if any.
    static func challenge(error: OAuthError?) -> String {
        var value = "DPoP algs=\"\(algorithms.joined(separator: " "))\""
        if let error {
            value += ", error=\"\(error.code.rawValue)\", error_description=\"\(error.detail.replacingOccurrences(of: "\"", with: "'"))\""
        }
        return value
    }
}
