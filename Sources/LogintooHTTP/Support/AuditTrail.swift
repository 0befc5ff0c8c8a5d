import Logging
import LogintooCore
import Synchronization

/// Writes security events (docs/security.md K57) to the log and the audit table, never a code or token value, and queues
/// the webhooks of endpoints that asked for the event (N95) in the same transaction as its audit row. A failed write is
/// logged and does not fail the request that caused the event.
public struct AuditTrail: SecurityEventSink {
    let store: any AuditStore
    let clock: any WallClock
    let random: any RandomSource
    let logger: Logger
    let metrics: ServerMetrics?
    let webhooks: WebhookSubscriptions
    /// Orders this process's events within one second: ids start with a counter.
    let sequence = EventSequence()

    public init(store: any AuditStore & WebhookStore, clock: any WallClock, random: any RandomSource, logger: Logger,
                metrics: ServerMetrics? = nil) {
        (self.store, self.clock, self.random, self.logger, self.metrics) = (store, clock, random, logger, metrics)
        webhooks = WebhookSubscriptions(store: store)
    }

    public func record(_ event: SecurityEvent) async {
        let number = String(sequence.next())
        let id = String(repeating: "0", count: max(0, 12 - number.count)) + number + "-" + random.token(bytes: 9)
        let now = clock.now()
        let row = event.auditRecord(id: id, at: now)
        if case .refreshTokenReused = event { metrics?.refreshTokenReused() }
        var metadata: Logger.Metadata = ["audit": "\(row.kind)"]
        for (key, value) in [("email", row.email), ("client", row.clientId), ("subject", row.subject), ("ip", row.ip),
                             ("detail", row.detail)] {
            if let value { metadata[key] = "\(value)" }
        }
        logger.log(level: Self.level(of: event), "\(Self.message(of: event))", metadata: metadata)
        do {
            try await store.appendAudit(row, deliveries: await webhookDeliveries(for: event, now: now))
        } catch {
            logger.error("the audit trail could not be written: \(error)")
        }
    }

    /// The event's webhooks; none when the endpoints cannot be read, so the audit row is still written.
    func webhookDeliveries(for event: SecurityEvent, now: Int64) async -> [Delivery] {
        guard let webhook = event.webhookEvent else { return [] }
        do {
            return Webhooks.deliveries(for: webhook, at: now, endpoints: try await webhooks.endpoints(now: now), random: random)
        } catch {
            logger.error("webhooks: the endpoints could not be read; the event's webhooks are not queued: \(error)",
                         metadata: ["audit": "\(webhook.type.rawValue)"])
            return []
        }
    }

    static func level(of event: SecurityEvent) -> Logger.Level {
        switch event {
        case .authorizationCodeReplayed, .refreshTokenReused, .verificationThrottled, .signInsCancelled,
             .passkeyCounterWentBackwards, .sessionsEnded, .accountDisabled, .accountErased: .warning
        case .codeSendThrottled, .codeFailed, .refreshTokenGraceRetry, .signingKeyPublished, .signingKeyActivated: .notice
        case .codeSent, .signedIn, .signedOut, .grantRevoked, .passkeyAdded, .passkeyRemoved: .info
        case .accountEnabled, .sessionsRevoked, .grantsRevoked: .notice
        case .adminGranted, .adminRevoked, .webhookEndpointAdded, .webhookEndpointRemoved, .webhookSecretRotated: .warning
        case .clientCreated, .clientUpdated, .clientRemoved, .clientSecretRotated, .outboxMessageRetried: .notice
        }
    }

    static func message(of event: SecurityEvent) -> String {
        switch event {
        case .codeSent: "sign-in code sent"
        case .codeSendThrottled: "sign-in code not sent: send throttle"
        case .codeFailed: "wrong sign-in code"
        case .verificationThrottled: "account's failure budget spent; codes are not checked for now"
        case .signedIn: "signed in"
        case .signedOut: "signed out"
        case .signInsCancelled: "the address's owner cancelled its pending sign-ins; codes paused for an hour"
        case .authorizationCodeReplayed: "authorization code replayed; its grant is revoked"
        case .refreshTokenReused: "refresh token reused; family revoked"
        case .refreshTokenGraceRetry: "refresh token retried within the grace window"
        case .grantRevoked: "grant revoked by its client"
        case .signingKeyPublished: "signing key published"
        case .signingKeyActivated: "signing key rotated: new tokens are signed with it"
        case .passkeyAdded: "passkey added"
        case .passkeyRemoved: "passkey removed"
        case .sessionsEnded: "the account's owner did not add a passkey: every session of the account is ended"
        case .passkeyCounterWentBackwards: "a passkey's signature counter went backwards: the authenticator may be cloned"
        case .accountDisabled: "account disabled by an operator: its sessions and grants are ended"
        case .accountEnabled: "account enabled by an operator"
        case .accountErased: "account erased (by the operator, or by its owner): its audit records keep a pseudonym"
        case .sessionsRevoked: "sessions ended (by the operator, or by their owner)"
        case .grantsRevoked: "grants revoked (by the operator, or by their owner)"
        case .adminGranted: "account made an admin: it may use the admin console"
        case .adminRevoked: "admin role ended"
        case .clientCreated: "client registered by an operator"
        case .clientUpdated: "client changed by an operator"
        case .clientRemoved: "client removed by an operator: everything issued to it is revoked"
        case .clientSecretRotated: "client secret rotated by an operator: the old secret no longer works"
        case .outboxMessageRetried: "undelivered email made due again by an operator"
        case .webhookEndpointAdded: "webhook endpoint added by an operator: the events it names are sent to it"
        case .webhookEndpointRemoved: "webhook endpoint removed by an operator"
        case .webhookSecretRotated: "webhook secret rotated by an operator: the old one signs beside it for a while"
        }
    }
}

/// A counter shared by the copies of one audit trail.
final class EventSequence: Sendable {
    private let value = Atomic<UInt64>(0)
    func next() -> UInt64 { value.add(1, ordering: .relaxed).newValue }
}
