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
    /// "This wasn't me": the address's pending sign-ins were cancelled and its codes paused for an hour.
    case signInsCancelled(email: String)
    case authorizationCodeReplayed(clientId: String)
    case refreshTokenReused(clientId: String, grantId: String)
    case refreshTokenGraceRetry(clientId: String, grantId: String)
    case grantRevoked(clientId: String, grantId: String)
    /// A key was published by a rotation, by hand or on schedule.
    case signingKeyPublished(kid: String, algorithm: String, activatesAt: Int64)
    /// A rotated-in key started signing on this instance.
    case signingKeyActivated(kid: String, algorithm: String)
    case passkeyAdded(email: String, accountId: String)
    case passkeyRemoved(email: String, accountId: String)
    /// "This wasn't me" from a "passkey added" email: every live session of the account was ended (`count` of them) and
    /// their grants revoked.
    case sessionsEnded(email: String, accountId: String, count: Int)
    /// A passkey's signature counter did not move forward: the authenticator may have been cloned (WebAuthn §6.1.1).
    case passkeyCounterWentBackwards(accountId: String, credentialId: String)
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
    /// `code_sent`, `code_send_throttled`, `code_failed`, `verification_throttled`, `signed_in`, `code_replayed`,
    /// `refresh_reused`, `refresh_grace_retry`, `grant_revoked`, `key_published`, `key_activated`, `sign_ins_cancelled`,
    /// `passkey_added`, `passkey_removed`, `passkey_counter_backwards`, `sessions_ended`.
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
        case .signInsCancelled(let email): row("sign_ins_cancelled", email, nil, nil, nil, "codes paused for an hour")
        case .authorizationCodeReplayed(let client): row("code_replayed", nil, client, nil, nil, "grant revoked")
        case .refreshTokenReused(let client, let grant): row("refresh_reused", nil, client, grant, nil, "grant revoked")
        case .refreshTokenGraceRetry(let client, let grant): row("refresh_grace_retry", nil, client, grant, nil, nil)
        case .grantRevoked(let client, let grant): row("grant_revoked", nil, client, grant, nil, nil)
        case .signingKeyPublished(let kid, let alg, let activates):
            row("key_published", nil, nil, kid, nil, "alg=\(alg) activates_at=\(activates)")
        case .signingKeyActivated(let kid, let alg): row("key_activated", nil, nil, kid, nil, "alg=\(alg)")
        case .passkeyAdded(let email, let account): row("passkey_added", email, nil, account, nil, nil)
        case .passkeyRemoved(let email, let account): row("passkey_removed", email, nil, account, nil, nil)
        case .sessionsEnded(let email, let account, let count):
            row("sessions_ended", email, nil, account, nil, "sessions=\(count) passkey_not_me")
        case .passkeyCounterWentBackwards(let account, let credential):
            row("passkey_counter_backwards", nil, nil, account, nil, "credential=\(credential.prefix(64))")
        }
    }
}
