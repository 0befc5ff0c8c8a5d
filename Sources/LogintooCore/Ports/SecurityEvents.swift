/// A security-relevant event, for the operator's log and audit trail. Never carries a code or token value.
public enum SecurityEvent: Sendable, Equatable {
    /// A sign-in code was queued for `email`.
    case codeSent(email: String, clientId: String, ip: String?)
    /// A code was asked for while a send throttle was exhausted; nothing was sent.
    case codeSendThrottled(email: String, clientId: String, ip: String?)
    /// A wrong code was entered; at zero attempts left, the code is burned.
    case codeFailed(email: String, clientId: String, attemptsLeft: Int)
    /// The account's failure budget is spent: codes are not checked until it refills.
    case verificationThrottled(email: String, clientId: String)
    case signedIn(email: String, accountId: String, clientId: String)
    /// The person signed out of their session (RP-initiated logout), from the client `clientId` when it was named.
    case signedOut(accountId: String, clientId: String?)
    /// "This wasn't me": the address's pending sign-ins were cancelled and its codes paused for an hour.
    case signInsCancelled(email: String)
    /// A used code came back: `grantId`, the grant its first use made, is revoked.
    case authorizationCodeReplayed(clientId: String, accountId: String, grantId: String?)
    case refreshTokenReused(clientId: String, grantId: String, accountId: String)
    case refreshTokenGraceRetry(clientId: String, grantId: String)
    case grantRevoked(clientId: String, grantId: String)
    /// A key was published by a rotation, by hand or on schedule.
    /// `actor`: the operator who asked (`cli`, `client:ID`, `account:ID`); `nil` for the schedule.
    case signingKeyPublished(kid: String, algorithm: String, activatesAt: Int64, actor: String? = nil)
    /// A rotated-in key started signing on this instance.
    case signingKeyActivated(kid: String, algorithm: String)
    case passkeyAdded(email: String, accountId: String)
    case passkeyRemoved(email: String, accountId: String)
    /// "This wasn't me" from a "passkey added" email: every live session of the account was ended (`count` of them) and
    /// their grants revoked.
    case sessionsEnded(email: String, accountId: String, count: Int)
    /// A passkey's signature counter did not move forward: the authenticator may have been cloned (WebAuthn §6.1.1).
    case passkeyCounterWentBackwards(accountId: String, credentialId: String)
    /// An operator (`actor`: an admin client's id, or `cli`) disabled the account: `lockout` is what it ended.
    case accountDisabled(email: String, accountId: String, actor: String, lockout: AccountLockout)
    case accountEnabled(email: String, accountId: String, actor: String)
    /// An operator erased the account; its audit records now name `pseudonym` instead of the address.
    case accountErased(pseudonym: String, accountId: String, actor: String)
    /// An operator ended sessions of the account (one, or all) and what was granted within them.
    case sessionsRevoked(email: String, accountId: String, actor: String, lockout: AccountLockout)
    /// The account may now use the admin console, or no longer may.
    case adminGranted(email: String, accountId: String, actor: String)
    case adminRevoked(email: String, accountId: String, actor: String)
    /// An operator revoked grants of the account (one, or all).
    case grantsRevoked(email: String, accountId: String, actor: String, count: Int)
    /// An operator registered a client (the admin API).
    case clientCreated(clientId: String, actor: String)
    /// An operator changed a client's `fields` (their names, comma-separated).
    case clientUpdated(clientId: String, actor: String, fields: String)
    /// An operator removed a client; everything issued to it is revoked.
    case clientRemoved(clientId: String, actor: String)
    /// An operator gave a confidential client a new secret; the old one no longer works.
    case clientSecretRotated(clientId: String, actor: String)
    /// An operator registered a webhook endpoint (`host`: where it points) for `events`.
    case webhookEndpointAdded(id: String, host: String, events: [String], actor: String)
    case webhookEndpointRemoved(id: String, actor: String)
    /// An operator gave an endpoint a new secret; the old one signs beside it until `previousUntil`.
    case webhookSecretRotated(id: String, actor: String, previousUntil: Int64)
    /// An operator made an undelivered email to `recipient` due now.
    case outboxMessageRetried(recipient: String, messageId: String, actor: String)
}

/// Where security events go: the log and the audit table in production, a list in tests.
public protocol SecurityEventSink: Sendable {
    func record(_ event: SecurityEvent) async
}

/// Drops events; for tools that run no server.
public struct DiscardingEventSink: SecurityEventSink {
    public init() {}
    public func record(_ event: SecurityEvent) async {}
}

/// One row of the audit trail: what happened, to whom, through which client.
public struct AuditRecord: Sendable, Codable, Equatable {
    public var id: String
    public var at: Int64
    /// `code_sent`, `code_send_throttled`, `code_failed`, `verification_throttled`, `signed_in`, `signed_out`, `code_replayed`,
    /// `refresh_reused`, `refresh_grace_retry`, `grant_revoked`, `key_published`, `key_activated`, `sign_ins_cancelled`,
    /// `passkey_added`, `passkey_removed`, `passkey_counter_backwards`, `sessions_ended`, `account_disabled`,
    /// `account_enabled`, `account_erased`, `sessions_revoked`, `grants_revoked`, `client_created`, `client_updated`,
    /// `client_removed`, `client_secret_rotated`, `outbox_retried`, `webhook_added`, `webhook_removed`, `webhook_secret_rotated`.
    public var kind: String
    /// The normalized email address concerned, if any.
    public var email: String?
    public var clientId: String?
    /// The account, grant or key concerned.
    public var subject: String?
    public var ip: String?
    /// A short fact about the event, such as attempts left.
    public var detail: String?

