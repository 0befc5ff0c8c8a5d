/// RFC 6749 §4.4: an admin client gets a short-lived access token for the admin API, for itself. Only confidential clients
/// the operator made admin clients (`Client.isAdmin`), only the scope `admin`; the token's `aud` is `Policy.adminAudience`,
/// and there is no refresh token and no ID token (§4.4.3): the client authenticates again for the next one.
public struct ClientCredentialsGrant: GrantHandler {
    public let grantType = "client_credentials"
    /// The one scope this grant issues.
    public static let adminScope = "admin"
    let policy: Policy
    let clock: any WallClock
    let minter: TokenMinter

    /// A handler minting with `minter`, lifetimes and audience from `policy`.
    public init(policy: Policy, clock: any WallClock, minter: TokenMinter) {
        self.policy = policy
        self.clock = clock
        self.minter = minter
    }

    /// An admin API token is a Bearer token whatever proof came with the request (the admin API takes no DPoP proofs),
    /// as RFC 9449 §5 lets a server answer; its `token_type` says so.
    public func issue(_ parameters: some TokenRequestParameters, client: Client, proofKey: String?) async throws -> IssuedTokens {
        try Self.checkClient(client)
        let scope = try Self.grantedScope(parameters["scope"])
        // RFC 8707 §2: the admin API is the only audience; no other resource may be asked for.
        if let resource = parameters["resource"], resource != policy.adminAudience {
            throw OAuthError(.invalidTarget, "client_credentials issues tokens for the admin API only")
        }
        let now = clock.now()
        let lifetime = policy.adminAccessTokenLifetime(for: client)
        let token = try minter.clientAccessToken(client: client, scope: scope, audience: policy.adminAudience, lifetime: lifetime,
                                                 now: now)
        return IssuedTokens(
            response: TokenResponse(access_token: token, expires_in: lifetime, scope: scope.joined(separator: " ")),
            accessExpiresAt: now + lifetime, refreshExpiresAt: nil, grant: nil, state: nil)
    }

    /// RFC 6749 §4.4: only a confidential client (the token endpoint has authenticated it) that is an admin client.
    static func checkClient(_ client: Client) throws {
        guard client.isConfidential else {
            throw OAuthError(.unauthorizedClient, "client_credentials is for confidential clients only")
        }
        guard client.isAdmin else { throw OAuthError(.unauthorizedClient, "this client may not use client_credentials") }
    }

    /// RFC 6749 §3.3: `admin`, asked for or by default; any other scope is `invalid_scope`.
    static func grantedScope(_ requested: String?) throws -> [String] {
        guard let requested else { return [adminScope] }
        guard Scope.parse(requested, supported: [adminScope]) == [adminScope] else {
            throw OAuthError(.invalidScope, "client_credentials grants the scope admin only")
        }
        return [adminScope]
    }
}
