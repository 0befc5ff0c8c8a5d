import LogintooCore
import SQLKit

/// The outbox as an operator sees it: undelivered messages (never their content), and a retry made due now.
extension SQLStore {
    public func undeliveredMessages(_ selection: UndeliveredMessage.Selection, limit: Int) async throws -> [UndeliveredMessage] {
        let condition = switch selection {
        case .pending: "sent_at IS NULL AND abandoned_at IS NULL"
        case .failed: "sent_at IS NULL AND (abandoned_at IS NOT NULL OR last_error IS NOT NULL)"
        case .all: "sent_at IS NULL"
        }
        return try await engine.read { db in
            try await db.raw("""
                SELECT id, recipient, created_at, expires_at, attempts, next_attempt_at, abandoned_at, last_error FROM outbox
                WHERE \(unsafeRaw: condition) ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
                """).all(as: UndeliveredMessage.self)
        }
    }

    struct RetryFacts: Decodable {
        var recipient: String
        var sentAt: Int64?
        var abandonedAt: Int64?
        var expiresAt: Int64
    }

    public func retryMessage(id: String, now: Int64, decide: @Sendable (OutboxRetry.Facts) -> OutboxRetry) async throws
        -> (OutboxRetry, recipient: String?) {
        let outcome = try await engine.transaction { db -> (OutboxRetry, recipient: String?) in
            guard let facts = try await db.raw("""
                SELECT recipient, sent_at, abandoned_at, expires_at FROM outbox WHERE id = \(bind: id)
                """).first(as: RetryFacts.self)
            else { return (.unknown, nil) }
            let decision = decide(OutboxRetry.Facts(sentAt: facts.sentAt, abandonedAt: facts.abandonedAt, expiresAt: facts.expiresAt))
            if decision == .retried {
                try await db.raw("""
                    UPDATE outbox SET next_attempt_at = \(bind: now)
                    WHERE id = \(bind: id) AND sent_at IS NULL AND abandoned_at IS NULL
                    """).run()
            }
            return (decision, facts.recipient)
        }
        if outcome.0 == .retried { outboxDoorbell.ring() }
        return outcome
    }
}
