import Hummingbird
import LogintooCore

extension CSRF {
    /// Whether a JSON post of the pages' script is same-origin and carries the token issued for this browser, as
    /// `isValid(_:form:purpose:binding:)` checks a form's.
    func isValid(_ request: Request, presented: String?, purpose: String, binding: String?) -> Bool {
        guard isSameOrigin(request), let binding, let presented else { return false }
        return SecretDigest.constantTimeEquals(presented, token(purpose: purpose, binding: binding))
    }

    /// The token of the forms and scripts that act for a live session (the passkey offer, the account page), bound to it.
    func sessionToken(for session: String) -> String { token(purpose: "session", binding: session) }
}
