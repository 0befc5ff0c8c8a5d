/// What the store knows about a presented refresh token, read by the rotation that decides on it.
public struct RefreshTokenFacts: Sendable, Equatable {
    /// The grant, whose tokens form the family.
    public var grantId: String
    /// The client the grant was issued to.
    public var clientId: String
    /// When the token itself stops working.
    public var expiresAt: Int64
    /// When the token was rotated, or replaced by a retry of its predecessor; `nil` while it is the family's live head.
    public var retiredAt: Int64?
    /// The grant's absolute end, and its revocation.
    public var grantExpiresAt: Int64
    public var grantRevokedAt: Int64?
    /// The token's successor while that successor has never been presented (it is the family's live head); `nil` when
    /// the token has no successor or its successor was used. Read only for a retired token.
    public var unusedSuccessor: String?
    /// The last activity of the grant's SSO session while that session lasts; `nil` when there is none.
    public var sessionLastSeenAt: Int64?
    /// The DPoP key the grant is bound to (RFC 9449 §5), read in the same transaction.
    public var dpopJkt: String?

    public init(grantId: String, clientId: String, expiresAt: Int64, retiredAt: Int64?, grantExpiresAt: Int64,
                grantRevokedAt: Int64?, unusedSuccessor: String?, sessionLastSeenAt: Int64?, dpopJkt: String? = nil) {
        self.dpopJkt = dpopJkt
        self.grantId = grantId
        self.clientId = clientId
        self.expiresAt = expiresAt
        self.retiredAt = retiredAt
        self.grantExpiresAt = grantExpiresAt
        self.grantRevokedAt = grantRevokedAt
        self.unusedSuccessor = unusedSuccessor
        self.sessionLastSeenAt = sessionLastSeenAt
    }
}

/// A presented refresh token as the store read it, in the transaction that rotates it: the token with its grant and the
/// grant's account, and the family's state around it.
public struct PresentedRefreshToken: Sendable, Equatable {
    public var token: RefreshToken
    public var grant: Grant
    /// `nil` when the account no longer exists.
    public var account: Account?
    /// The token's successor while that successor has never been presented; read only for a retired token.
    public var unusedSuccessor: String?
    /// The last activity of the grant's SSO session while that session lasts; `nil` when there is none.
    public var sessionLastSeenAt: Int64?

    public init(token: RefreshToken, grant: Grant, account: Account?, unusedSuccessor: String?, sessionLastSeenAt: Int64?) {
        self.token = token
        self.grant = grant
        self.account = account
        self.unusedSuccessor = unusedSuccessor
        self.sessionLastSeenAt = sessionLastSeenAt
    }

    /// What the rotation rule decides on.
    public var facts: RefreshTokenFacts {
        RefreshTokenFacts(grantId: grant.id, clientId: grant.clientId, expiresAt: token.expiresAt, retiredAt: token.retiredAt,
                          grantExpiresAt: grant.expiresAt, grantRevokedAt: grant.revokedAt, unusedSuccessor: unusedSuccessor,
                          sessionLastSeenAt: sessionLastSeenAt, dpopJkt: grant.dpopJkt)
    }
}

/// What a rotation's transaction writes, decided from what it read.
public struct RotationPlan: Sendable, Equatable {
    public var decision: RefreshRotation.Decision
    /// The family's next token, added when the decision rotates the token or replaces its unused successor.
    public var replacement: RefreshToken
    /// The DPoP key an unbound grant is bound to when its token rotates (RFC 9449 §5).
    public var binding: String?

    public init(decision: RefreshRotation.Decision, replacement: RefreshToken, binding: String? = nil) {
        self.decision = decision
        self.replacement = replacement
        self.binding = binding
    }
}

/// Refresh-token rotation with reuse detection (docs/security.md F37, F38, F40; RFC 9700 §4.14.2): a token is used
/// once; a retry of the immediate predecessor within the grace replaces the successor it duplicates, so a family has
/// one live head at every moment; any other retired token coming back is reuse and revokes the family.
public enum RefreshRotation {
    /// What the store does with the presented token, in the transaction that read its facts.
    public enum Decision: Sendable, Equatable {
        /// The token is the live head: retire it and add the replacement as the new head.
        case rotate(touchingSession: Bool)
        /// A retry within the grace: retire this unused successor (the presented token's twin) and add the replacement
        /// in its place, so the family keeps one live head.
        case replaceUnusedSuccessor(String, touchingSession: Bool)
        /// A retired token came back outside the grace, or its successor was already used: revoke the family.
        case reuse
        /// A token the decision would rotate, of a grant bound to a DPoP key, without a proof by that key: refuse, change
        /// nothing. Reuse is decided first: a retired token revokes its family whatever proof comes with it.
        case keyMismatch(proofMissing: Bool)
        /// Another client's token, an expired one, or one of a revoked or ended grant: refuse, change nothing.
        case invalid
    }

    /// The decision for a token presented by `clientId` at `now` with a DPoP proof by `proofKey`, if any; `grace` is how
    /// many seconds after its rotation the immediate predecessor may be retried (0: never).
    public static func decide(_ presented: RefreshTokenFacts, clientId: String, grace: Int64, now: Int64,
                              proofKey: String? = nil) -> Decision {
        let decision = decideIgnoringKey(presented, clientId: clientId, grace: grace, now: now)
        switch decision {
        case .rotate, .replaceUnusedSuccessor:
            guard let bound = presented.dpopJkt, bound != proofKey else { return decision }
            return .keyMismatch(proofMissing: proofKey == nil)
        case .reuse, .invalid, .keyMismatch:
            return decision
        }
    }

    static func decideIgnoringKey(_ presented: RefreshTokenFacts, clientId: String, grace: Int64, now: Int64) -> Decision {
        guard presented.clientId == clientId, presented.grantRevokedAt == nil, presented.grantExpiresAt > now else {
            return .invalid
        }
        let touching = SessionActivity.isWorthRecording(lastSeenAt: presented.sessionLastSeenAt, now: now)
        guard let retiredAt = presented.retiredAt else {
            return presented.expiresAt > now ? .rotate(touchingSession: touching) : .invalid
        }
        // A replaced successor has no successor of its own, so it never qualifies: it is not a predecessor.
        if let twin = presented.unusedSuccessor, grace > 0, now - retiredAt <= grace {
            return .replaceUnusedSuccessor(twin, touchingSession: touching)
        }
        return .reuse
    }
}
