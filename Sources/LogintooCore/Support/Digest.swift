import Crypto
import Foundation

/// The one-way transforms that keep secrets out of the database.
public enum SecretDigest {
    /// SHA-256 of a high-entropy secret (session ids, authorization codes, refresh tokens, client secrets), base64url.
    public static func sha256(_ secret: String) -> String {
        Base64URL.encode(SHA256.hash(data: Data(secret.utf8)))
    }

    /// HMAC-SHA-256 under the server key, base64url: for low-entropy secrets such as one-time codes.
    public static func hmac(_ message: String, key: SymmetricKey) -> String {
        Base64URL.encode(HMAC<SHA256>.authenticationCode(for: Data(message.utf8), using: key))
    }

    /// Compares two strings in time that depends only on their lengths.
    public static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
