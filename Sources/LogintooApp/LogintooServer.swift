import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import LogintooCore
import LogintooHTTP
import LogintooMail
import LogintooStore
import LogintooTraces
import ServiceLifecycle

/// Wires the configured adapters to the core and builds the runnable application.
public enum LogintooServer {
    public static let demoClientId = "logintoo-demo"

    /// Everything the running server holds, for tests and the CLI.
    public struct Parts: Sendable {
        public let context: ServerContext
        public let store: SQLStore
        public let engine: any SQLEngine
        public let secret: ServerSecret
        public let mailer: any Mailer
        /// The tracer of requests, store calls and deliveries; off unless trace export is configured.
        public let traces: Traces
        /// Exports the tracer's spans (`TraceExport`), when configured.
        public let traceExporter: (any Service)?
    }

    public static func assemble(configuration: Configuration, logger: Logger, clock: any WallClock = SystemWallClock(),
                                random: any RandomSource = SystemRandom(), mailer: (any Mailer)? = nil) async throws -> Parts {
        // First: a theme template that does not compile stops the start before any data is touched.
        let theme = try configuration.themeDir.map(PageTheme.load(from:)) ?? PageTheme()
        let (traces, traceExporter) = try TraceExport.make(configuration)
        let (store, engine) = try await DataDirectory.openStore(configuration, logger: logger, now: clock.now(), traces: traces)
        let secret = try DataDirectory(path: configuration.dataDir).serverSecret(configuration, random: random)
        // Instances starting together must agree on one key: the first creates it, the others load it.
        let algorithm = configuration.signingAlgorithm
        let keys = try await KeyRingSource {
            try await engine.withExclusiveLock {
                try await KeyRing.load(store: store, algorithm: algorithm, secret: secret, clock: clock, random: random)
            }
        }
        try await registerConsoleClient(issuer: configuration.issuer, store: store, clock: clock, random: random)
        var demoClient: String?
        if configuration.demo {
            try await registerDemoClient(issuer: configuration.issuer, store: store, clock: clock, random: random)
            demoClient = demoClientId
        }
        var context = ServerAssembly.context(
            policy: configuration.policy, store: store, secret: secret, keys: keys, clock: clock, random: random,
            composer: try emailComposer(configuration), demoClientId: demoClient, logger: logger,
            relyingPartyID: configuration.webAuthnRPID)
        context.branding = configuration.branding
        context.capabilities.requirePushedAuthorizationRequests = configuration.requirePushedAuthorizationRequests
        context.theme = theme
        context.traces = traces
        let chosenMailer = try mailer ?? configuredMailer(configuration)
        return Parts(context: context, store: store, engine: engine, secret: secret, mailer: chosenMailer, traces: traces,
                     traceExporter: traceExporter)
    }

    /// The configured provider, and its fallback; the console when none is configured.
    static func configuredMailer(_ configuration: Configuration) throws -> any Mailer {
        guard let primary = configuration.mail else { return ConsoleMailer() }
        let first = try mailer(primary, configuration)
        return try configuration.mailFallback.map { FailoverMailer(primary: first, fallback: try mailer($0, configuration)) } ?? first
    }

    static func mailer(_ provider: MailProvider, _ configuration: Configuration) throws -> any Mailer {
        switch provider {
        case .smtp(let smtp):
            return SMTPMailer(configuration: smtp, from: configuration.mailFrom, heloName: heloName(issuer: configuration.issuer))
        case .ses(let region, let endpoint):
            let credentials: any AWSCredentialsProvider
            do {
                credentials = try AWSCredentialsChain.provider(environment: ProcessInfo.processInfo.environment, region: region,
                                                               onEC2: EC2Host.detected(), clock: SystemWallClock())
            } catch {
                throw ConfigurationError.invalid("LOGINTOO_MAIL_URL (--mail-url)", "ses:// needs AWS credentials: \(error)")
            }
            return SESMailer(region: region, credentials: credentials, from: configuration.mailFrom, domain: configuration.issuerHost, endpoint: endpoint)
        case .webhook(let url):
            return WebhookMailer(url: url, secret: configuration.mailWebhookSecret ?? [])
        case .console:
            return ConsoleMailer()
        }
    }

