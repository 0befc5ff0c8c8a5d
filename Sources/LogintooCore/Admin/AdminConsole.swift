/// The admin console is an ordinary client of this server (`clientId`): it signs people in through the hosted pages with
/// the authorization code flow and PKCE, keeps the grant's refresh token as its session (never sent anywhere else), and
/// lets through only accounts the operator made admins (`AdminRoles`), checked again at every request.
public struct AdminConsole: Sendable {
    public static let clientId = "logintoo-admin"
    public static let callbackPath = "/admin/callback"
    public static let scope = "openid email offline_access"
    /// How long a console session lasts after the sign-in it came from; then the console signs in again (without a code
    /// while the browser's session at this server lives).
    public static let sessionLifetime: Int64 = 8 * 3600

    let tokens: TokenService
    let clients: any ClientStore
    let roles: AdminRoles
    let clock: any WallClock

    public init(tokens: TokenService, clients: any ClientStore, roles: AdminRoles, clock: any WallClock) {
        (self.tokens, self.clients, self.roles, self.clock) = (tokens, clients, roles, clock)
    }

    /// The console client as every server registers it: public, redirecting only to this issuer's callback.
    public static func client(issuer: String) -> (name: String, redirectURIs: [String]) {
        ("Logintoo admin console", [issuer + callbackPath])
    }

    public enum SignInOutcome: Sendable, Equatable {
        /// An admin signed in: `sessionToken` is the console's session, for its cookie.
        case admin(sessionToken: String, caller: AdminCaller)
        /// The person is not an admin: the grant was revoked at once.
        case notAdmin
        /// The code was not this console's, or was used, expired or answered with another verifier.
        case refused
    }

    /// Exchanges the code the console's callback received, as any client does.
    public func completeSignIn(code: String, verifier: String, redirectUri: String) async throws -> SignInOutcome {
        guard let client = try await clients.client(id: Self.clientId) else { return .refused }
        let issued: IssuedTokens
        do {
            issued = try await tokens.exchangeCode(client: client, code: code, redirectUri: redirectUri, codeVerifier: verifier)
        } catch is OAuthError {
            return .refused
        }
        guard let grant = issued.grant, let refresh = issued.response.refresh_token else { return .refused }
        // The authorization request asks `max_age`; a sign-in older than the console's session is not let in either way.
        guard clock.now() - grant.authTime <= Self.sessionLifetime else {
            try await tokens.revoke(token: refresh, client: client)
            return .refused
        }
        guard try await roles.isAdmin(accountId: grant.accountId) else {
            try await tokens.revoke(token: refresh, client: client)
            return .notAdmin
        }
        return .admin(sessionToken: refresh, caller: AdminCaller(clientId: client.id, accountId: grant.accountId))
    }

    /// The admin of console session `sessionToken`: a live grant of the console signed in within `sessionLifetime`, whose
    /// account is enabled and still an admin.
    public func caller(sessionToken: String) async throws -> AdminCaller? {
        guard let client = try await clients.client(id: Self.clientId),
              let (grant, account) = try await tokens.refreshToken.currentGrant(of: sessionToken, client: client),
              clock.now() - grant.authTime <= Self.sessionLifetime, try await roles.isAdmin(accountId: account.id)
        else { return nil }
        return AdminCaller(clientId: client.id, accountId: account.id)
    }

    /// Ends the console session: its grant is revoked.
    public func signOut(sessionToken: String) async throws {
        guard let client = try await clients.client(id: Self.clientId) else { return }
        try await tokens.revoke(token: sessionToken, client: client)
    }
}
