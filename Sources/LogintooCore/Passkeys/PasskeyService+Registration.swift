import LogintooWebAuthn

/// Adding a passkey to an account that signed in moments ago: in a browser at the offer after an email sign-in (the
/// session cookie), or on a client's own page through the Logintoo JSON API (the refresh token of that sign-in).
extension PasskeyService {
    /// How long after signing in a passkey may be added: the offer that follows the sign-in. Later, whoever holds the
    /// session or the token (a borrowed laptop, a stolen cookie) could otherwise bind a passkey of their own.
    public static let enrollmentWindow: Int64 = 600

    /// Who is adding a passkey: the account, the digest its ceremony is bound to (the session's, or the refresh token's
    /// grant's), and the relying party of the page it is on.
    struct Enrollment {
        let account: Account
        let binding: String
        let relyingParty: RelyingParty
        /// The client whose page adds the passkey; the email names it instead of a browser the caller describes.
        var clientName: String?
    }

    /// Options for `navigator.credentials.create` for the live session `sessionToken`, signed in within
    /// `enrollmentWindow`; `nil` without one.
    public func registrationOptions(sessionToken: String) async throws -> PasskeyCreationOptions? {
        guard let enrollment = try await enrollment(sessionToken: sessionToken) else { return nil }
        return try await registrationOptions(enrollment)
    }

    /// The same for the account of public client `clientId`'s refresh token `refreshToken` (`enrollment(refreshToken:)`);
    /// the ceremony runs on that client's page. A refresh token, unlike an access token, is never shown to an API, so no
    /// resource server can replay it here.
    public func registrationOptions(refreshToken: String, clientId: String) async throws -> PasskeyCreationOptions? {
        guard let enrollment = try await enrollment(refreshToken: refreshToken, clientId: clientId) else { return nil }
        return try await registrationOptions(enrollment)
    }

    /// Checks a new credential against the ceremony the session started, and adds it to the session's account together
    /// with the "passkey added" email to the account's address and that email's "this wasn't me" link (one transaction).
    /// `userAgent` and `acceptLanguage` are the adding browser's headers: the email names the browser and speaks its
    /// language.
    public func register(sessionToken: String, response: PasskeyRegistrationJSON, name: String? = nil, userAgent: String? = nil,
                         acceptLanguage: String? = nil) async throws -> Passkey {
        guard let enrollment = try await enrollment(sessionToken: sessionToken) else { throw Failure.noSession }
        return try await register(enrollment, response: response, name: name, userAgent: userAgent, acceptLanguage: acceptLanguage)
    }

    /// The same for the account of refresh token `refreshToken`, against the ceremony its grant started.
    public func register(refreshToken: String, clientId: String, response: PasskeyRegistrationJSON, name: String? = nil,
                         acceptLanguage: String? = nil) async throws -> Passkey {
        guard let enrollment = try await enrollment(refreshToken: refreshToken, clientId: clientId) else { throw Failure.noSession }
        return try await register(enrollment, response: response, name: name, userAgent: nil, acceptLanguage: acceptLanguage)
    }

    func registrationOptions(_ enrollment: Enrollment) async throws -> PasskeyCreationOptions {
        let now = clock.now()
        let challenge = random.token(bytes: 32)
        try await store.savePasskeyCeremony(PasskeyCeremony(
            id: random.token(bytes: 16), challengeHash: SecretDigest.sha256(challenge), purpose: .registration,
            browserHash: enrollment.binding, accountId: enrollment.account.id, loginId: nil, userVerificationRequired: false,
            createdAt: now, expiresAt: now + Self.ceremonyLifetime))
        let account = enrollment.account
        let existing = try await store.passkeys(accountId: account.id)
        return PasskeyCreationOptions(
            rp: .init(id: relyingParty.id, name: relyingParty.id),
            user: .init(id: Base64URL.encode(Array(account.id.utf8)), name: account.email, displayName: account.email),
            challenge: challenge, pubKeyCredParams: Self.algorithms.map { .init(alg: $0.rawValue) },
            timeout: Int(Self.ceremonyLifetime) * 1000, excludeCredentials: existing.map { .init(id: $0.credentialId) })
    }

