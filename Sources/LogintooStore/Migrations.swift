import SQLKit

/// The schema, as an append-only list of versioned migrations in portable SQL (text, bigint Unix seconds).
public enum Migrations {
    struct Migration {
        let version: Int
        let name: String
        let statements: [String]
        /// Run after `statements` on PostgreSQL only, for what SQLite has already or cannot spell.
        var postgreSQLStatements: [String] = []
    }

    static let all: [Migration] = [
        Migration(version: 1, name: "initial schema", statements: [
            """
            CREATE TABLE clients (id TEXT PRIMARY KEY, name TEXT NOT NULL, secret_hash TEXT, redirect_uris TEXT NOT NULL,
              post_logout_redirect_uris TEXT NOT NULL, settings TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE accounts (id TEXT PRIMARY KEY, email TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL,
              disabled_at BIGINT)
            """,
            """
            CREATE TABLE logins (id TEXT PRIMARY KEY, browser_hash TEXT NOT NULL, request TEXT NOT NULL, email TEXT,
              created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE challenges (id TEXT PRIMARY KEY, login_id TEXT NOT NULL, email TEXT NOT NULL, code_hash TEXT NOT NULL,
              created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, consumed_at BIGINT)
            """,
            "CREATE INDEX challenges_by_login ON challenges (login_id)",
            "CREATE INDEX challenges_by_email ON challenges (email)",
            """
            CREATE TABLE rate_limits (bucket TEXT PRIMARY KEY, window_start BIGINT NOT NULL, hits INTEGER NOT NULL,
              last_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE outbox (id TEXT PRIMARY KEY, recipient TEXT NOT NULL, sealed_content TEXT, created_at BIGINT NOT NULL,
              expires_at BIGINT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at BIGINT NOT NULL,
              sent_at BIGINT, abandoned_at BIGINT, last_error TEXT)
            """,
            "CREATE INDEX outbox_due ON outbox (next_attempt_at)",
            """
            CREATE TABLE sessions (id_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL, auth_time BIGINT NOT NULL,
              created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, ended_at BIGINT)
            """,
            """
            CREATE TABLE authorization_codes (code_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, redirect_uri TEXT NOT NULL,
              code_challenge TEXT, nonce TEXT, scope TEXT NOT NULL, account_id TEXT NOT NULL, session_hash TEXT,
              auth_time BIGINT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, consumed_at BIGINT,
              grant_id TEXT, replayed_at BIGINT)
            """,
            """
            CREATE TABLE grants (id TEXT PRIMARY KEY, client_id TEXT NOT NULL, account_id TEXT NOT NULL, session_hash TEXT,
              scope TEXT NOT NULL, auth_time BIGINT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL,
              revoked_at BIGINT)
            """,
            "CREATE INDEX grants_by_session ON grants (session_hash)",
            "CREATE INDEX grants_by_client ON grants (client_id)",
            """
            CREATE TABLE refresh_tokens (token_hash TEXT PRIMARY KEY, grant_id TEXT NOT NULL, parent_hash TEXT,
              created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, retired_at BIGINT)
            """,
            "CREATE INDEX refresh_tokens_by_parent ON refresh_tokens (parent_hash)",
            "CREATE INDEX refresh_tokens_by_grant ON refresh_tokens (grant_id)",
            """
            CREATE TABLE access_tokens (jti TEXT PRIMARY KEY, grant_id TEXT NOT NULL, client_id TEXT NOT NULL,
              expires_at BIGINT NOT NULL, revoked_at BIGINT)
            """,
            "CREATE INDEX access_tokens_by_grant ON access_tokens (grant_id)",
            """
            CREATE TABLE signing_keys (kid TEXT PRIMARY KEY, alg TEXT NOT NULL, sealed_private_key TEXT NOT NULL,
              created_at BIGINT NOT NULL, retired_at BIGINT)
            """,
        ]),
        Migration(version: 2, name: "Logintoo JSON API", statements: [
            "ALTER TABLE authorization_codes ADD COLUMN state TEXT",
            "ALTER TABLE authorization_codes ADD COLUMN language TEXT",
            "ALTER TABLE authorization_codes ADD COLUMN locale TEXT",
            "ALTER TABLE grants ADD COLUMN profile TEXT NOT NULL DEFAULT 'oauth'",
            "ALTER TABLE grants ADD COLUMN language TEXT",
            "ALTER TABLE grants ADD COLUMN locale TEXT",
        ]),
        Migration(version: 3, name: "resource indicators", statements: [
            "ALTER TABLE authorization_codes ADD COLUMN resource TEXT",
            "ALTER TABLE grants ADD COLUMN resource TEXT",
        ]),
        Migration(version: 4, name: "scheduled key rotation", statements: [
            "ALTER TABLE signing_keys ADD COLUMN activates_at BIGINT",
        ]),
        Migration(version: 5, name: "audit trail", statements: [
            """
            CREATE TABLE audit_events (id TEXT PRIMARY KEY, at BIGINT NOT NULL, kind TEXT NOT NULL, email TEXT, client_id TEXT,
              subject TEXT, ip TEXT, detail TEXT)
            """,
            "CREATE INDEX audit_events_by_time ON audit_events (at)",
            "CREATE INDEX audit_events_by_email ON audit_events (email, at)",
        ]),
        Migration(version: 6, name: "magic links, this wasn't me links, mail providers", statements: [
            """
            CREATE TABLE cancel_links (token_hash TEXT PRIMARY KEY, email TEXT NOT NULL, expires_at BIGINT NOT NULL,
              used_at BIGINT)
            """,
            "ALTER TABLE challenges ADD COLUMN link_hash TEXT",
            "ALTER TABLE challenges ADD COLUMN approved_at BIGINT",
            "CREATE INDEX challenges_by_link ON challenges (link_hash)",
            "ALTER TABLE outbox ADD COLUMN provider TEXT",
        ]),
        // The worker's queries read only pending mail; without these they walk every message ever sent.
        Migration(version: 7, name: "indexes of pending mail", statements: [
            "DROP INDEX outbox_due",
            "CREATE INDEX outbox_pending_due ON outbox (next_attempt_at) WHERE sent_at IS NULL AND abandoned_at IS NULL",
            "CREATE INDEX outbox_pending_expiry ON outbox (expires_at) WHERE sent_at IS NULL AND abandoned_at IS NULL",
        ]),
        // No query looks access tokens up by grant, and every token issued wrote one more page of it.
        Migration(version: 8, name: "no index of access tokens by grant", statements: [
            "DROP INDEX access_tokens_by_grant",
        ]),
        // Only a retired token's second use looks for its successor, and the grant's index finds it among the family;
        // every rotation wrote a page of this one.
        Migration(version: 9, name: "no index of refresh tokens by parent", statements: [
            "DROP INDEX refresh_tokens_by_parent",
        ]),
        // A browser that signed in before keeps its own live code and budgets; codes and pauses key on the mailbox.
        Migration(version: 10, name: "known browsers, code lanes, mailboxes and send pauses", statements: [
            """
            CREATE TABLE known_browsers (token_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL, created_at BIGINT NOT NULL,
              expires_at BIGINT NOT NULL)
            """,
            "CREATE INDEX known_browsers_by_account ON known_browsers (account_id)",
            "ALTER TABLE challenges ADD COLUMN mailbox TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE challenges ADD COLUMN lane TEXT NOT NULL DEFAULT ''",
            "UPDATE challenges SET mailbox = email",
            "CREATE INDEX challenges_by_mailbox ON challenges (mailbox)",
            "ALTER TABLE cancel_links ADD COLUMN mailbox TEXT NOT NULL DEFAULT ''",
            "UPDATE cancel_links SET mailbox = email",
            "CREATE TABLE send_pauses (mailbox TEXT PRIMARY KEY, paused_at BIGINT NOT NULL)",
        ]),
        // Passkeys, their single-use ceremonies, and how each sign-in was proved (amr, acr) carried to its tokens.
        Migration(version: 11, name: "passkeys and sign-in methods", statements: [
            """
            CREATE TABLE passkeys (credential_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, public_key TEXT NOT NULL,
              algorithm INTEGER NOT NULL, sign_count BIGINT NOT NULL, name TEXT NOT NULL, created_at BIGINT NOT NULL,
              last_used_at BIGINT, backed_up BOOLEAN NOT NULL)
            """,
            "CREATE INDEX passkeys_by_account ON passkeys (account_id)",
            """
            CREATE TABLE passkey_ceremonies (id TEXT PRIMARY KEY, challenge_hash TEXT NOT NULL UNIQUE, purpose TEXT NOT NULL,
              browser_hash TEXT NOT NULL, account_id TEXT, login_id TEXT, user_verification_required BOOLEAN NOT NULL,
              created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, used_at BIGINT)
            """,
            "ALTER TABLE sessions ADD COLUMN amr TEXT",
            "ALTER TABLE sessions ADD COLUMN acr TEXT",
            "ALTER TABLE authorization_codes ADD COLUMN amr TEXT",
            "ALTER TABLE authorization_codes ADD COLUMN acr TEXT",
            "ALTER TABLE grants ADD COLUMN amr TEXT",
            "ALTER TABLE grants ADD COLUMN acr TEXT",
        ]),
        // The "this wasn't me" links of "passkey added" emails; following one ends every session of its account, found by
        // account rather than by walking every session.
        Migration(version: 12, name: "passkey notification links, and the passkey of a session", statements: [
            """
            CREATE TABLE passkey_revocation_links (token_hash TEXT PRIMARY KEY, account_id TEXT NOT NULL,
              credential_id TEXT NOT NULL, email TEXT NOT NULL, passkey_name TEXT NOT NULL, created_at BIGINT NOT NULL,
              expires_at BIGINT NOT NULL, used_at BIGINT)
            """,
            "CREATE INDEX passkey_revocation_links_by_account ON passkey_revocation_links (account_id)",
            "CREATE INDEX sessions_by_account ON sessions (account_id)",
            // The passkey a session was made with, so that removing it ends them.
            "ALTER TABLE sessions ADD COLUMN passkey_id TEXT",
        ]),
        // The operator's questions: an account's grants and codes (disable, erase), and the audit trail by account and by
        // client.
        Migration(version: 13, name: "account administration", statements: [
            "CREATE INDEX grants_by_account ON grants (account_id)",
            "CREATE INDEX authorization_codes_by_account ON authorization_codes (account_id)",
            "CREATE INDEX audit_events_by_subject ON audit_events (subject, at)",
            "CREATE INDEX audit_events_by_client ON audit_events (client_id, at)",
        ]),
        // The account page: where each session was made (a coarse browser, an address prefix; older rows unknown), and the
        // emailed code that confirms "delete my account", one per session and gone with it.
        Migration(version: 14, name: "self-service account page", statements: [
            "ALTER TABLE sessions ADD COLUMN browser TEXT",
            "ALTER TABLE sessions ADD COLUMN network TEXT",
            """
            CREATE TABLE account_deletion_codes (session_hash TEXT PRIMARY KEY REFERENCES sessions (id_hash) ON DELETE CASCADE,
              id TEXT NOT NULL, code_hash TEXT NOT NULL, attempts INTEGER NOT NULL, sent_at BIGINT NOT NULL,
              expires_at BIGINT NOT NULL)
            """,
        ]),
        // The accounts that may sign in to the admin console (`logintoo admin grant`).
        Migration(version: 15, name: "admin accounts", statements: [
            "CREATE TABLE admin_accounts (account_id TEXT PRIMARY KEY, granted_at BIGINT NOT NULL)",
        ]),
        // Authorization requests pushed to /par (RFC 9126), by the digest of their request_uri, each taken once.
        Migration(version: 16, name: "pushed authorization requests", statements: [
            """
            CREATE TABLE pushed_requests (request_hash TEXT PRIMARY KEY, client_id TEXT NOT NULL, parameters TEXT NOT NULL,
              created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)
            """,
        ]),
        // DPoP (RFC 9449): the key a code and a public client's grant are bound to (its RFC 7638 thumbprint), and the
        // proofs seen, by the digest of their key and jti, until their window closes.
        Migration(version: 17, name: "DPoP-bound codes and grants, DPoP proofs seen", statements: [
            "ALTER TABLE authorization_codes ADD COLUMN dpop_jkt TEXT",
            "ALTER TABLE grants ADD COLUMN dpop_jkt TEXT",
            "CREATE TABLE dpop_proofs (proof_hash TEXT PRIMARY KEY, expires_at BIGINT NOT NULL)",
            "CREATE INDEX dpop_proofs_expiry ON dpop_proofs (expires_at)",
        ]),
        // Outgoing deliveries (back-channel logout tokens; other notices later): queued in the transaction that makes
        // them, claimed by one instance's worker at a time, retried with backoff until they expire.
        Migration(version: 18, name: "deliveries", statements: [
            """
            CREATE TABLE deliveries (id TEXT PRIMARY KEY, kind TEXT NOT NULL, target TEXT NOT NULL, body TEXT NOT NULL,
              created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0,
              next_attempt_at BIGINT NOT NULL, delivered_at BIGINT, abandoned_at BIGINT, last_error TEXT)
            """,
            "CREATE INDEX deliveries_pending_due ON deliveries (next_attempt_at) WHERE delivered_at IS NULL AND abandoned_at IS NULL",
            "CREATE INDEX deliveries_by_time ON deliveries (created_at)",
            // The clients a session gave codes to, kept while the session lasts: a grant without offline_access, and
            // a code, are purged long before the session ends, and back-channel logout must still reach their client.
            "CREATE TABLE session_clients (session_hash TEXT NOT NULL, client_id TEXT NOT NULL, PRIMARY KEY (session_hash, client_id))",
        ]),
        // The trace context of the request that queued an email (W3C traceparent and tracestate as the tracer propagates
        // them), so that its delivery, on whichever instance claims it, continues the request's trace.
        Migration(version: 19, name: "outbox trace context", statements: [
            "ALTER TABLE outbox ADD COLUMN trace_context TEXT",
        ]),
        // Webhook endpoints the operator registered: where security events are POSTed (queued in `deliveries`), which
        // kinds each wants, and its signing secret sealed under the server secret.
        Migration(version: 20, name: "webhook endpoints", statements: [
            """
            CREATE TABLE webhook_endpoints (id TEXT PRIMARY KEY, url TEXT NOT NULL, events TEXT NOT NULL,
              sealed_secret TEXT NOT NULL, created_at BIGINT NOT NULL)
            """,
        ]),
        // The trace context of the operation that queued a delivery, continued by its attempts; and whom a waiting
        // webhook names (an account id or an address), so that erasing the account drops it.
        Migration(version: 21, name: "delivery trace context and subject", statements: [
            "ALTER TABLE deliveries ADD COLUMN trace_context TEXT",
            "ALTER TABLE deliveries ADD COLUMN subject TEXT",
        ]),
        // A webhook endpoint's secret replaced by a rotation, signing beside the new one for a while.
        Migration(version: 22, name: "webhook secret rotation", statements: [
            "ALTER TABLE webhook_endpoints ADD COLUMN previous_sealed_secret TEXT",
            "ALTER TABLE webhook_endpoints ADD COLUMN previous_until BIGINT",
        ]),
        // The admin search reads the accounts whose address starts with a prefix as one range of addresses in byte
        // order: SQLite's unique index on `email` is in that order already; PostgreSQL's follows the database's
        // collation, which may order by language.
        Migration(version: 23, name: "account search by address prefix", statements: [], postgreSQLStatements: [
            #"CREATE INDEX accounts_by_email_bytes ON accounts (email COLLATE "C")"#,
        ]),
    ]

    /// Applies every migration not applied yet, each in its own transaction; returns the versions applied.
    @discardableResult
    public static func migrate(_ engine: any SQLEngine, now: Int64) async throws -> [Int] {
        try await engine.run { db in
            try await db.raw("""
                CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,
                  applied_at BIGINT NOT NULL)
                """).run()
        }
        var applied: [Int] = []
        for migration in all {
            let done = try await engine.transaction { db in
                try await db.raw("SELECT version FROM schema_migrations WHERE version = \(bind: migration.version)").first() != nil
            }
            if done { continue }
            try await engine.transaction { db in
                let postgreSQL = db.isPostgreSQL ? migration.postgreSQLStatements : []
                for statement in migration.statements + postgreSQL { try await db.raw("\(unsafeRaw: statement)").run() }
                try await db.raw("""
                    INSERT INTO schema_migrations (version, name, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: now))
                    """).run()
            }
            applied.append(migration.version)
        }
        return applied
    }
}
