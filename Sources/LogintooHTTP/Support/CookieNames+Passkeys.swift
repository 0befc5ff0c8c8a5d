/// The cookie that remembers a browser's "Not now" to the passkey offer, so the offer does not return at every sign-in.
extension CookieNames {
    /// `__Host-` and `Secure` on https, like the other cookies.
    var passkeyDeclined: String { secure ? "__Host-logintoo-passkey-declined" : "logintoo-passkey-declined" }

    /// How long "Not now" is remembered: 30 days.
    static let passkeyDeclinedLifetime: Int64 = 30 * 86_400
}
