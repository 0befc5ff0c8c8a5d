/// An account as an operator's search lists it: the address, whether it is disabled, and when it last signed in.
public struct AccountSummary: Sendable, Codable, Equatable {
    public var account: Account
    /// The newest session's sign-in, `nil` when none is kept.
    public var lastSignInAt: Int64?

    public init(account: Account, lastSignInAt: Int64?) {
        self.account = account
        self.lastSignInAt = lastSignInAt
    }
}

/// What disabling an account or ending its sessions ended.
public struct AccountLockout: Sendable, Equatable {
    public var sessionsEnded: Int
    public var grantsRevoked: Int

    public init(sessionsEnded: Int, grantsRevoked: Int) {
        self.sessionsEnded = sessionsEnded
        self.grantsRevoked = grantsRevoked
    }
}
