import Crypto
import Foundation

/// RFC 7636 Proof Key for Code Exchange, S256 only: the one place a verifier is checked against its challenge.
public enum PKCE {
    /// RFC 7636 §4.1: the characters a verifier is made of.
    static let verifierAlphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// The answer when a verifier does not hash to the stored challenge; the Logintoo JSON API answers it differently.
    public static let verifierMismatch = OAuthError.invalidGrant("code_verifier does not match the code_challenge")

    /// RFC 7636 §4.1: a verifier, when sent, is 43 to 128 unreserved characters.
    static func checkVerifierSyntax(_ verifier: String?) throws {
        guard let verifier else { return }
        guard (43...128).contains(verifier.count), verifier.allSatisfy(verifierAlphabet.contains) else {
            throw OAuthError.invalidRequest("code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~]")
        }
    }

    /// The S256 challenge of `verifier` (RFC 7636 §4.2), for a client of this server's own (the admin console).
    public static func challenge(for verifier: String) -> String {
        Base64URL.encode(SHA256.hash(data: Data(verifier.utf8)))
    }

    /// RFC 7636 §4.6, S256 only; a verifier without a stored challenge is refused too (PKCE downgrade).
    public static func verify(challenge: String?, verifier: String?) throws {
        switch (challenge, verifier) {
        case (nil, nil): return
        case (nil, _?): throw OAuthError.invalidGrant("code_verifier was sent but the authorization request had no code_challenge")
        case (_?, nil): throw OAuthError.invalidGrant("code_verifier is missing")
        case (let challenge?, let verifier?):
            guard SecretDigest.constantTimeEquals(Self.challenge(for: verifier), challenge) else { throw verifierMismatch }
        }
    }
}
