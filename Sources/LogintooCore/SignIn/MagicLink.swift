import Crypto

/// The magic link in the sign-in email. Opening it never signs in by itself (mail scanners open links): the person
/// confirms with a POST. In the browser that asked, that finishes the sign-in at once. On another device it approves
/// the waiting browser, which finishes by itself; that device must enter the two-digit number the waiting browser
/// shows, so that a stranger who asked for a code cannot be let in by one careless click.
extension SignInService {
    /// What the confirmation page needs.
    public struct LinkTarget: Sendable, Equatable {
        public let login: LoginTransaction
        public let email: String
        /// The link was opened in the browser that asked for it.
        public let sameBrowser: Bool
    }

    public enum LinkOutcome: Sendable, Equatable {
        /// Same browser: signed in.
        case signedIn(VerifyOutcome, LoginTransaction)
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
              let login = try await store.login(id: challenge.loginId), login.expiresAt > clock.now()
        else { return nil }
        let same = browserHash.map { SecretDigest.constantTimeEquals($0, login.browserHash) } ?? false
        return LinkTarget(login: login, email: challenge.email, sameBrowser: same)
    }

    /// Confirms a magic link. `number` is required when the link is opened away from the browser that asked.
    public func confirmLink(token: String, browserHash: String?, number: String?) async throws -> LinkOutcome {
        guard let target = try await linkTarget(token: token, browserHash: browserHash) else { return .invalid }
        let hash = SecretDigest.sha256(token)
        let now = clock.now()
        if target.sameBrowser {
            guard let challenge = try await store.useLink(linkHash: hash, approve: false, now: now) else { return .invalid }
            let outcome = try await signIn(email: challenge.email, loginId: target.login.id, clientId: target.login.request.clientId,
                                           now: now, lane: challenge.codeLane)
            return .signedIn(outcome, target.login)
        }
        let expected = confirmationNumber(loginId: target.login.id)
        guard let number, SecretDigest.constantTimeEquals(number.filter(\.isNumber), expected) else {
            try await store.burnLink(linkHash: hash)
            return .wrongNumber
        }
        return try await store.useLink(linkHash: hash, approve: true, now: now) == nil ? .invalid : .approved
    }

    /// Whether the waiting browser's sign-in was approved on another device.
    public func isApproved(loginId: String, browserHash: String) async throws -> Bool {
        let login = try await login(id: loginId, browserHash: browserHash)
        return try await store.approvedChallenge(loginId: login.id) != nil
    }

    /// Finishes a sign-in approved on another device, in the browser that asked; `nil` while it is not approved.
    public func completeApproved(loginId: String, browserHash: String) async throws -> VerifyOutcome? {
        let login = try await login(id: loginId, browserHash: browserHash)
        guard let challenge = try await store.claimApprovedLogin(id: login.id) else { return nil }
        return try await signIn(email: challenge.email, loginId: login.id, clientId: login.request.clientId, now: clock.now(),
                                lane: challenge.codeLane)
    }
}
