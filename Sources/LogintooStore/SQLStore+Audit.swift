import LogintooCore
import SQLKit

extension SQLStore: AuditStore {
    /// Audit rows are kept for 400 days, beyond a yearly review.
    static let auditRetention: Int64 = 400 * 86_400

    public func appendAudit(_ record: AuditRecord, deliveries: [Delivery]) async throws {
        let insert: @Sendable (any SQLDatabase) async throws -> Void = { db in
            try await db.raw("""
                INSERT INTO audit_events (id, at, kind, email, client_id, subject, ip, detail)
                VALUES (\(bind: record.id), \(bind: record.at), \(bind: record.kind), \(bind: record.email),
                        \(bind: record.clientId), \(bind: record.subject), \(bind: record.ip), \(bind: record.detail))
                """).run()
        }
        guard !deliveries.isEmpty else { return try await engine.write(insert) }
        let trace = traces.carriedContext()
        let queued = try await engine.transaction { db in
            try await insert(db)
            var queued = false
            for delivery in deliveries where try await queue(delivery, trace: trace, on: db) { queued = true }
            return queued
        }
        // A folded event queued nothing: the worker has nothing new to claim.
        if queued { deliveryDoorbell.ring() }
    }

    public func auditRecords(limit: Int, kind: String?, email: String?) async throws -> [AuditRecord] {
        try await engine.read { db in
            var query: SQLQueryString = "SELECT * FROM audit_events WHERE 1 = 1"
            if let kind { query += " AND kind = \(bind: kind)" }
            if let email { query += " AND email = \(bind: email)" }
            query += " ORDER BY at DESC, id DESC LIMIT \(bind: limit)"
            return try await db.raw(query).all(as: AuditRecord.self).reversed()
        }
    }
}