    /// The sign-in email, from the built-in templates or those in `LOGINTOO_TEMPLATES_DIR`.
    static func emailComposer(_ configuration: Configuration) throws -> TemplatedSignInEmailComposer {
        let overrides = try configuration.templatesDir.map(SignInEmailTemplates.overrides(in:)) ?? [:]
        return try TemplatedSignInEmailComposer(serverName: configuration.serverName, overrides: overrides,
                                                branding: configuration.branding)
    }

    /// The name this server gives in SMTP `EHLO`: the issuer's host, or an address literal (RFC 5321 §4.1.3).
    public static func heloName(issuer: String) -> String {
        guard let host = URLComponents(string: issuer)?.host, !host.isEmpty else { return "localhost" }
        let isAddress = host.contains(":") || host.allSatisfy { $0.isNumber || $0 == "." }
        if !isAddress { return host }
        return host.contains(":") ? "[IPv6:\(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")))]" : "[\(host)]"
    }

    /// The demo client: public, redirecting to `/demo` on this issuer, and registered for the demo API.
    static func registerDemoClient(issuer: String, store: SQLStore, clock: any WallClock, random: any RandomSource) async throws {
        let registry = ClientRegistry(store: store, clock: clock, random: random)
        _ = try await registry.register(name: "Logintoo demo", redirectURIs: [issuer + "/demo"],
                                        postLogoutRedirectURIs: [issuer + "/demo"], confidential: false,
                                        settings: ClientSettings(resources: [issuer + "/demo/api"]), id: demoClientId)
    }

    /// The admin console's client (`AdminConsole`): public, redirecting only to this issuer's console; written at every
    /// start, so a changed issuer takes effect.
    /// Saved as it is, not through `ClientRegistry`'s rules for sites: its redirect URI is this issuer's own, whatever the
    /// issuer is (`http://localhost` in development included).
    static func registerConsoleClient(issuer: String, store: SQLStore, clock: any WallClock, random: any RandomSource) async throws {
        let console = AdminConsole.client(issuer: issuer)
        let createdAt = try await store.client(id: AdminConsole.clientId)?.createdAt ?? clock.now()
        try await store.saveClient(Client(id: AdminConsole.clientId, name: console.name, secretHash: nil,
                                          redirectURIs: console.redirectURIs, createdAt: createdAt))
    }

    /// The HTTP application with its background services (outbox delivery, housekeeping).
    public static func application(parts: Parts, configuration: Configuration, logger: Logger,
                                   onRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        throws -> some ApplicationProtocol
    {
        let context = parts.context
        let metrics = context.metrics
        let worker = OutboxWorker(store: parts.store, mailer: parts.mailer, secret: parts.secret, clock: context.clock,
                                  random: context.random, logger: logger, doorbell: parts.store.outboxDoorbell,
                                  onAttempt: { metrics.email($0) }, traces: parts.traces)
        let housekeeping = Housekeeping(store: parts.store, clock: context.clock, logger: logger)
        let keyReloader = KeyRingReloader(keys: context.keys, events: context.events, logger: logger,
                                          rotation: scheduledRotation(parts: parts, configuration: configuration))
        let deliveries = DeliveryWorker(
            store: parts.store,
            composer: DeliveryComposer(logoutTokens: LogoutTokenMinter(keys: context.keys, issuer: context.policy.issuer,
                                                                       random: context.random),
                                       webhookKeys: WebhookSigningKeys(store: parts.store, secret: parts.secret)),
            clock: context.clock, random: context.random, logger: logger, doorbell: parts.store.deliveryDoorbell,
            traces: parts.traces)
        // First, so that it stops last: the spans of the last requests and deliveries are exported.
        var services: [any Service] = parts.traceExporter.map { [$0] } ?? []
        services += [worker, deliveries, housekeeping, keyReloader]
        if let admin = configuration.adminListen {
            services.append(Application(
                router: buildAdminRouter(server: context),
                server: .http1OnEventLoops(limits: configuration.connectionLimits),
                configuration: ApplicationConfiguration(
                    address: .hostname(admin.host, port: admin.port), serverName: nil,
                    availableConnectionsDelegate: MaximumAvailableConnections(configuration.connectionLimits.maxConnections, logger: logger)),
                logger: logger))
        }
        let staticAnswers = try StaticAnswers(server: context)
        return Application(
            router: try buildRouter(server: context, withMetrics: configuration.metricsOnPublicListener,
                                    trustedProxies: configuration.trustedProxies, staticAnswers: staticAnswers),
            server: .http1OnEventLoops(limits: configuration.connectionLimits, trustedProxies: configuration.trustedProxies,
                                       staticAnswers: staticAnswers),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.listenHost, port: configuration.listenPort), serverName: nil,
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.connectionLimits.maxConnections, logger: logger)),
            services: services,
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? configuration.listenPort) },
            logger: logger
        )
    }
}

