import Crypto
import Logging
import LogintooAPICompatibility
import LogintooCore
import LogintooTraces

/// The core services and settings the routes are built from, made by the application (`ServerAssembly` in LogintooApp).
/// It holds no store: each endpoint receives the services it calls, and the core's services are the only way to data.
public struct ServerContext: Sendable {
    public let policy: Policy
    public let clients: ClientRegistry
    public let signIn: SignInService
    public let authorization: AuthorizationService
    public let tokens: TokenService
    public let logout: LogoutService
    public let passkeys: PasskeyService
    /// The operator's account operations (the admin API and console).
    public let accounts: AccountAdministration
    /// The admin console's sign-in and sessions.
    public let console: AdminConsole
    /// The signed-in person's own account page.
    public let selfService: AccountSelfService
    /// The operator's client, signing-key and outbox operations (the admin API).
    public let adminOperations: AdminOperations
    public let logintooAPI: LogintooAPI
    public let outbox: OutboxMonitor
    /// What the server supports: the token endpoint validates against it and discovery publishes it.
    public var capabilities: ServerCapabilities
    public let keys: KeyRingSource
    /// The check of DPoP proofs at the token endpoint and `/userinfo`.
    public let dpop: DPoPProofs
    public let clock: any WallClock
    public let random: any RandomSource
    public let csrfKey: SymmetricKey
    public let demoClientId: String?
    public let logger: Logger
    /// Whether the server is accepting work; false while shutting down.
    public let readiness: Readiness
    public let metrics: ServerMetrics
    /// Security events go to the log, the audit table and the metrics.
    public let events: any SecurityEventSink
    /// The operator's server-wide branding of the pages (a client's own branding wins on its sign-in's pages).
    public var branding = ServerBranding()
    /// The operator's theme (`LOGINTOO_THEME_DIR`): its stylesheet and the page templates it replaces.
    public var theme = PageTheme()
    /// The tracer of requests and their core operations; off unless trace export is configured.
    public var traces = Traces.off

    public init(policy: Policy, clients: ClientRegistry, signIn: SignInService, authorization: AuthorizationService,
                tokens: TokenService, logout: LogoutService, passkeys: PasskeyService, accounts: AccountAdministration, console: AdminConsole,
                selfService: AccountSelfService,
                logintooAPI: LogintooAPI, outbox: OutboxMonitor,
                capabilities: ServerCapabilities, keys: KeyRingSource, clock: any WallClock, random: any RandomSource,
                csrfKey: SymmetricKey, demoClientId: String?, logger: Logger, readiness: Readiness, metrics: ServerMetrics,
                events: any SecurityEventSink, adminOperations: AdminOperations, dpop: DPoPProofs) {
        self.dpop = dpop
        self.policy = policy
        self.clients = clients
        self.signIn = signIn
        self.authorization = authorization
        self.tokens = tokens
        self.logout = logout
        self.passkeys = passkeys
        self.accounts = accounts
        self.console = console
        self.selfService = selfService
        self.adminOperations = adminOperations
        self.logintooAPI = logintooAPI
        self.outbox = outbox
        self.capabilities = capabilities
        self.keys = keys
        self.clock = clock
        self.random = random
        self.csrfKey = csrfKey
        self.demoClientId = demoClientId
        self.logger = logger
        self.readiness = readiness
        self.metrics = metrics
        self.events = events
    }

    /// Cookie names and attributes: `__Host-` and `Secure` for an https issuer.
    public var cookies: CookieNames { CookieNames(secure: policy.issuer.hasPrefix("https://")) }

    /// The keys as they are now.
    public var ring: KeyRing { keys.current }

    /// The CSRF defence of the hosted forms.
    var csrf: CSRF { CSRF(key: csrfKey, issuerOrigin: RedirectURIPolicy.origin(of: policy.issuer) ?? policy.issuer) }
}

import Synchronization

/// A flag the health endpoint reads and shutdown clears.
public final class Readiness: Sendable {
    private let ready = Atomic<Bool>(true)
    public init() {}
    public var isReady: Bool { ready.load(ordering: .relaxed) }
    public func markNotReady() { ready.store(false, ordering: .relaxed) }
}
