import LogintooWebAuthn

/// Passkeys: adding one to a signed-in account, signing in with one, and the account's list. The ceremony checks are
/// `WebAuthnCeremony`'s; this service binds each ceremony to the browser and the sign-in it belongs to, keeps its
/// challenge single-use, and completes a passkey sign-in as an emailed code's is completed (`SignInService`).
public struct PasskeyService: Sendable {
    let store: any PasskeyStore & SessionStore & AccountStore & ClientStore
    let signIn: SignInService
    let tokens: TokenService
    let relyingParty: RelyingParty
    let clock: any WallClock
    let random: any RandomSource
    let events: any SecurityEventSink
    let policy: Policy

    public init(store: any PasskeyStore & SessionStore & AccountStore & ClientStore, signIn: SignInService, tokens: TokenService,
                relyingParty: RelyingParty, policy: Policy, clock: any WallClock, random: any RandomSource,
                events: any SecurityEventSink = DiscardingEventSink()) {
        self.store = store
        self.signIn = signIn
        self.tokens = tokens
        self.relyingParty = relyingParty
        self.policy = policy
        self.clock = clock
        self.random = random
        self.events = events
    }

    /// How long a ceremony's challenge can be answered.
    public static let ceremonyLifetime: Int64 = 300
    /// How long a "passkey added" email's "this wasn't me" link works (and its delivery is tried).
    public static let notMeLinkLifetime: Int64 = 7 * 86_400
    /// The algorithms a new passkey may use, in the order offered.
    public static let algorithms: [COSEAlgorithm] = [.es256, .edDSA, .rs256]

    /// Why a passkey was not added or did not sign in; `description` is for the log.
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        case noSession
        case unknownCeremony
        case unknownCredential
        case alreadyRegistered
        case ceremony(WebAuthnError)
        case malformed(String)

