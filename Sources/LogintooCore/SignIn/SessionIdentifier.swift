import Crypto
import Foundation

/// The `sid` of a session (OpenID Connect Front-/Back-Channel Logout): what ID tokens and logout tokens name it by.
///
/// Derived, not stored: a one-way digest of the session id's digest, under its own label. It names the session to its
/// clients without being the cookie or the digest the database keeps, so a relying party holding `sid` can neither
/// present the session nor find its row; and every instance, the token minter and the store alike, computes it from
/// the session hash it already has, with no lookup on the token path and no column to migrate.
public enum SessionIdentifier {
    public static func sid(sessionHash: String) -> String {
        Base64URL.encode(SHA256.hash(data: Data(("logintoo/sid\u{0}" + sessionHash).utf8)))
    }
}
