import LogintooCore

/// The admin API's JSON shapes, named as the OpenAPI document names them. Times are Unix seconds.
enum AdminView {
    struct Account: Encodable {
        let id: String
        let email: String
        let disabled: Bool
        let disabled_at: Int64?
        let created_at: Int64
        let last_sign_in_at: Int64?

        init(_ summary: AccountSummary) {
            (id, email, disabled, disabled_at) = (summary.account.id, summary.account.email, summary.account.disabledAt != nil,
                                                  summary.account.disabledAt)
            (created_at, last_sign_in_at) = (summary.account.createdAt, summary.lastSignInAt)
        }
    }

    struct AccountDetails: Encodable {
        let account: Account
        let sessions: [Session]
        let grants: [Grant]
        let passkeys: [Passkey]
        let recent_events: [Event]

        init(_ details: AccountAdministration.Details) {
            account = Account(details.summary)
            sessions = details.sessions.map(Session.init)
            grants = details.grants.map(Grant.init)
            passkeys = details.passkeys.map(Passkey.init)
            recent_events = details.recentEvents.map(Event.init)
        }
    }

    /// A session, named by the digest it is kept under (never the cookie).
    struct Session: Encodable {
        let id: String
        let signed_in_at: Int64
        let last_seen_at: Int64
        let expires_at: Int64
        let amr: [String]
        let acr: String?

        init(_ session: LogintooCore.Session) {
            (id, signed_in_at, last_seen_at, expires_at) = (session.idHash, session.authTime, session.lastSeenAt, session.expiresAt)
            (amr, acr) = (SignInMethod.amr(stored: session.amr), session.acr)
        }
    }

    struct Grant: Encodable {
        let id: String
        let client_id: String
        let scope: String
        let signed_in_at: Int64
        let created_at: Int64
        let expires_at: Int64
        let resource: String?

        init(_ grant: LogintooCore.Grant) {
            (id, client_id, scope, signed_in_at) = (grant.id, grant.clientId, grant.scope, grant.authTime)
            (created_at, expires_at, resource) = (grant.createdAt, grant.expiresAt, grant.resource)
        }
    }

    struct Passkey: Encodable {
        let id: String
        let name: String
        let created_at: Int64
        let last_used_at: Int64?
        let backed_up: Bool

        init(_ passkey: LogintooCore.Passkey) {
            (id, name, created_at, last_used_at, backed_up) = (passkey.credentialId, passkey.name, passkey.createdAt,
                                                               passkey.lastUsedAt, passkey.backedUp)
        }
    }

    struct Event: Encodable {
        let id: String
        let at: Int64
        let kind: String
        let email: String?
        let client_id: String?
        let subject: String?
        let ip: String?
        let detail: String?

        init(_ record: AuditRecord) {
            (id, at, kind, email, client_id) = (record.id, record.at, record.kind, record.email, record.clientId)
            (subject, ip, detail) = (record.subject, record.ip, record.detail)
        }
    }

    struct Client: Encodable {
        let id: String
        let name: String
        let confidential: Bool
        let admin: Bool
        let redirect_uris: [String]
        let post_logout_redirect_uris: [String]
        let created_at: Int64

        init(_ client: LogintooCore.Client) {
            (id, name, confidential, admin) = (client.id, client.name, client.isConfidential, client.isAdmin)
            (redirect_uris, post_logout_redirect_uris, created_at) = (client.redirectURIs, client.postLogoutRedirectURIs,
                                                                      client.createdAt)
        }
    }

    struct Lockout: Encodable {
        let id: String
        let disabled: Bool
        let sessions_ended: Int
        let grants_revoked: Int
    }
}
