/// Registers clients and authenticates them at the token, revocation and introspection endpoints.
public struct ClientRegistry: Sendable {
    let store: any ClientStore
    let clock: any WallClock
    let random: any RandomSource

    public init(store: any ClientStore, clock: any WallClock, random: any RandomSource) {
        self.store = store
        self.clock = clock
        self.random = random
    }

    /// A new client and, for a confidential one, its secret (shown once, stored only as a digest).
    public struct Registration: Sendable {
        public let client: Client
        public let secret: String?
    }

    public func register(
        name: String, redirectURIs: [String], postLogoutRedirectURIs: [String] = [],
        confidential: Bool, settings: ClientSettings = .init(), id: String? = nil
    ) async throws -> Registration {
        try Self.validate(name: name, redirectURIs: redirectURIs, postLogoutRedirectURIs: postLogoutRedirectURIs,
                          confidential: confidential, settings: settings)
        let secret = confidential ? newSecret() : nil
        let client = Client(
            id: id ?? random.uuid(), name: name, secretHash: secret.map(SecretDigest.sha256),
            redirectURIs: redirectURIs, postLogoutRedirectURIs: postLogoutRedirectURIs, settings: settings,
            createdAt: clock.now()
        )
        try await store.saveClient(client)
        return Registration(client: client, secret: secret)
    }

    /// The rules every registered client keeps, at registration and at each change: a name of 1 to 100 characters, an
    /// admin client confidential, a redirect URI unless it is an admin client, registrable URIs, settings in bounds.
    public static func validate(name: String, redirectURIs: [String], postLogoutRedirectURIs: [String], confidential: Bool,
                                settings: ClientSettings) throws(ClientRegistrationError) {
        guard (1...100).contains(name.count) else { throw .invalidName }
        guard settings.admin != true || confidential else {
            throw .invalidSetting("an admin client must be confidential: add --confidential to --admin")
        }
        // An admin client may be a script that only ever uses client_credentials, with nowhere to redirect to.
        guard !redirectURIs.isEmpty || settings.admin == true else { throw .noRedirectURI }
        for uri in redirectURIs + postLogoutRedirectURIs { try RedirectURIPolicy.validateForRegistration(uri) }
        try settings.validate()
    }

    /// A new client secret: shown once to the operator, kept only as its SHA-256 digest (`Client.secretHash`).
    public func newSecret() -> String { random.token(bytes: 32) }

    /// The registered client with this id.
    public func client(id: String) async throws -> Client? { try await store.client(id: id) }

    /// Every registered client.
    public func all() async throws -> [Client] { try await store.clients() }

    /// Whether some client lets scripts from `origin` call the token endpoints (CORS).
    public func isAllowedOrigin(_ origin: String) async throws -> Bool {
        try await store.clients().contains { $0.allowedOrigins.contains(origin) }
    }

    /// What a client presented to prove who it is.
    public enum Credentials: Sendable, Equatable {
        case basic(id: String, secret: String)
        case post(id: String, secret: String)
        case none(id: String)
    }

    /// Finds the client and checks its credentials: confidential clients must present their secret, public ones must not.
    public func authenticate(_ credentials: Credentials) async throws -> Client {
        let id: String
        let secret: String?
        switch credentials {
        case .basic(let i, let s), .post(let i, let s): (id, secret) = (i, s)
        case .none(let i): (id, secret) = (i, nil)
        }
        guard let client = try await store.client(id: id) else { throw OAuthError.invalidClient("unknown client") }
        switch (client.secretHash, secret) {
        case (nil, nil):
            return client
        case (let hash?, let presented?):
            guard SecretDigest.constantTimeEquals(hash, SecretDigest.sha256(presented)) else {
                throw OAuthError.invalidClient("client authentication failed")
            }
            return client
        case (nil, _?):
            throw OAuthError.invalidClient("this client is public and has no secret")
        case (_?, nil):
            throw OAuthError.invalidClient("this client must authenticate with its secret")
        }
    }
}
