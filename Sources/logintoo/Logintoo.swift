import ArgumentParser
import Foundation
import Logging
import LogintooApp
import LogintooCore
import LogintooHTTP

@main
struct Logintoo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A passwordless OAuth 2.1 / OpenID Connect server that signs people in with emailed one-time codes.",
        version: LogintooVersion.current,
        subcommands: [Serve.self, Migrate.self, ClientCommand.self, KeyCommand.self, AuditCommand.self, MailCommand.self, ConfigReference.self]
    )
}

/// The settings every command accepts, as flags; each also reads `LOGINTOO_*` and the config file.
struct SettingsOptions: ParsableArguments {
    @Option(help: "A file of LOGINTOO_NAME=value lines.") var config: String?
    @Option(help: "Public URL of this server (LOGINTOO_ISSUER).") var issuer: String?
    @Option(help: "host:port to listen on (LOGINTOO_LISTEN).") var listen: String?
    @Option(help: "Folder for the database and keys (LOGINTOO_DATA_DIR).") var dataDir: String?
    @Option(help: "smtp://[user:pass@]host:port or smtps://… (LOGINTOO_SMTP_URL).") var smtpUrl: String?
    @Option(help: "Sender of sign-in emails (LOGINTOO_MAIL_FROM).") var mailFrom: String?
    @Option(help: "Mail provider: smtp://, smtps://, ses://REGION, https:// webhook or console (LOGINTOO_MAIL_URL).") var mailUrl: String?
    @Option(help: "Fallback mail provider (LOGINTOO_MAIL_FALLBACK_URL).") var mailFallbackUrl: String?
    @Option(help: "Secret signing webhook deliveries (LOGINTOO_MAIL_WEBHOOK_SECRET).") var mailWebhookSecret: String?
    @Option(help: "Serve the demo client: true or false (LOGINTOO_DEMO).") var demo: String?
    @Option(help: "RS256, ES256 or EdDSA (LOGINTOO_SIGNING_ALG).") var signingAlg: String?
    @Option(help: "Seconds between two codes to one address (LOGINTOO_SEND_INTERVAL).") var sendInterval: String?
    @Option(help: "Codes per address per hour (LOGINTOO_SENDS_PER_ADDRESS_PER_HOUR).") var sendsPerAddressPerHour: String?
    @Option(help: "Codes per client IP per hour (LOGINTOO_SENDS_PER_IP_PER_HOUR).") var sendsPerIpPerHour: String?
    @Option(help: "Seconds a just-rotated refresh token may be retried (LOGINTOO_REFRESH_GRACE).") var refreshGrace: String?
    @Option(help: "host:port for /metrics and health checks only (LOGINTOO_ADMIN_LISTEN).") var adminListen: String?
    @Option(help: "text or json (LOGINTOO_LOG_FORMAT).") var logFormat: String?
    @Option(help: "Days each signing key signs; 0: rotate by hand (LOGINTOO_KEY_ROTATION_DAYS).") var keyRotationDays: String?
    @Option(help: "Seconds not ready before closing the listener on SIGTERM (LOGINTOO_SHUTDOWN_DELAY).") var shutdownDelay: String?
    @Option(help: "Seconds in-flight requests get on SIGTERM (LOGINTOO_SHUTDOWN_TIMEOUT).") var shutdownTimeout: String?
    @Option(help: "Folder of email templates replacing the built-in ones (LOGINTOO_TEMPLATES_DIR).") var templatesDir: String?
    @Option(help: "sqlite:PATH or postgres://user:password@host:port/database[?sslmode=…] (LOGINTOO_DATABASE_URL).") var databaseUrl: String?
    @Option(help: "PostgreSQL connections per instance (LOGINTOO_DATABASE_POOL_SIZE).") var databasePoolSize: String?
    @Option(help: "TLS to PostgreSQL: disable, prefer, require, verify-ca, verify-full (LOGINTOO_DATABASE_TLS).") var databaseTls: String?
    @Option(help: "Base64 key sealing signing keys, shared by all instances (LOGINTOO_KEY_ENCRYPTION_KEY).") var keyEncryptionKey: String?
    @Option(help: "CIDRs of the proxies in front of the server (LOGINTOO_TRUSTED_PROXIES).") var trustedProxies: String?
    @Option(help: "Seconds a request has to arrive (LOGINTOO_REQUEST_TIMEOUT).") var requestTimeout: String?
    @Option(help: "Seconds an idle connection stays open (LOGINTOO_IDLE_TIMEOUT).") var idleTimeout: String?
    @Option(help: "Connections open at once (LOGINTOO_MAX_CONNECTIONS).") var maxConnections: String?
    @Option(help: "Connections open at once per client address (LOGINTOO_MAX_CONNECTIONS_PER_CLIENT).") var maxConnectionsPerClient: String?
    @Option(help: "X-Forwarded-For or Forwarded: the header trusted proxies write (LOGINTOO_FORWARDED_HEADER).") var forwardedHeader: String?

