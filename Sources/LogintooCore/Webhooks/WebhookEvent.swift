import Foundation

/// The kinds of security event a webhook endpoint may ask for (docs/security.md N95), as they appear in a payload's
/// `type`.
public enum WebhookEventType: String, CaseIterable, Sendable, Codable {
    case signInSucceeded = "sign_in.succeeded"
    /// The account's failure budget is spent: codes are not checked until it refills.
    case signInBudgetSpent = "sign_in.budget_spent"
    /// A code was asked for while a send throttle was exhausted; nothing was sent.
    case signInCodeThrottled = "sign_in.code_throttled"
    /// "This wasn't me", from a sign-in code's email or a "passkey added" email (`reason` says which).
    case signInNotMe = "sign_in.not_me"
    /// A retired refresh token came back: its whole family is revoked.
    case refreshTokenReused = "refresh_token.reused"
    /// An authorization code was presented a second time: the grant it made is revoked.
    case authorizationCodeReplayed = "authorization_code.replayed"
    /// A session ended: logout, "sign out everywhere", or an operator.
    case sessionEnded = "session.ended"
    case accountDisabled = "account.disabled"
    case accountEnabled = "account.enabled"
    case accountErased = "account.erased"
    case passkeyAdded = "passkey.added"
    case passkeyRemoved = "passkey.removed"
    /// A new signing key was published; it signs from `activates_at`.
    case signingKeyRotated = "signing_key.rotated"
}

/// What a webhook payload's `data` says about an event: identifiers, never a code, token, secret or link.
public struct WebhookEventData: Sendable, Codable, Equatable {
    public var accountId: String?
    public var email: String?
    public var clientId: String?
    public var grantId: String?
    public var ip: String?
    /// Who asked: `cli`, `client:ID` (the admin API), `account:ID` (the console or the account's owner).
    public var actor: String?
    public var reason: String?
    public var sessionsEnded: Int?
    public var grantsRevoked: Int?
    public var kid: String?
    public var alg: String?
    public var activatesAt: Int64?

    public init(accountId: String? = nil, email: String? = nil, clientId: String? = nil, grantId: String? = nil,
                ip: String? = nil, actor: String? = nil, reason: String? = nil, sessionsEnded: Int? = nil,
                grantsRevoked: Int? = nil, kid: String? = nil, alg: String? = nil, activatesAt: Int64? = nil) {
        (self.accountId, self.email, self.clientId, self.grantId, self.ip, self.actor) = (accountId, email, clientId, grantId, ip, actor)
        (self.reason, self.sessionsEnded, self.grantsRevoked) = (reason, sessionsEnded, grantsRevoked)
        (self.kid, self.alg, self.activatesAt) = (kid, alg, activatesAt)
    }

    enum CodingKeys: String, CodingKey {
        case accountId = "account_id", email, clientId = "client_id", grantId = "grant_id", ip, actor, reason
        case sessionsEnded = "sessions_ended", grantsRevoked = "grants_revoked", kid, alg, activatesAt = "activates_at"
    }
}

/// One event as a webhook tells it.
public struct WebhookEvent: Sendable, Equatable {
    public var type: WebhookEventType
    public var data: WebhookEventData

    public init(type: WebhookEventType, data: WebhookEventData) { (self.type, self.data) = (type, data) }
}

extension SecurityEvent {
    /// The event as webhooks tell it, or `nil` for events no endpoint may ask for (codes sent, wrong codes, operators'
    /// changes to clients and roles: the audit trail keeps those).
    public var webhookEvent: WebhookEvent? {
        switch self {
        case .signedIn(let email, let account, let client):
            WebhookEvent(type: .signInSucceeded, data: .init(accountId: account, email: email, clientId: client))
        case .verificationThrottled(let email, let client):
            WebhookEvent(type: .signInBudgetSpent, data: .init(email: email, clientId: client))
        case .codeSendThrottled(let email, let client, let ip):
            WebhookEvent(type: .signInCodeThrottled, data: .init(email: email, clientId: client, ip: ip))
        case .signInsCancelled(let email):
            WebhookEvent(type: .signInNotMe, data: .init(email: email, reason: "sign_in_code_email"))
        case .sessionsEnded(let email, let account, let count):
            WebhookEvent(type: .signInNotMe, data: .init(accountId: account, email: email, reason: "passkey_added_email",
                                                         sessionsEnded: count))
        case .refreshTokenReused(let client, let grant, let account):
            WebhookEvent(type: .refreshTokenReused, data: .init(accountId: account, clientId: client, grantId: grant))
        case .authorizationCodeReplayed(let client, let account, let grant):
            WebhookEvent(type: .authorizationCodeReplayed, data: .init(accountId: account, clientId: client, grantId: grant))
        case .signedOut(let account, let client):
            WebhookEvent(type: .sessionEnded, data: .init(accountId: account, clientId: client, reason: "logout", sessionsEnded: 1))
        case .sessionsRevoked(let email, let account, let actor, let lockout):
            WebhookEvent(type: .sessionEnded, data: .init(accountId: account, email: email, actor: actor, reason: "revoked",
                                                          sessionsEnded: lockout.sessionsEnded, grantsRevoked: lockout.grantsRevoked))
        case .accountDisabled(let email, let account, let actor, let lockout):
            WebhookEvent(type: .accountDisabled, data: .init(accountId: account, email: email, actor: actor,
                                                             sessionsEnded: lockout.sessionsEnded, grantsRevoked: lockout.grantsRevoked))
        case .accountEnabled(let email, let account, let actor):
            WebhookEvent(type: .accountEnabled, data: .init(accountId: account, email: email, actor: actor))
        case .accountErased(_, let account, let actor):
            // The address is gone: the payload names the account only.
            WebhookEvent(type: .accountErased, data: .init(accountId: account, actor: actor))
        case .passkeyAdded(let email, let account):
            WebhookEvent(type: .passkeyAdded, data: .init(accountId: account, email: email))
        case .passkeyRemoved(let email, let account):
            WebhookEvent(type: .passkeyRemoved, data: .init(accountId: account, email: email))
        case .signingKeyPublished(let kid, let alg, let activatesAt, let actor):
            WebhookEvent(type: .signingKeyRotated, data: .init(actor: actor, kid: kid, alg: alg, activatesAt: activatesAt))
        case .codeSent, .codeFailed, .refreshTokenGraceRetry, .grantRevoked, .signingKeyActivated, .passkeyCounterWentBackwards,
             .adminGranted, .adminRevoked, .grantsRevoked, .clientCreated, .clientUpdated, .clientRemoved, .clientSecretRotated,
             .outboxMessageRetried, .webhookEndpointAdded, .webhookEndpointRemoved, .webhookSecretRotated:
            nil
        }
    }
}
