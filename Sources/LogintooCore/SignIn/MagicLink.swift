import Crypto

/// The magic link in the sign-in email. Opening it never signs in by itself (mail scanners open links): the person
/// confirms with a POST. In the browser that asked, that finishes the sign-in at once. On another device it approves
/// the waiting browser, which finishes by itself; that device must enter the two-digit number the waiting browser
/// shows, so that a stranger who asked for a code cannot be let in by one careless click.
extension SignInService {
    /// What the confirmation page needs.
    public struct LinkTarget: Sendable, Equatable {
        public let login: LoginTransaction
        /// The sign-in's client: a link of a client removed since leads nowhere.
        public let client: Client
        /// The link's code, whose address and lane a sign-in by the link has.
        let challenge: Challenge
        public let email: String
        /// The link was opened in the browser that asked for it.
        public let sameBrowser: Bool
    }

    public enum LinkOutcome: Sendable, Equatable {
        /// Same browser: signed in.
        case signedIn(SignedIn)
        /// Same browser, but the account is disabled: the link is used and nothing else happened.
        case accountDisabled
        /// Another device approved the waiting browser.
        case approved
        /// The number was wrong: the link is burned (the code still works).
        case wrongNumber
        case invalid
    }

    /// The two-digit number the waiting browser shows for this login, derived so that nothing extra is stored.
    public func confirmationNumber(loginId: String) -> String {
        let digest = Array(HMAC<SHA256>.authenticationCode(for: Array(("link-number|" + loginId).utf8), using: codeKey))
        let number = (Int(digest[0]) << 8 | Int(digest[1])) % 90 + 10
        return String(number)
    }

    public func linkTarget(token: String, browserHash: String?) async throws -> LinkTarget? {
        guard token.utf8.count <= 64,
              let challenge = try await store.liveChallenge(linkHash: SecretDigest.sha256(token), now: clock.now()),
              let login = try await store.login(id: challenge.loginId), login.expiresAt > clock.now(),
              let client = try await store.client(id: login.request.clientId)
        else { return nil }
        let same = browserHash.map { SecretDigest.constantTimeEquals($0, login.browserHash) } ?? false
        return LinkTarget(login: login, client: client, challenge: challenge, email: challenge.email, sameBrowser: same)
    }

    /// Confirms a magic link. `number` is required when the link is opened away from the browser that asked; a sign-in
    /// in the browser that asked makes its session at `origin`.
    public func confirmLink(token: String, browserHash: String?, number: String?, origin: SessionOrigin = .unknown)
        async throws -> LinkOutcome {
        guard let target = try await linkTarget(token: token, browserHash: browserHash) else { return .invalid }
        let hash = SecretDigest.sha256(token)
        if target.sameBrowser {
            switch try await complete(target.login, email: target.challenge.email, lane: target.challenge.codeLane,
                                      proof: .link(linkHash: hash, challengeId: target.challenge.id), method: .emailCode,
                                      delivery: .browser, origin: origin) {
            case .signedIn(let signedIn)?: return .signedIn(signedIn)
            case .accountDisabled?: return .accountDisabled
            default: return .invalid
            }
        }
        let expected = confirmationNumber(loginId: target.login.id)
        guard let number, SecretDigest.constantTimeEquals(number.filter(\.isNumber), expected) else {
            try await store.burnLink(linkHash: hash)
            return .wrongNumber
        }
        return try await store.approveLink(linkHash: hash, now: clock.now()) ? .approved : .invalid
    }

    /// Whether the waiting browser's sign-in was approved on another device.
    public func isApproved(_ open: OpenLogin) async throws -> Bool {
        try await store.approvedChallenge(loginId: open.login.id) != nil
    }

    /// Finishes a sign-in approved on another device, in the browser that asked; `nil` while it is not approved, or once
    /// a concurrent request finished it. The session is made at `origin`.
    public func completeApproved(_ open: OpenLogin, origin: SessionOrigin = .unknown) async throws -> VerifyOutcome? {
        let login = open.login
        guard let challenge = try await store.approvedChallenge(loginId: login.id) else { return nil }
        return try await complete(login, email: challenge.email, lane: challenge.codeLane, proof: .approval(challengeId: challenge.id),
                                  method: .emailCode, delivery: .browser, origin: origin)
    }
}
