import LogintooCore
import SQLKit

extension SQLStore: AccountSelfServiceStore {
    public func revokeGrants(accountId: String, clientId: String, now: Int64) async throws -> Int {
        try await engine.run { db in
            try await db.raw("""
                UPDATE grants SET revoked_at = \(bind: now)
                WHERE account_id = \(bind: accountId) AND client_id = \(bind: clientId) AND revoked_at IS NULL
                  AND expires_at > \(bind: now)
                RETURNING id
                """).all().count
        }
    }

    public func issueDeletionCode(_ code: AccountDeletionCode, message: OutboxMessage, resendInterval: Int64, limit: RateLimit)
        async throws -> Bool {
        let trace = traces.carriedContext()
        let issued = try await engine.transaction { db in
            guard try await db.raw("""
                SELECT session_hash FROM account_deletion_codes
                WHERE session_hash = \(bind: code.sessionHash) AND sent_at > \(bind: code.sentAt - resendInterval)
                """).first() == nil
            else { return false }
            guard try await Self.consume(limit, now: code.sentAt, on: db) else { return false }
            try await db.raw("DELETE FROM account_deletion_codes WHERE session_hash = \(bind: code.sessionHash)").run()
            try await db.raw("""
                INSERT INTO account_deletion_codes (session_hash, id, code_hash, attempts, sent_at, expires_at)
                VALUES (\(bind: code.sessionHash), \(bind: code.id), \(bind: code.codeHash), 0, \(bind: code.sentAt),
                        \(bind: code.expiresAt))
                """).run()
            try await Self.enqueue(message, trace: trace, on: db)
            return true
        }
        if issued { outboxDoorbell.ring() }
        return issued
    }

    public func beginDeletionAttempt(sessionHash: String, maxAttempts: Int, now: Int64) async throws -> AccountDeletionCode? {
        try await engine.run { db in
            try await db.raw("""
                UPDATE account_deletion_codes SET attempts = attempts + 1
                WHERE session_hash = \(bind: sessionHash) AND expires_at > \(bind: now) AND attempts < \(bind: maxAttempts)
                RETURNING *
                """).first(as: AccountDeletionCode.self)
        }
    }

    public func useDeletionCode(sessionHash: String, id: String, now: Int64) async throws -> Bool {
        try await engine.run { db in
            try await db.raw("""
                DELETE FROM account_deletion_codes
                WHERE session_hash = \(bind: sessionHash) AND id = \(bind: id) AND expires_at > \(bind: now)
                RETURNING id
                """).first() != nil
        }
    }

    /// Queues an email for the outbox worker (sealed; the caller rings the doorbell once the transaction committed), with
    /// the trace context of the operation that queued it (`Traces.carriedContext`, read before the transaction: on SQLite
    /// a body may run in another caller's task), so that its delivery continues the same trace.
    static func enqueue(_ message: OutboxMessage, trace: String?, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO outbox (id, recipient, sealed_content, created_at, expires_at, attempts, next_attempt_at, trace_context)
            VALUES (\(bind: message.id), \(bind: message.recipient), \(bind: message.sealedContent), \(bind: message.createdAt),
                    \(bind: message.expiresAt), 0, \(bind: message.nextAttemptAt), \(bind: trace))
            """).run()
    }
}
