/// Whether a logout request ends the browser's session now, asks first, or has nothing to end (OpenID Connect
/// RP-Initiated Logout 1.0 §2, §6; docs/security.md B15, B17). A link only ends the session of the account it was made
/// for: an `id_token_hint` skips the question only when its `sub` (and `sid`, when it has one) match the browser's
/// session, so a page that plants its own ID token in someone else's browser ends nothing. Otherwise the person is asked,
/// and only a POST carrying the confirmation page's CSRF token ends the session.
public enum LogoutDecision {
    public enum Outcome: Sendable, Equatable {
        /// End the browser's session and revoke its grants.
        case endSession
        /// Show the confirmation page; nothing changes until the person confirms.
        case ask
        /// A confirmation that did not come from this browser's page: refuse it, end nothing.
        case refuse
        /// The browser holds no live session: nothing of anyone's is ended (a stale cookie is only cleared).
        case nothingToEnd
    }

    /// What the browser's session cookie names.
    public enum Browser: Sendable, Equatable {
        /// No session cookie.
        case noCookie
        /// A cookie whose session has ended or expired.
        case noLiveSession
        case live(Session)
    }

    /// The facts of the browser's live session that a hint is compared with.
    public struct Session: Sendable, Equatable {
        public var accountId: String
        /// The session's `sid`, when its ID tokens carry one.
        public var sid: String?

        public init(accountId: String, sid: String?) {
            self.accountId = accountId
            self.sid = sid
        }
    }

    /// The claims of an `id_token_hint` whose signature and issuer were verified.
    public struct Hint: Sendable, Equatable {
        public var sub: String
        public var sid: String?

        public init(sub: String, sid: String?) {
            self.sub = sub
            self.sid = sid
        }

        /// Whether the hint was made for this session's account (and, when it names a `sid`, for this very session).
        public func matches(_ session: Session) -> Bool {
            guard sub == session.accountId else { return false }
            guard let sid else { return true }
            return sid == session.sid
        }
    }

    /// How the request came: a link (GET, maybe with a hint), or the confirmation form (POST).
    public enum Request: Sendable, Equatable {
        case link(hint: Hint?)
        case confirmation(csrfValid: Bool)
    }

    public static func decide(browser: Browser, request: Request) -> Outcome {
        switch (request, browser) {
        case (.confirmation, .noCookie):
            // A cross-site POST carries no Lax session cookie: whatever it says, it is refused, so its answer clears
            // nothing in the browser either.
            return .refuse
        case (.confirmation(let csrfValid), _):
            // The page's token is bound to this browser's cookie: a valid one proves this browser asked, so whatever is
            // left of its session (grants of an expired one included) ends.
            return csrfValid ? .endSession : .refuse
        case (.link, .noCookie):
            return .nothingToEnd
        case (.link, .noLiveSession):
            return .nothingToEnd
        case (.link(let hint), .live(let session)):
            guard let hint, hint.matches(session) else { return .ask }
            return .endSession
        }
    }
}
