/// The "this wasn't me" link of a "passkey added" email: its token's digest, the passkey it removes and the account whose
/// sessions it ends. Usable once, until `expiresAt`.
public struct PasskeyRevocationLink: Sendable, Codable, Equatable {
    public var tokenHash: String
    public var accountId: String
    public var credentialId: String
    /// The address the email went to, shown on the confirmation page.
    public var email: String
    /// The passkey's name when it was added, shown on the confirmation page.
    public var passkeyName: String
    /// When the passkey was added.
    public var createdAt: Int64
    public var expiresAt: Int64

    public init(tokenHash: String, accountId: String, credentialId: String, email: String, passkeyName: String, createdAt: Int64,
                expiresAt: Int64) {
        (self.tokenHash, self.accountId, self.credentialId, self.email, self.passkeyName, self.createdAt, self.expiresAt) =
            (tokenHash, accountId, credentialId, email, passkeyName, createdAt, expiresAt)
    }
}

/// What following a "passkey added" email's "this wasn't me" link did.
public struct PasskeyRevocation: Sendable, Equatable {
    /// The link, now used.
    public var link: PasskeyRevocationLink
    /// False when the passkey had been removed already (at the account page, by the operator).
    public var passkeyRemoved: Bool
    /// How many sessions of the account were ended (those not ended before; their grants revoked).
    public var sessionsEnded: Int

    public init(link: PasskeyRevocationLink, passkeyRemoved: Bool, sessionsEnded: Int) {
        (self.link, self.passkeyRemoved, self.sessionsEnded) = (link, passkeyRemoved, sessionsEnded)
    }
}
