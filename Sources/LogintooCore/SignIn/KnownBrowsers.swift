/// The cookies a browser presents that may show it signed in before: the long-lived known-browser cookie and the
/// session cookie, as their raw values.
public struct BrowserCredentials: Sendable, Equatable {
    public var knownBrowserToken: String?
    public var sessionToken: String?

    public init(knownBrowserToken: String? = nil, sessionToken: String? = nil) {
        (self.knownBrowserToken, self.sessionToken) = (knownBrowserToken, sessionToken)
    }
}

/// Known browsers (docs/security.md: known and unknown browsers): remembered when a sign-in completes (`complete`),
/// recognised by their cookie or their live session.
extension SignInService {
    /// The facts `KnownBrowserRule` decides on: for each cookie that is valid, its digest and its account's address.
    /// The look-ups depend only on the cookies, never on the address typed.
    func evidence(_ credentials: BrowserCredentials, now: Int64) async throws -> BrowserEvidence {
        var evidence = BrowserEvidence()
        if let token = credentials.knownBrowserToken, token.utf8.count <= 64 {
            let hash = SecretDigest.sha256(token)
            if let account = try await store.knownBrowserAccount(tokenHash: hash, now: now) {
                evidence.knownBrowser = .init(id: hash, address: account.email)
            }
        }
        if let token = credentials.sessionToken, token.utf8.count <= 64 {
            let hash = SecretDigest.sha256(token)
            if let session = try await store.liveSession(idHash: hash, idleLifetime: policy.sessionIdleLifetime, now: now),
               let account = try await store.account(id: session.accountId) {
                evidence.session = .init(id: hash, address: account.email)
            }
        }
        return evidence
    }
}
