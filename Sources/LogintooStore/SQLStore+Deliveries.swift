import LogintooCore
import SQLKit

extension SQLStore: DeliveryStore {
    /// In a serializable transaction: a claim that loses a race to another runs again with fresh facts and takes other
    /// rows (at READ COMMITTED the loser would skip the rows the other took and come back short, though due rows remain).
    public func claimDueDeliveries(now: Int64, limit: Int, lease: Int64, underway: [String: Int]) async throws -> [Delivery] {
        try await engine.transaction { db in
            // Pending rows are due before they expire (a retry is never set past the expiry), so the due index finds them.
            try await db.raw("""
                UPDATE deliveries SET abandoned_at = \(bind: now), last_error = COALESCE(last_error, 'expired before delivery'),
                  body = '', subject = NULL
                WHERE delivered_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= \(bind: now) AND expires_at <= \(bind: now)
                """).run()
            // Candidates: the logout notices due, then the oldest other deliveries due, each a bounded walk of the due index
            // however long the backlog, leaving out the receivers that have no place left (so a receiver with a backlog
            // of its own, hanging, cannot fill the candidates and keep everyone else waiting). Of them, a receiver gets
            // the places it has left (`DeliveryClaim.perTarget` less what is under way to it), logout notices first.
            // Two claims racing never take one row twice because the claim runs serializably (the loser runs again and
            // takes other rows); the outer condition, which checks again that each row is still due, keeps that true
            // should a database run it at a lower isolation, where a blocked update re-reads the row it waited for.
            var places: SQLQueryString = "\(unsafeRaw: String(DeliveryClaim.perTarget))"
            if !underway.isEmpty {
                places = "CASE target"
                for (target, count) in underway.sorted(by: { $0.key < $1.key }) {
                    places += " WHEN \(bind: target) THEN \(unsafeRaw: String(max(0, DeliveryClaim.perTarget - count)))"
                }
                places += " ELSE \(unsafeRaw: String(DeliveryClaim.perTarget)) END"
            }
            let pending: SQLQueryString = "delivered_at IS NULL AND abandoned_at IS NULL AND next_attempt_at <= \(bind: now)"
            var eligible = pending
            let full = underway.filter { $0.value >= DeliveryClaim.perTarget }.keys.sorted()
            if !full.isEmpty {
                eligible += " AND target NOT IN ("
                for (index, target) in full.enumerated() { eligible += (index == 0 ? "" : ", ") + "\(bind: target)" }
                eligible += ")"
            }
            var claim: SQLQueryString = """
                UPDATE deliveries SET next_attempt_at = \(bind: now + lease), attempts = attempts + 1
                WHERE id IN (
                  SELECT id FROM (
                    SELECT id, kind, next_attempt_at, ROW_NUMBER() OVER (PARTITION BY target ORDER BY next_attempt_at, id) AS place,
                      
                """
            claim += places + """
                 AS allowed
                    FROM (
                      SELECT * FROM (SELECT id, kind, target, next_attempt_at FROM deliveries
                                     WHERE kind = \(bind: BackchannelLogout.kind) AND
                """
            claim += " " + eligible + " ORDER BY next_attempt_at LIMIT \(bind: DeliveryClaim.candidates)) notices UNION ALL "
            claim += """
                      SELECT * FROM (SELECT id, kind, target, next_attempt_at FROM deliveries
                                     WHERE kind <> \(bind: BackchannelLogout.kind) AND
                """
            claim += " " + eligible + " ORDER BY next_attempt_at LIMIT \(bind: DeliveryClaim.candidates)) others"
            claim += """
                    ) candidates
                  ) due
                  WHERE place <= allowed
                  ORDER BY CASE WHEN kind = \(bind: BackchannelLogout.kind) THEN 0 ELSE 1 END, next_attempt_at LIMIT \(bind: limit))
                AND
                """
            claim += " " + pending + " RETURNING *"
            return try await db.raw(claim).all(as: Delivery.self)
        }
    }

    public func markDelivered(id: String, now: Int64) async throws {
        try await engine.write { db in
            // What it said is no longer needed: kept, it would only be more personal data to erase.
            try await db.raw("""
                UPDATE deliveries SET delivered_at = \(bind: now), last_error = NULL, body = '', subject = NULL WHERE id = \(bind: id)
                """).run()
        }
    }

