/// Whose live code and budgets a sign-in uses for one mailbox (docs/security.md: known and unknown browsers).
///
/// A person who targets someone else's address can spend what every unknown browser shares, but not what belongs to a
/// browser that signed in to that account before: such a browser keeps its own live code, its own send allowance and
/// its own failure budget. Minting a known browser for an account takes a sign-in to it, so an attacker has none.
public enum CodeLane: Sendable, Equatable, Hashable {
    /// Every browser that has not signed in to the account: one live code and one set of budgets, shared.
    case unknownBrowsers
    /// A browser that signed in to the account before, named by the digest of what it holds.
    case knownBrowser(String)

    /// The lane as stored with a challenge: empty for unknown browsers.
    public var stored: String {
        switch self {
        case .unknownBrowsers: ""
        case .knownBrowser(let id): id
        }
    }

    public init(stored: String) {
        self = stored.isEmpty ? .unknownBrowsers : .knownBrowser(stored)
    }

    /// This lane's own copy of a per-address counter: unknown browsers share `limit`; a known browser counts apart.
    public func scoped(_ limit: RateLimit) -> RateLimit {
        guard case .knownBrowser(let id) = self else { return limit }
        var own = limit
        own.key = limit.key + "|browser:" + id
        return own
    }
}

/// What a browser presents that may show it signed in to an account before, with the address of that account.
public struct BrowserEvidence: Sendable, Equatable {
    /// One piece of evidence: a stable id (a digest of the cookie) and the address of the account it is bound to.
    public struct Proof: Sendable, Equatable {
        public var id: String
        public var address: String
        public init(id: String, address: String) { (self.id, self.address) = (id, address) }
    }

    /// The long-lived cookie set at every sign-in.
    public var knownBrowser: Proof?
    /// A live single sign-on session.
    public var session: Proof?

    public init(knownBrowser: Proof? = nil, session: Proof? = nil) {
        (self.knownBrowser, self.session) = (knownBrowser, session)
    }
}

/// Which lane a browser's sign-in for an address takes.
public enum KnownBrowserRule {
    /// A known browser's lane when its cookie, or else its session, belongs to the account of exactly this address;
    /// otherwise the one every unknown browser shares. Not the mailbox: `bob+evil@` and `bob@` are two accounts, and
    /// on a domain without tags two inboxes, so signing in to one must not make a browser known for the other. The
    /// evidence depends only on the browser, never on whether the address has an account, so the answer page and its
    /// timing say nothing about the address.
    public static func lane(for address: String, evidence: BrowserEvidence) -> CodeLane {
        if let cookie = evidence.knownBrowser, cookie.address == address { return .knownBrowser("kb:" + cookie.id) }
        if let session = evidence.session, session.address == address { return .knownBrowser("s:" + session.id) }
        return .unknownBrowsers
    }
}
