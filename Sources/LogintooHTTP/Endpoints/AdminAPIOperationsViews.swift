import Foundation
import LogintooCore

/// The JSON shapes of the admin API's client, key and outbox operations, named as the OpenAPI document names them.
/// Times are Unix seconds; a setting left to the server's default is absent.
enum AdminOperationsView {
    /// A client with every setting: `AdminView.Client`'s fields, then the settings as `PATCH` takes them, and the secret
    /// only in the answer of the call that made it.
    struct ClientDetails: Encodable {
        let client: AdminView.Client
        let settings: Settings
        let secret: String?

        init(_ client: LogintooCore.Client, secret: String? = nil) {
            self.client = AdminView.Client(client)
            settings = Settings(client.settings)
            self.secret = secret
        }

        enum SecretKey: String, CodingKey { case client_secret }

        func encode(to encoder: any Encoder) throws {
            try client.encode(to: encoder)
            try settings.encode(to: encoder)
            var container = encoder.container(keyedBy: SecretKey.self)
            try container.encodeIfPresent(secret, forKey: .client_secret)
        }
    }

    struct Settings: Encodable {
        let access_token_lifetime: Int64?
        let refresh_idle_lifetime: Int64?
        let refresh_absolute_lifetime: Int64?
        let refresh_sliding: Bool?
        let code_digits: Int?
        let code_lifetime: Int64?
        let code_max_attempts: Int?
        let token_audience: String?
        let reply_to: String?
        let email_subject: String?
        let logo_url: String?
        let resources: [String]?
        let accent_color: String?
        let sender_name: String?
        let privacy_url: String?
        let terms_url: String?
        let require_pushed_authorization_requests: Bool?
        let dpop_bound_access_tokens: Bool?
        let backchannel_logout_uri: String?
        let backchannel_logout_session_required: Bool?

        init(_ settings: ClientSettings) {
            (access_token_lifetime, refresh_idle_lifetime, refresh_absolute_lifetime, refresh_sliding) =
                (settings.accessTokenLifetime, settings.refreshIdleLifetime, settings.refreshAbsoluteLifetime, settings.refreshSliding)
            (code_digits, code_lifetime, code_max_attempts) = (settings.codeDigits, settings.codeLifetime, settings.codeMaxAttempts)
            (token_audience, reply_to, email_subject, logo_url) = (settings.tokenAudience, settings.replyTo, settings.emailSubject,
                                                                   settings.logoURL)
            (resources, accent_color, sender_name) = (settings.resources, settings.accentColor, settings.senderName)
            (privacy_url, terms_url) = (settings.privacyURL, settings.termsURL)
            require_pushed_authorization_requests = settings.requirePushedAuthorizationRequests
            dpop_bound_access_tokens = settings.dpopBoundAccessTokens
            (backchannel_logout_uri, backchannel_logout_session_required) =
                (settings.backchannelLogoutURI, settings.backchannelLogoutSessionRequired)
        }
    }

    struct Removed: Encodable {
        let id: String
        let removed = true
    }

    struct Key: Encodable {
        let kid: String
        let alg: String
        /// `next`, `active`, `retiring` or `expired`.
        let state: String
        let created_at: Int64
        let activates_at: Int64
        /// Until when a retiring key stays published.
        let published_until: Int64?

        init(_ entry: KeyAdministration.Entry) {
            (kid, alg, created_at, activates_at) = (entry.kid, entry.algorithm, entry.createdAt, entry.activatesAt)
            switch entry.state {
            case .next: (state, published_until) = ("next", nil)
            case .active: (state, published_until) = ("active", nil)
            case .retiring(let until): (state, published_until) = ("retiring", until)
            case .expired: (state, published_until) = ("expired", nil)
            }
        }
    }

    struct Message: Encodable {
        let id: String
        let recipient: String
        /// `queued`, `failed` or `abandoned`.
        let state: String
        let created_at: Int64
        let expires_at: Int64
        let attempts: Int
        let last_error: String?
        /// When the worker tries it next; `null` once abandoned.
        let next_attempt_at: Int64?

        init(_ message: UndeliveredMessage) {
            (id, recipient, state, created_at, expires_at) = (message.id, message.recipient, message.state, message.createdAt,
                                                              message.expiresAt)
            (attempts, last_error) = (message.attempts, message.lastError)
            next_attempt_at = message.abandonedAt == nil ? message.nextAttemptAt : nil
        }
    }

    /// A logout notice or webhook: never its body, from which each attempt signs what is sent.
    struct Delivery: Encodable {
        let id: String
        /// `backchannel_logout` or `webhook`.
        let kind: String
        let target: String
        /// `pending`, `delivered` or `abandoned`.
        let state: String
        let created_at: Int64
        let expires_at: Int64
        let attempts: Int
        let last_error: String?
        /// When the worker tries it next; `null` once delivered or abandoned.
        let next_attempt_at: Int64?
        let delivered_at: Int64?

        init(_ delivery: LogintooCore.Delivery) {
            // Without its query: a receiver's URL may carry its own token there, which the API does not hand out.
            (id, kind, target, state) = (delivery.id, delivery.kind, Self.withoutQuery(delivery.target), delivery.state)
            (created_at, expires_at, attempts, last_error) = (delivery.createdAt, delivery.expiresAt, delivery.attempts, delivery.lastError)
            next_attempt_at = delivery.state == "pending" ? delivery.nextAttemptAt : nil
            delivered_at = delivery.deliveredAt
        }

        static func withoutQuery(_ url: String) -> String {
            guard var parts = URLComponents(string: url), parts.query != nil else { return url }
            parts.query = nil
            return parts.string ?? url
        }
    }

    struct Retried: Encodable {
        let id: String
        let retried = true
    }
}
