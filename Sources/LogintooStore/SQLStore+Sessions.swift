import LogintooCore
import SQLKit

extension SQLStore: SessionStore {
    public func liveSession(idHash: String, idleLifetime: Int64, now: Int64) async throws -> Session? {
        try await engine.read { db in
            try await db.raw("""
                SELECT * FROM sessions WHERE id_hash = \(bind: idHash) AND ended_at IS NULL AND expires_at > \(bind: now)
                  AND last_seen_at > \(bind: now - idleLifetime)
                """).first(as: Session.self)
        }
    }

    public func touchSession(idHash: String, now: Int64) async throws {
        try await engine.run { db in
            try await db.raw("UPDATE sessions SET last_seen_at = \(bind: now) WHERE id_hash = \(bind: idHash) AND ended_at IS NULL")
                .run()
        }
    }

    public func endSession(idHash: String, now: Int64) async throws -> Bool {
        try await engine.transaction { db in
            let ended = try await db.raw("""
                UPDATE sessions SET ended_at = \(bind: now) WHERE id_hash = \(bind: idHash) AND ended_at IS NULL RETURNING id_hash
                """).first() != nil
            if ended { try await queueLogoutNotices(sessions: "s.id_hash = \(bind: idHash)", now: now, on: db) }
            try await db.raw("""
                UPDATE grants SET revoked_at = \(bind: now) WHERE session_hash = \(bind: idHash) AND revoked_at IS NULL
                """).run()
            // A code the session was given and the client has not exchanged yet would open a grant after the logout.
            try await db.raw("""
                UPDATE authorization_codes SET expires_at = \(bind: now)
                WHERE session_hash = \(bind: idHash) AND consumed_at IS NULL AND expires_at > \(bind: now)
                """).run()
            return ended
        }
    }
}
