import HTTPTypes
import Hummingbird
import LogintooCore

/// CSRF defence for the hosted forms: a token bound to the browser cookie (signed double submit), and Fetch Metadata / Origin.
struct CSRF {
    let server: ServerContext

    func token(purpose: String, binding: String) -> String {
        SecretDigest.hmac("\(purpose)|\(binding)", key: server.csrfKey)
    }

    /// Whether a form post is same-origin and carries the token issued for this browser.
    /// Fetch Metadata decides where browsers send it; otherwise `Origin`, except the `null` that `Referrer-Policy: no-referrer`
    /// makes browsers send on same-origin posts.
    func isValid(_ request: Request, form: FormBody, purpose: String, binding: String?) -> Bool {
        if let site = request.headers[.secFetchSite] {
            guard site == "same-origin" || site == "none" else { return false }
        } else if let origin = request.headers[.origin], origin != "null", origin != server.issuerOrigin {
            return false
        }
        guard let binding, let presented = form["csrf"] else { return false }
        return SecretDigest.constantTimeEquals(presented, token(purpose: purpose, binding: binding))
    }
}