    func register(_ enrollment: Enrollment, response: PasskeyRegistrationJSON, name: String?, userAgent: String?,
                  acceptLanguage: String?) async throws -> Passkey {
        let account = enrollment.account
        guard let clientData = Base64URL.decode(response.response.clientDataJSON),
              let attestation = Base64URL.decode(response.response.attestationObject)
        else { throw Failure.malformed("clientDataJSON and attestationObject must be base64url") }
        let now = clock.now()
        guard let ceremony = try await store.useCeremony(challengeHash: try Self.challengeHash(clientData), purpose: .registration,
                                                         browserHash: enrollment.binding, now: now),
              ceremony.accountId == account.id
        else { throw Failure.unknownCeremony }
        let challenge = try Self.challengeBytes(clientData)
        let verified: VerifiedRegistration
        do {
            verified = try WebAuthnCeremony.verifyRegistration(
                RegistrationResponse(clientDataJSON: clientData, attestationObject: attestation,
                                     transports: response.response.transports ?? []),
                expecting: RegistrationExpectation(challenge: challenge, relyingParty: enrollment.relyingParty,
                                                   userVerificationRequired: false, algorithms: Self.algorithms))
        } catch {
            throw Failure.ceremony(error)
        }
        let passkey = Passkey(
            credentialId: Base64URL.encode(verified.credentialId), accountId: account.id,
            publicKey: Base64URL.encode(verified.publicKeyBytes), algorithm: verified.algorithm.rawValue,
            signCount: Int64(verified.signCount), name: Self.passkeyName(name, now: now), createdAt: now,
            backedUp: verified.backedUp)
        let notice = try PasskeyAddedNotice.make(
            passkey: passkey, email: account.email, token: random.token(bytes: 32), messageId: random.token(bytes: 16),
            language: Translations.choose(uiLocales: nil, acceptLanguage: acceptLanguage), browser: enrollment.clientName ?? BrowserDescription.coarse(userAgent),
            issuer: policy.issuer, lifetime: Self.notMeLinkLifetime, composer: signIn.composer, outboxKey: signIn.outboxKey)
        guard try await store.addPasskey(passkey, notice: notice.message, link: notice.link) else { throw Failure.alreadyRegistered }
        await events.record(.passkeyAdded(email: account.email, accountId: account.id))
        return passkey
    }

    /// The live session's account, when the session signed in within `enrollmentWindow`, on the hosted pages.
    func enrollment(sessionToken: String) async throws -> Enrollment? {
        guard let (session, account) = try await liveAccount(sessionToken: sessionToken),
              clock.now() - session.authTime <= Self.enrollmentWindow
        else { return nil }
        return Enrollment(account: account, binding: session.idHash, relyingParty: relyingParty)
    }

    /// The account of public client `clientId`'s current refresh token, when the token came from the Logintoo JSON
    /// API's own sign-in (its profile) within `enrollmentWindow`; the ceremony is bound to the grant and runs on that
    /// client's page. A confidential client's token, or one from the hosted pages, adds nothing here: on the hosted pages
    /// only the person in the signed-in browser adds a passkey.
    func enrollment(refreshToken: String, clientId: String) async throws -> Enrollment? {
        guard let client = try await store.client(id: clientId), !client.isConfidential,
              let (grant, account) = try await tokens.refreshToken.currentGrant(of: refreshToken, client: client),
              grant.profile == .logintoo, clock.now() - grant.authTime <= Self.enrollmentWindow
        else { return nil }
        return Enrollment(account: account, binding: SecretDigest.sha256("grant\n" + grant.id),
                          relyingParty: relyingParty.alsoOn(pages: client.allowedOrigins), clientName: client.name)
    }
}
