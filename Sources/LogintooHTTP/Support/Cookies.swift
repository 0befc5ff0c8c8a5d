import Hummingbird

/// Cookie names and attributes: `__Host-` and `Secure` when the issuer is https (RFC 6265bis; docs/security.md B14).
public struct CookieNames: Sendable {
    public let secure: Bool
    public var session: String { secure ? "__Host-logintoo-session" : "logintoo-session" }
    public var browser: String { secure ? "__Host-logintoo-browser" : "logintoo-browser" }
    /// Set at every sign-in and kept for a year: the browser keeps its own codes and budgets for that account
    /// (docs/security.md: known and unknown browsers).
    public var knownBrowser: String { secure ? "__Host-logintoo-known" : "logintoo-known" }

    /// A `Set-Cookie` value: HttpOnly, Path=/, no Domain, SameSite=Lax.
    func setCookie(_ name: String, value: String, maxAge: Int64) -> String {
        "\(name)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Lax\(secure ? "; Secure" : "")"
    }

    func clearCookie(_ name: String) -> String { setCookie(name, value: "", maxAge: 0) }
}

extension Request {
    /// A cookie's value, if present and made only of token characters.
    func cookie(_ name: String) -> String? {
        guard let value = cookies[name]?.value, !value.isEmpty, value.count <= 200,
              value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return nil }
        return value
    }
}
