/// A person who has signed in at least once. `id` is the stable `sub`, never derived from the email.
public struct Account: Sendable, Codable, Equatable {
    public var id: String
    public var email: String
    public var createdAt: Int64
    public var disabledAt: Int64?

    public init(id: String, email: String, createdAt: Int64, disabledAt: Int64? = nil) {
        self.id = id
        self.email = email
        self.createdAt = createdAt
        self.disabledAt = disabledAt
    }
}

/// A sign-in in progress: the validated authorization request, waiting for the person to prove their email.
/// Bound to the browser that started it through `browserHash`, the digest of a cookie set on that browser.
public struct LoginTransaction: Sendable, Codable, Equatable {
    public var id: String
    public var browserHash: String
    public var request: AuthorizationRequest
    public var email: String?
    public var createdAt: Int64
    public var expiresAt: Int64

    public init(id: String, browserHash: String, request: AuthorizationRequest, email: String? = nil,
                createdAt: Int64, expiresAt: Int64) {
        self.id = id
        self.browserHash = browserHash
        self.request = request
        self.email = email
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// A message's delivery state, for `logintoo mail status`: never its content.
public struct OutboxStatus: Sendable, Codable, Equatable {
    public var id: String
    public var recipient: String
    public var createdAt: Int64
    public var attempts: Int
    public var sentAt: Int64?
    public var abandonedAt: Int64?
    public var lastError: String?
    public var provider: String?

    /// `queued` (never tried), `failed` (tried, to be retried), `sent` or `abandoned`.
    public var state: String {
        if sentAt != nil { return "sent" }
        if abandonedAt != nil { return "abandoned" }
        return attempts == 0 ? "queued" : "failed"
    }
}

/// The "this wasn't me" link of one sign-in email: its token's digest and the address it protects.
public struct CancelLink: Sendable, Equatable {
    public var tokenHash: String
    public var email: String
    /// The mailbox the pause and the ended sign-ins key on (`Mailbox.canonical(email)`).
    public var mailbox: String
    public var expiresAt: Int64

    public init(tokenHash: String, email: String, mailbox: String? = nil, expiresAt: Int64) {
        (self.tokenHash, self.email, self.mailbox, self.expiresAt) = (tokenHash, email, mailbox ?? Mailbox.canonical(email), expiresAt)
    }
}

/// A browser that signed in to an account, remembered by the digest of its long-lived cookie (docs/security.md: known
/// browsers keep their own codes and budgets).
public struct KnownBrowser: Sendable, Codable, Equatable {
    public var tokenHash: String
    public var accountId: String
    public var createdAt: Int64
    public var expiresAt: Int64

    public init(tokenHash: String, accountId: String, createdAt: Int64, expiresAt: Int64) {
        (self.tokenHash, self.accountId, self.createdAt, self.expiresAt) = (tokenHash, accountId, createdAt, expiresAt)
    }
}

/// A one-time code sent to an address for one login transaction. Only its HMAC is stored.
public struct Challenge: Sendable, Codable, Equatable {
    public var id: String
    public var loginId: String
    public var email: String
    public var codeHash: String
    public var createdAt: Int64
    public var expiresAt: Int64
    public var attempts: Int
    public var consumedAt: Int64?
    /// The digest of the magic link's token, while the link can be used.
    public var linkHash: String?
    /// When the magic link was confirmed on another device, for the waiting browser to finish the sign-in.
    public var approvedAt: Int64?
    /// The mailbox the one-live-code rule keys on (`Mailbox.canonical(email)`); mail goes to `email`.
    public var mailbox: String
    /// The lane of the browser that asked (`CodeLane.stored`): one live code per mailbox per lane.
    public var lane: String

    /// The lane of the browser that asked, whose budgets its attempts count against.
    public var codeLane: CodeLane { CodeLane(stored: lane) }

    public init(id: String, loginId: String, email: String, codeHash: String, createdAt: Int64, expiresAt: Int64,
                attempts: Int = 0, consumedAt: Int64? = nil, linkHash: String? = nil, approvedAt: Int64? = nil,
                mailbox: String? = nil, lane: CodeLane = .unknownBrowsers) {
        self.mailbox = mailbox ?? Mailbox.canonical(email)
        self.lane = lane.stored
        self.linkHash = linkHash
        self.approvedAt = approvedAt
        self.id = id
        self.loginId = loginId
        self.email = email
        self.codeHash = codeHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.attempts = attempts
        self.consumedAt = consumedAt
    }
}

/// An email waiting in the outbox. The body is sealed with a server key, and cleared once delivered or abandoned.
public struct OutboxMessage: Sendable, Codable, Equatable {
    public var id: String
    public var recipient: String
    public var sealedContent: String
    public var createdAt: Int64
    /// After this, delivery is pointless (the code has expired) and the message is abandoned.
    public var expiresAt: Int64
    public var attempts: Int
    public var nextAttemptAt: Int64

    public init(id: String, recipient: String, sealedContent: String, createdAt: Int64, expiresAt: Int64,
                attempts: Int = 0, nextAttemptAt: Int64) {
        self.id = id
        self.recipient = recipient
        self.sealedContent = sealedContent
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
    }
}

/// A signed-in browser at this server (single sign-on). Stored under the digest of the cookie value.
public struct Session: Sendable, Codable, Equatable {
    public var idHash: String
    public var accountId: String
    public var authTime: Int64
    public var createdAt: Int64
    public var lastSeenAt: Int64
    public var expiresAt: Int64
    public var endedAt: Int64?

    public init(idHash: String, accountId: String, authTime: Int64, createdAt: Int64, lastSeenAt: Int64,
                expiresAt: Int64, endedAt: Int64? = nil) {
        self.idHash = idHash
        self.accountId = accountId
        self.authTime = authTime
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.endedAt = endedAt
    }
}

/// An issued authorization code and everything it is bound to. Stored under the digest of the code.
public struct AuthorizationCode: Sendable, Codable, Equatable {
    public var codeHash: String
    public var clientId: String
    public var redirectUri: String
    public var codeChallenge: String?
    public var nonce: String?
    public var scope: String
    public var accountId: String
    public var sessionHash: String?
    public var authTime: Int64
    public var createdAt: Int64
    public var expiresAt: Int64
    public var consumedAt: Int64?
    /// The grant the code was exchanged for, so that a replay can revoke it.
    public var grantId: String?
    /// Echoed by the Logintoo JSON API's token answer.
    public var state: String?
    public var language: String?
    public var locale: String?
    public var resource: String?

    public init(codeHash: String, clientId: String, redirectUri: String, codeChallenge: String?, nonce: String?,
                scope: String, accountId: String, sessionHash: String?, authTime: Int64, createdAt: Int64,
                expiresAt: Int64, consumedAt: Int64? = nil, grantId: String? = nil, state: String? = nil,
                language: String? = nil, locale: String? = nil, resource: String? = nil) {
        self.codeHash = codeHash
        self.clientId = clientId
        self.redirectUri = redirectUri
        self.codeChallenge = codeChallenge
        self.nonce = nonce
        self.scope = scope
        self.accountId = accountId
        self.sessionHash = sessionHash
        self.authTime = authTime
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.consumedAt = consumedAt
        self.grantId = grantId
        self.state = state
        self.language = language
        self.locale = locale
        self.resource = resource
    }
}

/// What one code exchange granted a client: the root of a refresh-token family and of its access tokens.
public struct Grant: Sendable, Codable, Equatable {
    public var id: String
    public var clientId: String
    public var accountId: String
    public var sessionHash: String?
    public var scope: String
    public var authTime: Int64
    public var createdAt: Int64
    /// The absolute end of the refresh family; no rotated token outlives it.
    public var expiresAt: Int64
    public var revokedAt: Int64?
    /// Which claims its access tokens carry.
    public var profile: TokenProfile
    public var language: String?
    public var locale: String?
    /// The API its access tokens are for (RFC 8707); their `aud`.
    public var resource: String?

    public init(id: String, clientId: String, accountId: String, sessionHash: String?, scope: String, authTime: Int64,
                createdAt: Int64, expiresAt: Int64, revokedAt: Int64? = nil, profile: TokenProfile = .oauth,
                language: String? = nil, locale: String? = nil, resource: String? = nil) {
        self.id = id
        self.clientId = clientId
        self.accountId = accountId
        self.sessionHash = sessionHash
        self.scope = scope
        self.authTime = authTime
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
        self.profile = profile
        self.language = language
        self.locale = locale
        self.resource = resource
    }
}

/// The claim set a grant's access tokens follow.
public enum TokenProfile: String, Sendable, Codable {
    /// RFC 9068 with OpenID scopes deciding the email claims.
    case oauth
    /// Issued through the Logintoo JSON API: also `email`, `email_normalized`, `hd`, `language` and `locale`, as the original did.
    case logintoo
}

/// One refresh token of a family, stored under its digest. `parentHash` links a rotated token to the one it replaced.
public struct RefreshToken: Sendable, Codable, Equatable {
    public var tokenHash: String
    public var grantId: String
    public var parentHash: String?
    public var createdAt: Int64
    public var expiresAt: Int64
    public var retiredAt: Int64?

    public init(tokenHash: String, grantId: String, parentHash: String?, createdAt: Int64, expiresAt: Int64,
                retiredAt: Int64? = nil) {
        self.tokenHash = tokenHash
        self.grantId = grantId
        self.parentHash = parentHash
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.retiredAt = retiredAt
    }
}

/// An access token on the deny list: revoked by its client before it expired. Userinfo and introspection refuse it
/// until then.
public struct AccessTokenRecord: Sendable, Codable, Equatable {
    public var jti: String
    public var grantId: String
    public var clientId: String
    public var expiresAt: Int64
    public var revokedAt: Int64?

    public init(jti: String, grantId: String, clientId: String, expiresAt: Int64, revokedAt: Int64? = nil) {
        self.jti = jti
        self.grantId = grantId
        self.clientId = clientId
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }
}

/// A signing key as persisted: the private key sealed with the key-encryption key.
public struct StoredSigningKey: Sendable, Codable, Equatable {
    public var kid: String
    public var alg: String
    public var sealedPrivateKey: String
    public var createdAt: Int64
    public var retiredAt: Int64?
    /// When it starts signing; `nil`: from its creation.
    public var activatesAt: Int64?

    public init(kid: String, alg: String, sealedPrivateKey: String, createdAt: Int64, retiredAt: Int64? = nil,
                activatesAt: Int64? = nil) {
        self.kid = kid
        self.alg = alg
        self.sealedPrivateKey = sealedPrivateKey
        self.createdAt = createdAt
        self.retiredAt = retiredAt
        self.activatesAt = activatesAt
    }
}

/// A counter that allows at most `limit` events per `window` seconds, and none sooner than `interval` after the last.
public struct RateLimit: Sendable, Equatable {
    public var key: String
    public var limit: Int
    public var window: Int64
    public var interval: Int64

    public init(key: String, limit: Int, window: Int64, interval: Int64 = 0) {
        self.key = key
        self.limit = limit
        self.window = window
        self.interval = interval
    }
}
