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
    /// A cookie's value, if present and made only of token characters (at most 200 of them).
    ///
    /// Found by a scan of the `Cookie` headers for the first pair with that name, as Hummingbird's `cookies` finds it,
    /// without building every cookie: a sign-in asks for a cookie a dozen times (docs/performance.md).
    func cookie(_ name: String) -> String? {
        for header in headers[values: .cookie] {
            if let value = CookieHeader.value(of: name, in: header) { return CookieHeader.isToken(value) ? String(value) : nil }
        }
        return nil
    }
}

/// Reading one pair out of a `Cookie` header (RFC 6265 §5.4: `name=value` pairs separated by `; `).
enum CookieHeader {
    /// The value of the first pair named `name`, or nil; spaces and tabs before a pair's name are skipped.
    static func value(of name: String, in header: String) -> Substring? {
        for pair in header.utf8.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: true) {
            let trimmed = pair.drop(while: { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") })
            guard let equals = trimmed.firstIndex(of: UInt8(ascii: "=")),
                  trimmed[..<equals].elementsEqual(name.utf8)
            else { continue }
            return Substring(trimmed[trimmed.index(after: equals)...])
        }
        return nil
    }

    /// Non-empty, at most 200 bytes, and only ASCII letters, digits, `-` and `_`: every cookie this server sets.
    static func isToken(_ value: Substring) -> Bool {
        !value.isEmpty && value.utf8.count <= 200 && value.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }
}