    public init(id: String, at: Int64, kind: String, email: String? = nil, clientId: String? = nil, subject: String? = nil,
                ip: String? = nil, detail: String? = nil) {
        (self.id, self.at, self.kind, self.email, self.clientId, self.subject, self.ip, self.detail) =
            (id, at, kind, email, clientId, subject, ip, detail)
    }
}

extension SecurityEvent {
    /// The event as an audit row.
    public func auditRecord(id: String, at: Int64) -> AuditRecord {
        let row = { (kind: String, email: String?, client: String?, subject: String?, ip: String?, detail: String?) in
            AuditRecord(id: id, at: at, kind: kind, email: email, clientId: client, subject: subject, ip: ip, detail: detail)
        }
        return switch self {
        case .codeSent(let email, let client, let ip): row("code_sent", email, client, nil, ip, nil)
        case .codeSendThrottled(let email, let client, let ip): row("code_send_throttled", email, client, nil, ip, nil)
        case .codeFailed(let email, let client, let left): row("code_failed", email, client, nil, nil, "attempts_left=\(left)")
        case .verificationThrottled(let email, let client): row("verification_throttled", email, client, nil, nil, nil)
        case .signedIn(let email, let account, let client): row("signed_in", email, client, account, nil, nil)
        case .signedOut(let account, let client): row("signed_out", nil, client, account, nil, nil)
        case .signInsCancelled(let email): row("sign_ins_cancelled", email, nil, nil, nil, "codes paused for an hour")
        case .authorizationCodeReplayed(let client, let account, let grant):
            row("code_replayed", nil, client, account, nil, "grant revoked" + (grant.map { " grant=\($0)" } ?? ""))
        case .refreshTokenReused(let client, let grant, let account):
            row("refresh_reused", nil, client, account, nil, "grant revoked grant=\(grant)")
        case .refreshTokenGraceRetry(let client, let grant): row("refresh_grace_retry", nil, client, grant, nil, nil)
        case .grantRevoked(let client, let grant): row("grant_revoked", nil, client, grant, nil, nil)
        case .signingKeyPublished(let kid, let alg, let activates, let actor):
            row("key_published", nil, nil, kid, nil, "alg=\(alg) activates_at=\(activates)" + (actor.map { " by=\($0)" } ?? ""))
        case .signingKeyActivated(let kid, let alg): row("key_activated", nil, nil, kid, nil, "alg=\(alg)")
        case .passkeyAdded(let email, let account): row("passkey_added", email, nil, account, nil, nil)
        case .passkeyRemoved(let email, let account): row("passkey_removed", email, nil, account, nil, nil)
        case .sessionsEnded(let email, let account, let count):
            row("sessions_ended", email, nil, account, nil, "sessions=\(count) passkey_not_me")
        case .passkeyCounterWentBackwards(let account, let credential):
            row("passkey_counter_backwards", nil, nil, account, nil, "credential=\(credential.prefix(64))")
        case .accountDisabled(let email, let account, let actor, let lockout):
            row("account_disabled", email, nil, account, nil,
                "by=\(actor) sessions=\(lockout.sessionsEnded) grants=\(lockout.grantsRevoked)")
        case .accountEnabled(let email, let account, let actor): row("account_enabled", email, nil, account, nil, "by=\(actor)")
        case .accountErased(let pseudonym, let account, let actor): row("account_erased", pseudonym, nil, account, nil, "by=\(actor)")
        case .sessionsRevoked(let email, let account, let actor, let lockout):
            row("sessions_revoked", email, nil, account, nil,
                "by=\(actor) sessions=\(lockout.sessionsEnded) grants=\(lockout.grantsRevoked)")
        case .adminGranted(let email, let account, let actor): row("admin_granted", email, nil, account, nil, "by=\(actor)")
        case .adminRevoked(let email, let account, let actor): row("admin_revoked", email, nil, account, nil, "by=\(actor)")
        case .grantsRevoked(let email, let account, let actor, let count):
            row("grants_revoked", email, nil, account, nil, "by=\(actor) grants=\(count)")
        case .clientCreated(let client, let actor): row("client_created", nil, client, nil, nil, "by=\(actor)")
        case .clientUpdated(let client, let actor, let fields): row("client_updated", nil, client, nil, nil, "by=\(actor) fields=\(fields)")
        case .clientRemoved(let client, let actor): row("client_removed", nil, client, nil, nil, "by=\(actor)")
        case .clientSecretRotated(let client, let actor): row("client_secret_rotated", nil, client, nil, nil, "by=\(actor)")
        case .webhookEndpointAdded(let id, let host, let events, let actor):
            row("webhook_added", nil, nil, id, nil, "by=\(actor) host=\(host) events=\(events.joined(separator: ","))")
        case .webhookEndpointRemoved(let id, let actor): row("webhook_removed", nil, nil, id, nil, "by=\(actor)")
        case .webhookSecretRotated(let id, let actor, let until):
            row("webhook_secret_rotated", nil, nil, id, nil, "by=\(actor) previous_until=\(until)")
        case .outboxMessageRetried(let recipient, let message, let actor):
            row("outbox_retried", recipient, nil, message, nil, "by=\(actor)")
        }
    }
}
