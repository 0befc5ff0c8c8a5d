/// Who is calling the admin API: the admin client an admin token was issued to, or an admin person signed in to the
/// console (through the console's client).
public struct AdminCaller: Sendable, Equatable {
    /// The admin client's id, or the console's.
    public let clientId: String
    /// The admin person, when the console calls.
    public let accountId: String?

    public init(clientId: String, accountId: String? = nil) {
        self.clientId = clientId
        self.accountId = accountId
    }

    /// How the audit trail names who acted: `account:ID` for a person at the console, `client:ID` for an admin script.
    public var actor: String { accountId.map { "account:" + $0 } ?? "client:" + clientId }
}

/// The one check in front of every admin API route: a bearer token reaches the admin API only when it is a live access
/// token of this server (signature, issuer, unexpired, not revoked) that `ClientCredentialsGrant` made for the admin API
/// (its `aud` is `Policy.adminAudience`, its scope has `admin`, it is a client's own token) and its client is still an
/// admin client, read at each call, so taking the setting away or removing the client ends its tokens at once.
public struct AdminAccess: Sendable {
    let accessTokens: LiveAccessTokens
    let clients: any ClientStore
    let audience: String

    /// A check over the store's access-token deny list and clients, for tokens of `policy.issuer` signed by `keys`.
    public init(store: any TokenStore & ClientStore, policy: Policy, clock: any WallClock, keys: KeyRingSource) {
        self.init(accessTokens: LiveAccessTokens(store: store, issuer: policy.issuer, clock: clock, keys: keys), clients: store,
                  audience: policy.adminAudience)
    }

    init(accessTokens: LiveAccessTokens, clients: any ClientStore, audience: String) {
        self.accessTokens = accessTokens
        self.clients = clients
        self.audience = audience
    }

    /// The admin client presenting `accessToken`, or `nil` when the token may not reach the admin API.
    public func caller(accessToken: String) async throws -> AdminCaller? {
        guard let claims = try await accessTokens.claims(of: accessToken), claims.aud == audience,
              AccessTokenID.isClientToken(claims.jti), claims.sub == claims.client_id,
              Scope.values(of: claims.scope).contains(ClientCredentialsGrant.adminScope),
              let client = try await clients.client(id: claims.client_id), client.isAdmin
        else { return nil }
        return AdminCaller(clientId: client.id)
    }
}