        public var description: String {
            switch self {
            case .noSession: "no live session"
            case .unknownCeremony: "the challenge is unknown, used, expired or not this browser's"
            case .unknownCredential: "no such passkey"
            case .alreadyRegistered: "this passkey is registered already"
            case .ceremony(let error): "the WebAuthn checks failed: \(error)"
            case .malformed(let what): "malformed response: \(what)"
            }
        }
    }

    // MARK: sign-in

    /// Options for `navigator.credentials.get` for the sign-in `open`, in its browser.
    public func authenticationOptions(_ open: OpenLogin) async throws -> PasskeyRequestOptions {
        let login = open.login
        let now = clock.now()
        let challenge = random.token(bytes: 32)
        try await store.savePasskeyCeremony(PasskeyCeremony(
            id: random.token(bytes: 16), challengeHash: SecretDigest.sha256(challenge), purpose: .authentication,
            browserHash: open.browserHash, accountId: nil, loginId: login.id, userVerificationRequired: false, createdAt: now,
            expiresAt: now + Self.ceremonyLifetime))
        return PasskeyRequestOptions(challenge: challenge, timeout: Int(Self.ceremonyLifetime) * 1000, rpId: relyingParty.id,
                                     userVerification: "preferred")
    }

    /// What a passkey sign-in did.
    public enum SignInOutcome: Sendable, Equatable {
        case signedIn(SignedIn)
        case accountDisabled
    }

    /// Checks the assertion against the ceremony this browser started for this sign-in and the passkey it names, then
    /// completes the sign-in in one transaction, as an emailed code does; no mail is sent. A sign-in of the Logintoo JSON
    /// API (`delivery`) runs its ceremony on the client's own login page, so that client's origins are accepted too.
    /// The session is made at `origin`.
    public func signIn(_ open: OpenLogin, response: PasskeyAssertionJSON,
                       delivery: SignInDelivery = .browser, origin: SessionOrigin = .unknown) async throws -> SignInOutcome {
        let login = open.login
        // The issuer's pages; a ceremony run on the client's own page (the Logintoo JSON API) answers its origins too.
        let party = delivery.onClientPage ? relyingParty.alsoOn(pages: open.client.allowedOrigins) : relyingParty
        guard let clientData = Base64URL.decode(response.response.clientDataJSON),
              let authenticatorData = Base64URL.decode(response.response.authenticatorData),
              let signature = Base64URL.decode(response.response.signature),
              let credentialId = Base64URL.decode(response.id), !credentialId.isEmpty
        else { throw Failure.malformed("id, clientDataJSON, authenticatorData and signature must be base64url") }
        let now = clock.now()
        guard let ceremony = try await store.liveCeremony(challengeHash: try Self.challengeHash(clientData),
                                                          purpose: .authentication, browserHash: open.browserHash, now: now),
              ceremony.loginId == login.id
        else { throw Failure.unknownCeremony }
        guard let passkey = try await store.passkey(credentialId: Base64URL.encode(credentialId)),
              let account = try await store.account(id: passkey.accountId)
        else { throw Failure.unknownCredential }
        if let handle = response.response.userHandle.flatMap(Base64URL.decode), handle != Array(account.id.utf8) {
            throw Failure.unknownCredential
        }
        guard let publicKey = Base64URL.decode(passkey.publicKey) else { throw Failure.unknownCredential }
        let challenge = try Self.challengeBytes(clientData)
        let verified: VerifiedAssertion
        do {
            verified = try WebAuthnCeremony.verifyAssertion(
                AssertionResponse(credentialId: credentialId, clientDataJSON: clientData, authenticatorData: authenticatorData,
                                  signature: signature, userHandle: response.response.userHandle.flatMap(Base64URL.decode)),
                expecting: AssertionExpectation(challenge: challenge, relyingParty: party,
                                                userVerificationRequired: ceremony.userVerificationRequired,
                                                publicKeyBytes: publicKey, storedSignCount: UInt32(clamping: passkey.signCount)))
        } catch {
            throw Failure.ceremony(error)
        }
        if verified.counterWentBackwards {
            await events.record(.passkeyCounterWentBackwards(accountId: account.id, credentialId: passkey.credentialId))
        }
        let proof = SignInProof.passkey(ceremonyId: ceremony.id, credentialId: passkey.credentialId, accountId: account.id,
                                        signCount: Int64(verified.signCount))
        switch try await signIn.complete(login, email: account.email, lane: nil, proof: proof,
                                          method: .passkey(userVerified: verified.userVerified), delivery: delivery,
                                          origin: origin) {
        case .signedIn(let signedIn)?: return .signedIn(signedIn)
        case .accountDisabled?: return .accountDisabled
        default: throw Failure.unknownCeremony
        }
    }

    // MARK: the account's passkeys

    /// The account of the live session `sessionToken` and its passkeys, newest first.
    public func passkeys(sessionToken: String) async throws -> (Account, [Passkey])? {
        guard let (_, account) = try await liveAccount(sessionToken: sessionToken) else { return nil }
        return (account, try await store.passkeys(accountId: account.id))
    }

    /// Whether the account has no passkey yet, so a browser that signed in with a code may be offered one.
    public func offersEnrollment(accountId: String) async throws -> Bool {
        try await store.passkeys(accountId: accountId).isEmpty
    }

    public func rename(sessionToken: String, credentialId: String, name: String) async throws -> Bool {
        guard let (_, account) = try await liveAccount(sessionToken: sessionToken) else { return false }
        return try await store.renamePasskey(credentialId: credentialId, accountId: account.id,
                                             name: Self.passkeyName(name, now: clock.now()))
    }

    public func remove(sessionToken: String, credentialId: String) async throws -> Bool {
        guard let (_, account) = try await liveAccount(sessionToken: sessionToken) else { return false }
        let removed = try await store.removePasskey(credentialId: credentialId, accountId: account.id, now: clock.now())
        if removed { await events.record(.passkeyRemoved(email: account.email, accountId: account.id)) }
        return removed
    }

    // MARK: helpers

    func liveAccount(sessionToken: String) async throws -> (Session, Account)? {
        try await SignedInBrowser.find(sessionToken: sessionToken, store: store, idleLifetime: policy.sessionIdleLifetime,
                                       now: clock.now())
    }

    /// The challenge the client data answers, as bytes; the ceremony is found by its digest.
    static func challengeBytes(_ clientDataJSON: [UInt8]) throws -> [UInt8] {
        guard let data = try? CollectedClientData.parse(clientDataJSON), let bytes = Base64URL.decode(data.challenge) else {
            throw Failure.malformed("clientDataJSON has no base64url challenge")
        }
        return bytes
    }

    static func challengeHash(_ clientDataJSON: [UInt8]) throws -> String {
        SecretDigest.sha256(Base64URL.encode(try challengeBytes(clientDataJSON)))
    }

    /// A name of at most 64 characters without control characters; a dated default when none is given.
    static func passkeyName(_ name: String?, now: Int64) -> String {
        let printable = (name ?? "").filter { !$0.isNewline && !($0.asciiValue.map { $0 < 32 || $0 == 127 } ?? false) }
        let cleaned = printable.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed()
        return cleaned.isEmpty ? "Passkey" : String(String(cleaned).prefix(64))
    }
}
