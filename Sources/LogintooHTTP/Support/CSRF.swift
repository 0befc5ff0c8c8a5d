import Crypto
import HTTPTypes
import Hummingbird
import LogintooCore

/// CSRF defence for the hosted forms: a token bound to the browser cookie (signed double submit), and Fetch Metadata / Origin.
struct CSRF: Sendable {
    let key: SymmetricKey
    /// The origin of the issuer, which same-origin form posts carry.
    let issuerOrigin: String

    func token(purpose: String, binding: String) -> String {
        SecretDigest.hmac("\(purpose)|\(binding)", key: key)
    }

    /// Whether a form post is same-origin and carries the token issued for this browser.
    /// Fetch Metadata decides where browsers send it; otherwise `Origin`, except the `null` that `Referrer-Policy: no-referrer`
    /// makes browsers send on same-origin posts.
    func isValid(_ request: Request, form: FormBody, purpose: String, binding: String?) -> Bool {
        guard isSameOrigin(request), let binding, let presented = form["csrf"] else { return false }
        return SecretDigest.constantTimeEquals(presented, token(purpose: purpose, binding: binding))
    }

    /// Whether a post comes from this server's own pages, by Fetch Metadata, else by `Origin`.
    func isSameOrigin(_ request: Request) -> Bool {
        if let site = request.headers[.secFetchSite] { return site == "same-origin" || site == "none" }
        if let origin = request.headers[.origin] { return origin == "null" || origin == issuerOrigin }
        return true
    }
}
