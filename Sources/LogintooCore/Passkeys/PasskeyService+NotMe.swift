/// "This wasn't me", from the link in a "passkey added" email: a confirmation shows what the link would do, and the
/// person's confirmation removes that passkey and signs the account out everywhere, so whoever added it without the
/// owner loses both the passkey and the session they added it from.
extension PasskeyService {
    /// The link's facts while it can still be used; `nil` when it is unknown, used or expired. Changes nothing: mail
    /// scanners open links.
    public func notMeLink(token: String) async throws -> PasskeyRevocationLink? {
        guard Self.isPlausibleLinkToken(token) else { return nil }
        return try await store.passkeyRevocationLink(tokenHash: SecretDigest.sha256(token), now: clock.now())
    }

    /// Uses the link once: removes its passkey, ends every live session of the account and revokes their grants, and
    /// records both in the audit trail. `nil` when the link is unknown, used or expired.
    public func notMe(token: String) async throws -> PasskeyRevocation? {
        guard Self.isPlausibleLinkToken(token),
              let revocation = try await store.revokePasskey(tokenHash: SecretDigest.sha256(token), now: clock.now())
        else { return nil }
        let link = revocation.link
        if revocation.passkeyRemoved { await events.record(.passkeyRemoved(email: link.email, accountId: link.accountId)) }
        await events.record(.sessionsEnded(email: link.email, accountId: link.accountId, count: revocation.sessionsEnded))
        return revocation
    }

    /// A link's token is 32 random bytes in base64url; anything much longer is not one, and is not hashed.
    static func isPlausibleLinkToken(_ token: String) -> Bool { token.utf8.count <= 64 }
}
