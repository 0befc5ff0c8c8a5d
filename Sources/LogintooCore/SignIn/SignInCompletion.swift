/// How a sign-in was proved, as its completion uses the proof up.
public enum SignInProof: Sendable, Equatable {
    /// The emailed code, checked against challenge `challengeId`: the completion consumes that challenge.
    case code(challengeId: String)
    /// The magic link with this digest, opened in the browser that asked: the completion uses the link (and so the code)
    /// of challenge `challengeId`.
    case link(linkHash: String, challengeId: String)
    /// Challenge `challengeId`'s link, confirmed on another device: the waiting browser claims the approval.
    case approval(challengeId: String)
    /// A passkey of `accountId` answered ceremony `ceremonyId`: the completion uses the ceremony and records the
    /// authenticator's new `signCount` and the time of use on the passkey.
    case passkey(ceremonyId: String, credentialId: String, accountId: String, signCount: Int64)

    /// The passkey the sign-in is proved with, if it is one.
    public var passkeyId: String? {
        if case .passkey(_, let credentialId, _, _) = self { credentialId } else { nil }
    }
}

/// A proven sign-in, ready to complete: the login it ends, the proof it uses up, the account it signs in to, and the
/// failure counters it forgets.
public struct SignInCompletion: Sendable, Equatable {
    public var loginId: String
    public var proof: SignInProof
    public var email: String
    /// The spelling the account may still be kept under (`AccountStore.findOrCreateAccount`).
    public var formerEmail: String?
    /// The id a new account gets.
    public var newAccountId: String
    /// The rate-limit keys the sign-in forgets (`SignInService.forgetsFailures`).
    public var forgettingLimits: [String]

    public init(loginId: String, proof: SignInProof, email: String, formerEmail: String?, newAccountId: String,
                forgettingLimits: [String]) {
        self.loginId = loginId
        self.proof = proof
        self.email = email
        self.formerEmail = formerEmail
        self.newAccountId = newAccountId
        self.forgettingLimits = forgettingLimits
    }
}

/// What a completed sign-in writes for its account: the new session, the authorization code that takes the person back
/// to the client, and the browser the account now knows (none for the Logintoo API, which has no browser cookie).
public struct SignInRecords: Sendable, Equatable {
    public var session: Session
    public var code: AuthorizationCode
    public var knownBrowser: KnownBrowser?

    public init(session: Session, code: AuthorizationCode, knownBrowser: KnownBrowser?) {
        (self.session, self.code, self.knownBrowser) = (session, code, knownBrowser)
    }
}

/// What completing a sign-in did.
public enum SignInCompletionOutcome: Sendable, Equatable {
    /// Signed in: these records were written for this account.
    case completed(Account, SignInRecords)
    /// The account is disabled: the proof is used and the login ended, and nothing else was written.
    case accountDisabled
    /// Nothing changed: the proof was already used or the login had ended (a concurrent request finished first, or
    /// "this wasn't me" cancelled it).
    case proofUsed
}
