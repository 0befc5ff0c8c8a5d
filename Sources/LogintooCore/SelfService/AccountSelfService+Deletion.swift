/// "Delete my account": the person asks on the account page, a one-time code goes to the account's address, and
/// entering it in the same browser erases the account as an operator's erasure does (`AccountAdministration.erase`,
/// actor `self`). The code is a sign-in code's kind: made and kept (an HMAC) by the same machinery, as many digits, as
/// long-lived and with as many attempts; it works once, and goes with the session that asked.
extension AccountSelfService {
    /// What asking for a deletion code did.
    public enum DeletionRequest: Sendable, Equatable {
        /// The code was queued for the account's address.
        case sent(email: String)
        /// A code was sent to this browser less than `Policy.sendInterval` ago; that one still works.
        case tooSoon
        case signedOut
    }

    /// Sends a deletion code to the account's address, in `language`, replacing the session's earlier one.
    public func requestDeletion(sessionToken: String, language: String) async throws -> DeletionRequest {
        guard let (session, account) = try await signedIn(sessionToken) else { return .signedOut }
        let now = clock.now()
        let id = random.token(bytes: 16)
        let code = signIn.makeCode(digits: policy.codeDigits)
        let email = AccountDeletionEmail(to: account.email, code: code, lifetimeMinutes: Int(policy.codeLifetime / 60),
                                         language: language, accountURL: policy.issuer + "/account")
        let message = OutboxMessage(
            id: id, recipient: account.email,
            sealedContent: try Sealing.seal(try JSONText.encode(email.message()), key: signIn.outboxKey),
            createdAt: now, expiresAt: now + policy.codeLifetime, nextAttemptAt: now)
        let record = AccountDeletionCode(sessionHash: session.idHash, id: id, codeHash: signIn.codeDigest(code, challengeId: id),
                                         sentAt: now, expiresAt: now + policy.codeLifetime)
        // However many sessions ask, the address gets no more of these emails an hour than of sign-in codes.
        let limit = RateLimit(key: "deletion:account:" + account.id, limit: policy.sendsPerAddressPerHour, window: 3600)
        guard try await store.issueDeletionCode(record, message: message, resendInterval: policy.sendInterval, limit: limit) else {
            return .tooSoon
        }
        return .sent(email: account.email)
    }

    /// What entering a deletion code did.
    public enum Deletion: Sendable, Equatable {
        /// The account is erased; its audit records name `pseudonym`.
        case erased(pseudonym: String)
        /// A wrong code; with none left, the code is now burned.
        case wrongCode(attemptsLeft: Int)
        /// No live code: never asked, expired, used, or burned by wrong entries.
        case noLiveCode
        case malformed
        case signedOut
    }

    /// Checks the code against this browser's live deletion code, counting the attempt first and comparing in
    /// constant time; the right one, used once, erases the account.
    public func confirmDeletion(sessionToken: String, code rawCode: String) async throws -> Deletion {
        guard let (session, account) = try await signedIn(sessionToken) else { return .signedOut }
        let code = rawCode.filter { !$0.isWhitespace && $0 != "-" }
        guard code.count == policy.codeDigits, code.allSatisfy(\.isASCII), code.allSatisfy(\.isNumber) else { return .malformed }
        let now = clock.now()
        let maxAttempts = policy.codeMaxAttempts
        guard let live = try await store.beginDeletionAttempt(sessionHash: session.idHash, maxAttempts: maxAttempts, now: now)
        else { return .noLiveCode }
        guard SecretDigest.constantTimeEquals(live.codeHash, signIn.codeDigest(code, challengeId: live.id)) else {
            return .wrongCode(attemptsLeft: maxAttempts - live.attempts)
        }
        guard try await store.useDeletionCode(sessionHash: session.idHash, id: live.id, now: now),
              let pseudonym = try await administration.erase(id: account.id, actor: Self.actor)
        else { return .noLiveCode }
        return .erased(pseudonym: pseudonym)
    }
}
