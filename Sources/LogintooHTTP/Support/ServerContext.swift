import Crypto
import Logging
import LogintooCore

/// What every endpoint needs: the core services and the settings that shape HTTP answers.
public struct ServerContext: Sendable {
    public let policy: Policy
    public let store: any AuthorizationServerStore
    public let clients: ClientRegistry
    public let signIn: SignInService
    public let authorization: AuthorizationService
    public let tokens: TokenService
    /// What the server supports: the token endpoint validates against it and discovery publishes it.
    public var capabilities: ServerCapabilities
    public let logintooAPI: LogintooAPI
    public let keys: KeyRingSource
    /// The keys as they are now.
    public var ring: KeyRing { keys.current }
    public let clock: any WallClock
    public let random: any RandomSource
    public let csrfKey: SymmetricKey
    public let cookies: CookieNames
    public let demoClientId: String?
    public let logger: Logger
    /// Whether the server is accepting work; false while shutting down.
    public let readiness: Readiness
    public let metrics: ServerMetrics
    /// Security events go to the log, the audit table and the metrics.
    public let events: any SecurityEventSink

    public init(policy: Policy, store: any AuthorizationServerStore, secret: ServerSecret, keys: KeyRingSource, clock: any WallClock,
                random: any RandomSource, composer: any SignInEmailComposer, demoClientId: String?, logger: Logger,
                readiness: Readiness = Readiness(), metrics: ServerMetrics = ServerMetrics()) {
        self.policy = policy
        self.store = store
        self.keys = keys
        self.clock = clock
        self.random = random
        self.clients = ClientRegistry(store: store, clock: clock, random: random)
        let events = AuditTrail(store: store, clock: clock, random: random, logger: logger, metrics: metrics)
        self.events = events
        self.signIn = SignInService(store: store, policy: policy, clock: clock, random: random, secret: secret, composer: composer,
                                    events: events)
        self.authorization = AuthorizationService(store: store, policy: policy, clock: clock, random: random)
        self.tokens = TokenService(store: store, policy: policy, clock: clock, random: random, keys: keys, events: events)
        self.capabilities = .standard(grants: tokens.grants, signingAlgorithm: keys.current.signingKey.algorithm)
        self.logintooAPI = LogintooAPI(store: store, signIn: signIn, authorization: authorization, tokens: tokens, policy: policy,
                                       clock: clock, secret: secret)
        self.csrfKey = secret.key(for: .csrf)
        self.cookies = CookieNames(secure: policy.issuer.hasPrefix("https://"))
        self.demoClientId = demoClientId
        self.logger = logger
        self.readiness = readiness
        self.metrics = metrics
    }

    /// The origin of the issuer, which same-origin form posts must carry.
    public var issuerOrigin: String { RedirectURIPolicy.origin(of: policy.issuer) ?? policy.issuer }
}

import Synchronization

/// A flag the health endpoint reads and shutdown clears.
public final class Readiness: Sendable {
    private let ready = Atomic<Bool>(true)
    public init() {}
    public var isReady: Bool { ready.load(ordering: .relaxed) }
    public func markNotReady() { ready.store(false, ordering: .relaxed) }
}