    func load() throws -> Configuration {
        let flags: [String: String?] = [
            "issuer": issuer, "listen": listen, "data-dir": dataDir, "smtp-url": smtpUrl, "mail-from": mailFrom, "mail-url": mailUrl,
            "mail-fallback-url": mailFallbackUrl, "mail-webhook-secret": mailWebhookSecret, "demo": demo,
            "signing-alg": signingAlg, "send-interval": sendInterval, "sends-per-address-per-hour": sendsPerAddressPerHour,
            "sends-per-ip-per-hour": sendsPerIpPerHour, "database-url": databaseUrl, "database-pool-size": databasePoolSize,
            "database-tls": databaseTls, "key-encryption-key": keyEncryptionKey, "refresh-grace": refreshGrace,
            "admin-listen": adminListen, "log-format": logFormat, "key-rotation-days": keyRotationDays,
            "shutdown-delay": shutdownDelay, "shutdown-timeout": shutdownTimeout, "templates-dir": templatesDir,
            "trusted-proxies": trustedProxies, "request-timeout": requestTimeout, "idle-timeout": idleTimeout,
            "max-connections": maxConnections, "max-connections-per-client": maxConnectionsPerClient,
            "forwarded-header": forwardedHeader,
        ]
        do {
            return try Configuration.load(flags: flags.compactMapValues { $0 }, environment: ProcessInfo.processInfo.environment,
                                          configFile: config ?? ProcessInfo.processInfo.environment["LOGINTOO_CONFIG"])
        } catch {
            throw ValidationError("configuration: \(error.description)")
        }
    }
}

func makeLogger(_ label: String, json: Bool = false) -> Logger {
    LoggingSystem.bootstrap({ label, provider in
        json ? JSONLogHandler(label: label, metadataProvider: provider) as any LogHandler
            : StreamLogHandler.standardError(label: label, metadataProvider: provider)
    }, metadataProvider: RequestID.metadataProvider)
    var logger = Logger(label: label)
    logger.logLevel = ProcessInfo.processInfo.environment["LOGINTOO_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
    return logger
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (embedded SQLite, console mail and demo by default).")
    @OptionGroup var settings: SettingsOptions

    func run() async throws {
        let configuration = try settings.load()
        do { try configuration.checkServable() } catch { throw ValidationError("configuration: \(error.description)") }
        let logger = makeLogger("logintoo", json: configuration.jsonLogs)
        if let warning = configuration.databaseTLSWarning { logger.warning("\(warning)") }
        MemoryAllocator.keepFreedMemory()
        let parts = try await LogintooServer.assemble(configuration: configuration, logger: logger)
        let app = try LogintooServer.application(parts: parts, configuration: configuration, logger: logger) { port in
            var lines = ["", "Logintoo is running: \(configuration.issuer) (listening on \(configuration.listenHost):\(port))"]
            if configuration.demo { lines.append("Try the demo: \(configuration.issuer)/demo") }
            lines.append(configuration.mail == nil || configuration.mail == .console
                ? "No mail provider is configured: sign-in emails, with their codes, are printed in this console."
                : "Sign-in emails go to \(parts.mailer.providerName).")
            lines.append("Data: \(configuration.dataDir)")
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n\n").utf8))
        }
        try await LogintooServer.run(app, configuration: configuration, readiness: parts.context.readiness, logger: logger)
        try await parts.engine.close()
    }
}

struct ConfigReference: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config-reference", abstract: "Print the configuration reference (docs/configuration.md) as Markdown.")

    func run() throws {
        print(Configuration.referenceMarkdown(), terminator: "")
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or update the database schema, then exit.")
    @OptionGroup var settings: SettingsOptions

    func run() async throws {
        let configuration = try settings.load()
        let (_, engine) = try await DataDirectory.openStore(configuration, logger: makeLogger("logintoo"), now: SystemWallClock().now())
        try await engine.close()
        switch configuration.database {
        case .sqlite(let path): print("database at \(path) is up to date")
        case .postgres(let settings): print("database \(settings.database ?? settings.username) on \(settings.host) is up to date")
        }
    }
}