    public func markDeliveryFailed(id: String, error: String, retryAt: Int64?, now: Int64) async throws {
        try await engine.run { db in
            if let retryAt {
                try await db.raw("""
                    UPDATE deliveries SET last_error = \(bind: error), next_attempt_at = \(bind: retryAt)
                    WHERE id = \(bind: id) AND delivered_at IS NULL AND abandoned_at IS NULL
                    """).run()
            } else {
                try await db.raw("""
                    UPDATE deliveries SET last_error = \(bind: error), abandoned_at = \(bind: now), body = '', subject = NULL
                    WHERE id = \(bind: id) AND delivered_at IS NULL AND abandoned_at IS NULL
                    """).run()
            }
        }
    }

    public func recentDeliveries(limit: Int) async throws -> [Delivery] {
        try await engine.read { db in
            try await db.raw("""
                SELECT id, kind, target, '' AS body, created_at, expires_at, attempts, next_attempt_at, delivered_at, abandoned_at,
                  last_error
                FROM deliveries ORDER BY created_at DESC, id DESC LIMIT \(bind: limit)
                """).all(as: Delivery.self)
        }
    }

    // MARK: queued by the methods that end sessions

    /// Inside the transaction that ends sessions: queues a logout notice (`BackchannelLogout.deliveries`) for every client
    /// with a back-channel logout URI that took part in a session matching `sessions` (a condition on `s`, the sessions
    /// table): every client the session gave a code to (`session_clients`); only `clientId` when given. A notice already
    /// queued for the same session, client and `occasion` is kept as it is, so two paths ending one session queue one.
    func queueLogoutNotices(sessions: SQLQueryString, clientId: String? = nil, occasion: String? = nil, now: Int64,
                            on db: any SQLDatabase) async throws {
        // From the sessions the condition picks (by id or account, both indexed); most servers register no such client,
        // and the settings' JSON names the key only when it is set.
        var query: SQLQueryString = """
            SELECT s.id_hash AS session_hash, s.account_id, x.client_id FROM sessions s
            JOIN session_clients x ON x.session_hash = s.id_hash
            JOIN clients c ON c.id = x.client_id AND c.settings LIKE '%"backchannelLogoutURI"%'
            WHERE (
            """
        query += sessions + ")"
        if let clientId { query += " AND x.client_id = \(bind: clientId)" }
        let rows = try await db.raw(query).all(as: Participant.self)
        guard !rows.isEmpty else { return }
        var clients: [String: Client] = [:]
        for id in Set(rows.map(\.clientId)) {
            if let row = try await db.raw("SELECT * FROM clients WHERE id = \(bind: id)").first(reading: ClientRow.self) {
                clients[id] = try decodedClients.client(for: row)
            }
        }
        let facts = rows.compactMap { row in
            clients[row.clientId].map { BackchannelLogout.Facts(sessionHash: row.sessionHash, accountId: row.accountId, client: $0) }
        }
        let trace = traces.carriedContext()
        for delivery in BackchannelLogout.deliveries(for: facts, occasion: occasion, now: now) {
            try await queue(delivery, trace: trace, on: db)
        }
        // Early when the transaction has yet to commit: the worker then finds the row at its next poll.
        deliveryDoorbell.ring()
    }

    /// Inserts a delivery unless one with its id is queued already (then returns false); `trace` is the context its
    /// attempts continue.
    @discardableResult
    func queue(_ delivery: Delivery, trace: String?, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            INSERT INTO deliveries (id, kind, target, body, created_at, expires_at, attempts, next_attempt_at, trace_context,
                                    subject)
            VALUES (\(bind: delivery.id), \(bind: delivery.kind), \(bind: delivery.target), \(bind: delivery.body),
                    \(bind: delivery.createdAt), \(bind: delivery.expiresAt), 0, \(bind: delivery.nextAttemptAt), \(bind: trace),
                    \(bind: delivery.subject))
            ON CONFLICT (id) DO NOTHING RETURNING id
            """).first() != nil
    }

    struct Participant: Decodable {
        var sessionHash: String
        var accountId: String
        var clientId: String
    }
}
