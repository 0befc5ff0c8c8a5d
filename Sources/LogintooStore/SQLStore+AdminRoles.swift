import LogintooCore
import SQLKit

extension SQLStore: AdminRoleStore {
    public func grantAdmin(accountId: String, now: Int64) async throws -> Bool {
        try await engine.run { db in
            try await db.raw("""
                INSERT INTO admin_accounts (account_id, granted_at) VALUES (\(bind: accountId), \(bind: now))
                ON CONFLICT (account_id) DO NOTHING RETURNING account_id
                """).first() != nil
        }
    }

    public func revokeAdmin(accountId: String) async throws -> Bool {
        try await engine.run { db in
            try await db.raw("DELETE FROM admin_accounts WHERE account_id = \(bind: accountId) RETURNING account_id").first() != nil
        }
    }

    public func isAdmin(accountId: String) async throws -> Bool {
        try await engine.read { db in
            try await db.raw("SELECT account_id FROM admin_accounts WHERE account_id = \(bind: accountId)").first() != nil
        }
    }

    public func adminAccounts() async throws -> [Account] {
        try await engine.read { db in
            try await db.raw("""
                SELECT a.* FROM accounts a JOIN admin_accounts r ON r.account_id = a.id ORDER BY a.email
                """).all(as: Account.self)
        }
    }
}
