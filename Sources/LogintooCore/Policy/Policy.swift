/// The numbers that govern sign-in and tokens. Defaults and their bounds are in docs/security.md.
public struct Policy: Sendable, Equatable {
    public var issuer: String
    public var codeDigits = 8
    public var codeLifetime: Int64 = 600
    public var codeMaxAttempts = 5
    /// Failures per account: at most `shortBudget` per `shortWindow`, and `longBudget` per `longWindow`.
    public var shortBudget = 10
    public var shortWindow: Int64 = 900
    public var longBudget = 30
    public var longWindow: Int64 = 86_400
    public var sendInterval: Int64 = 60
    public var sendsPerAddressPerHour = 5
    public var sendsPerIPPerHour = 100
    /// How long a "this wasn't me" link stops codes to its mailbox for unknown browsers.
    public var notMePause: Int64 = 3600
    /// How long a browser stays known to an account after signing in to it.
    public var knownBrowserLifetime: Int64 = 365 * 86_400
    public var loginLifetime: Int64 = 3600
    public var authorizationCodeLifetime: Int64 = 60
    public var accessTokenLifetime: Int64 = 600
    public var refreshIdleLifetime: Int64 = 7 * 86_400
    public var refreshAbsoluteLifetime: Int64 = 30 * 86_400
    public var refreshGrace: Int64 = 10
    public var sessionIdleLifetime: Int64 = 7 * 86_400
    public var sessionAbsoluteLifetime: Int64 = 30 * 86_400
    /// How long an admin API token lives at most; a client's own shorter access-token lifetime wins.
    public var adminAccessTokenLifetime: Int64 = 300

    /// Whether every client's access tokens must be DPoP-bound (RFC 9449), as `--dpop-required` makes one client's.
    public var dpopRequired = false
    /// Whether every DPoP proof must carry a current server nonce (RFC 9449 §8).
    public var dpopNonceRequired = true

    public init(issuer: String) { self.issuer = issuer }

    /// Whether `client` must send a DPoP proof with each token request.
    public func requiresDPoP(for client: Client) -> Bool { client.settings.dpopBoundAccessTokens ?? dpopRequired }

    /// The `aud` of admin API tokens: no other token carries it, so no other token reaches the admin API.
    public var adminAudience: String { issuer + "/admin/api" }

    public func codeDigits(for client: Client) -> Int { client.settings.codeDigits ?? codeDigits }
    public func codeLifetime(for client: Client) -> Int64 { client.settings.codeLifetime ?? codeLifetime }
    public func codeMaxAttempts(for client: Client) -> Int { client.settings.codeMaxAttempts ?? codeMaxAttempts }
    public func accessTokenLifetime(for client: Client) -> Int64 { client.settings.accessTokenLifetime ?? accessTokenLifetime }
    public func adminAccessTokenLifetime(for client: Client) -> Int64 {
        min(adminAccessTokenLifetime, client.settings.accessTokenLifetime ?? adminAccessTokenLifetime)
    }
    public func refreshIdleLifetime(for client: Client) -> Int64 { client.settings.refreshIdleLifetime ?? refreshIdleLifetime }
    public func refreshAbsoluteLifetime(for client: Client) -> Int64 {
        if client.settings.refreshSliding == false { return refreshIdleLifetime(for: client) }
        return client.settings.refreshAbsoluteLifetime ?? refreshAbsoluteLifetime
    }
}
