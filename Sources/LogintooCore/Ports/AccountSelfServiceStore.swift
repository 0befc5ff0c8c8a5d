/// What the account page changes beyond the operator's operations (`AccountAdministrationStore`, which it reuses): a
/// person signing out of one site, and the emailed code that confirms deleting their account.
public protocol AccountSelfServiceStore: Sendable {
    /// Atomically revokes the account's live grants to client `clientId` (their refresh and access tokens stop working);
    /// returns how many were revoked.
    func revokeGrants(accountId: String, clientId: String, now: Int64) async throws -> Int
    /// Atomically replaces the deletion code of the session `code.sessionHash` with `code` and queues `message`, which
    /// carries it, unless that session was sent one less than `resendInterval` seconds ago, or `limit` (counted in the
    /// same transaction) refuses: then nothing is written and the answer is false.
    func issueDeletionCode(_ code: AccountDeletionCode, message: OutboxMessage, resendInterval: Int64, limit: RateLimit) async throws
        -> Bool
    /// Counts an attempt at the live deletion code of session `sessionHash`: the code with the attempt counted, or `nil`
    /// when it has none that is unexpired with fewer than `maxAttempts` attempts.
    func beginDeletionAttempt(sessionHash: String, maxAttempts: Int, now: Int64) async throws -> AccountDeletionCode?
    /// Uses the deletion code `id` of session `sessionHash` once: false when it was used already or expired.
    func useDeletionCode(sessionHash: String, id: String, now: Int64) async throws -> Bool
}
