/// The person a browser's session cookie speaks for, on the pages a signed-in person uses (the account page, adding a
/// passkey): the live session and its enabled account.
enum SignedInBrowser {
    /// The live session of the cookie value `sessionToken` (found by digest; an over-long value is no cookie of ours) and
    /// its account, unless the account is disabled.
    static func find(sessionToken: String, store: any SessionStore & AccountStore, idleLifetime: Int64, now: Int64)
        async throws -> (Session, Account)? {
        guard sessionToken.utf8.count <= 64,
              let session = try await store.liveSession(idHash: SecretDigest.sha256(sessionToken), idleLifetime: idleLifetime,
                                                        now: now),
              let account = try await store.account(id: session.accountId), account.disabledAt == nil
        else { return nil }
        return (session, account)
    }
}