extension LogintooServer {
    /// Runs `application` until SIGTERM or SIGINT, then shuts down in order: report not ready, wait the configured delay,
    /// close the listener, give requests in flight the configured time to finish, stop the workers.
    public static func run(_ application: some ApplicationProtocol, configuration: Configuration, readiness: Readiness,
                           logger: Logger) async throws {
        var group = ServiceGroupConfiguration(
            services: [.init(service: application), .init(service: ShutdownDrain(readiness: readiness, delay: configuration.shutdownDelay))],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = .seconds(configuration.shutdownDelay + configuration.shutdownTimeout)
        group.maximumCancellationDuration = .seconds(5)
        try await ServiceGroup(configuration: group).run()
    }

    /// Publishes signing keys on the configured schedule; one instance at a time decides, under the database's lock.
    static func scheduledRotation(parts: Parts, configuration: Configuration) -> (@Sendable () async throws -> StoredSigningKey?)? {
        guard let schedule = configuration.keyRotation else { return nil }
        let (store, engine, secret, context) = (parts.store, parts.engine, parts.secret, parts.context)
        let algorithm = configuration.signingAlgorithm
        return {
            try await engine.withExclusiveLock {
                try await schedule.rotateIfDue(store: store, algorithm: algorithm, secret: secret, clock: context.clock,
                                               random: context.random, events: context.events)
            }
        }
    }
}

/// Deletes expired rows every hour.
struct Housekeeping: Service {
    let store: SQLStore
    let clock: any WallClock
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await store.purgeExpired(now: clock.now()) } catch { logger.warning("housekeeping failed: \(error)") }
                try await Task.sleep(for: .seconds(3600))
            }
        }
    }
}

/// Reloads the signing keys every 30 seconds, so a key rotated by `logintoo key rotate`, by the schedule, or on another
/// instance is published, then used, everywhere, and a retired key leaves the JWKS once its tokens have expired.
public struct KeyRingReloader: Service {
    static let interval: Duration = .seconds(30)
    let keys: KeyRingSource
    let events: any SecurityEventSink
    let logger: Logger
    /// Publishes the next key when the schedule says so.
    let rotation: (@Sendable () async throws -> StoredSigningKey?)?

    public init(keys: KeyRingSource, events: any SecurityEventSink, logger: Logger,
                rotation: (@Sendable () async throws -> StoredSigningKey?)?) {
        (self.keys, self.events, self.logger, self.rotation) = (keys, events, logger, rotation)
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: Self.interval)
                await tick()
            }
        }
    }

    /// One round: rotate when due (a published key is recorded in the audit trail), then reload.
    public func tick() async {
        do { _ = try await rotation?() } catch { logger.warning("scheduled key rotation failed: \(error)") }
        do { try await keys.reload(events: events) } catch { logger.warning("reloading signing keys failed: \(error)") }
    }
}

/// On shutdown, reports not ready first, then holds the rest of the shutdown for `delay` seconds so that load balancers
/// stop sending before the listener closes.
struct ShutdownDrain: Service {
    let readiness: Readiness
    let delay: Int64

    func run() async throws {
        try? await gracefulShutdown()
        readiness.markNotReady()
        if delay > 0 { try? await Task.sleep(for: .seconds(delay)) }
    }
}
