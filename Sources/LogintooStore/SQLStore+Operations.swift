import LogintooCore
import SQLKit

extension SQLStore: KeyStore, OutboxStore, HousekeepingStore {
    // MARK: signing keys

    public func signingKeys() async throws -> [StoredSigningKey] {
        try await engine.read { db in
            try await db.raw("SELECT * FROM signing_keys ORDER BY created_at, kid").all(as: StoredSigningKey.self)
        }
    }

    public func insertSigningKey(_ key: StoredSigningKey) async throws {
        try await engine.run { db in
            try await db.raw("""
                INSERT INTO signing_keys (kid, alg, sealed_private_key, created_at, activates_at)
                VALUES (\(bind: key.kid), \(bind: key.alg), \(bind: key.sealedPrivateKey), \(bind: key.createdAt),
                        \(bind: key.activatesAt))
                """).run()
        }
    }

    // MARK: outbox

    public func claimDueMessages(now: Int64, limit: Int, lease: Int64) async throws -> [OutboxMessage] {
        try await engine.transaction { db in
            try await db.raw("""
                UPDATE outbox SET abandoned_at = \(bind: now), sealed_content = NULL, last_error = 'expired before delivery'
                WHERE sent_at IS NULL AND abandoned_at IS NULL AND expires_at <= \(bind: now)
                """).run()
            return try await db.raw("""
                UPDATE outbox SET next_attempt_at = \(bind: now + lease), attempts = attempts + 1
                WHERE id IN (SELECT id FROM outbox WHERE sent_at IS NULL AND abandoned_at IS NULL
                             AND next_attempt_at <= \(bind: now) ORDER BY next_attempt_at LIMIT \(bind: limit))
                RETURNING *
                """).all(as: OutboxMessage.self)
        }
    }

    public func markSent(id: String, provider: String, now: Int64) async throws {
        try await engine.write { db in
            try await db.raw("""
                UPDATE outbox SET sent_at = \(bind: now), sealed_content = NULL, provider = \(bind: provider) WHERE id = \(bind: id)
                """).run()
        }
    }

    public func recentMessages(limit: Int) async throws -> [OutboxStatus] {
        try await engine.run { db in
            try await db.raw("""
                SELECT id, recipient, created_at, attempts, sent_at, abandoned_at, last_error, provider FROM outbox
                ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
                """).all(as: OutboxStatus.self)
        }
    }

    public func markFailed(id: String, error: String, retryAt: Int64?, now: Int64) async throws {
        try await engine.run { db in
            if let retryAt {
                try await db.raw("""
                    UPDATE outbox SET next_attempt_at = \(bind: retryAt), last_error = \(bind: error) WHERE id = \(bind: id)
                    """).run()
            } else {
                try await db.raw("""
                    UPDATE outbox SET abandoned_at = \(bind: now), sealed_content = NULL, last_error = \(bind: error)
                    WHERE id = \(bind: id)
                    """).run()
            }
        }
    }

    public func pendingMessageCount() async throws -> Int {
        try await engine.read { db in
            try await db.raw("SELECT COUNT(*) AS pending FROM outbox WHERE sent_at IS NULL AND abandoned_at IS NULL")
                .first(decodingColumn: "pending", as: Int.self) ?? 0
        }
    }

    // MARK: housekeeping

    public func purgeExpired(now: Int64) async throws {
        let day: Int64 = 86_400
        try await engine.transaction { db in
            try await db.raw("DELETE FROM logins WHERE expires_at <= \(bind: now)").run()
            try await db.raw("DELETE FROM pushed_requests WHERE expires_at <= \(bind: now)").run()
            try await db.raw("DELETE FROM dpop_proofs WHERE expires_at <= \(bind: now)").run()
            try await db.raw("DELETE FROM challenges WHERE expires_at <= \(bind: now)").run()
            try await db.raw("DELETE FROM passkey_ceremonies WHERE expires_at <= \(bind: now)").run()
            try await db.raw("DELETE FROM passkey_revocation_links WHERE expires_at <= \(bind: now)").run()
            // Consumed codes are kept until they expire, so a replay is recognised; a day more costs nothing.
            try await db.raw("DELETE FROM authorization_codes WHERE expires_at <= \(bind: now - day)").run()
            try await db.raw("DELETE FROM sessions WHERE expires_at <= \(bind: now) OR ended_at <= \(bind: now - day)").run()
            try await db.raw("""
                DELETE FROM session_clients WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id_hash = session_clients.session_hash)
                """).run()
            try await db.raw("""
                DELETE FROM refresh_tokens WHERE grant_id IN (SELECT id FROM grants WHERE expires_at <= \(bind: now))
                """).run()
            try await db.raw("DELETE FROM access_tokens WHERE expires_at <= \(bind: now)").run()
            try await db.raw("DELETE FROM grants WHERE expires_at <= \(bind: now)").run()
            try await db.raw("DELETE FROM outbox WHERE sent_at <= \(bind: now - day) OR abandoned_at <= \(bind: now - day)").run()
            // Kept a week, so `logintoo deliveries list` still shows what was delivered or given up.
            try await db.raw("""
                DELETE FROM deliveries WHERE delivered_at <= \(bind: now - 7 * day) OR abandoned_at <= \(bind: now - 7 * day)
                """).run()
            try await db.raw("DELETE FROM rate_limits WHERE window_start <= \(bind: now - 2 * day)").run()
            try await db.raw("DELETE FROM audit_events WHERE at <= \(bind: now - Self.auditRetention)").run()
            try await db.raw("DELETE FROM cancel_links WHERE expires_at <= \(bind: now)").run()
            try await db.raw("DELETE FROM known_browsers WHERE expires_at <= \(bind: now)").run()
            // A pause lasts an hour by default; a row two days old pauses nothing.
            try await db.raw("DELETE FROM send_pauses WHERE paused_at <= \(bind: now - 2 * day)").run()
        }
    }
}
