import Crypto

/// The "passkey added" email of a new passkey, sealed for the outbox, and its "this wasn't me" link (only the token's
/// digest), to be written in the transaction that adds the passkey.
struct PasskeyAddedNotice {
    let message: OutboxMessage
    let link: PasskeyRevocationLink

    /// Where the email's link leads; `t` carries the token.
    static let notMePath = "/passkeys/not-me"

    /// `token` is the link's secret, `messageId` the outbox row's id; the email speaks `language` and names `browser`.
    static func make(passkey: Passkey, email: String, token: String, messageId: String, language: String, browser: String?,
                     issuer: String, lifetime: Int64, composer: any SignInEmailComposer, outboxKey: SymmetricKey) throws
        -> PasskeyAddedNotice {
        let now = passkey.createdAt
        let content = composer.compose(PasskeyAddedEmail(
            to: email, passkeyName: passkey.name, language: language, addedAt: now, browser: browser,
            notMeURL: issuer + notMePath + "?t=" + token))
        let message = OutboxMessage(
            id: messageId, recipient: email, sealedContent: try Sealing.seal(try JSONText.encode(content), key: outboxKey),
            createdAt: now, expiresAt: now + lifetime, nextAttemptAt: now)
        let link = PasskeyRevocationLink(
            tokenHash: SecretDigest.sha256(token), accountId: passkey.accountId, credentialId: passkey.credentialId, email: email,
            passkeyName: passkey.name, createdAt: now, expiresAt: now + lifetime)
        return PasskeyAddedNotice(message: message, link: link)
    }
}
