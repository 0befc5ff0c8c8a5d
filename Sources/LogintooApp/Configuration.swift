import Foundation
import LogintooCore
import LogintooHTTP
import LogintooMail
import LogintooStore

/// Every setting of the server, read from flags, then `LOGINTOO_*` environment variables, then an optional config file
/// of `LOGINTOO_NAME=value` lines, then defaults.
public struct Configuration: Sendable, Equatable {
    public var issuer: String
    public var issuerConfigured: Bool
    public var listenHost: String
    public var listenPort: Int
    public var dataDir: String
    public var smtp: SMTPConfiguration?
    /// Where mail goes first: `LOGINTOO_MAIL_URL`, else the SMTP server; `nil`: none configured, which only a loopback
    /// issuer may serve with (the console).
    public var mail: MailProvider?
    /// Where mail goes when the first provider fails.
    public var mailFallback: MailProvider?
    /// The key that signs webhook deliveries.
    public var mailWebhookSecret: [UInt8]?
    public var mailFrom: String
    public var demo: Bool
    public var signingAlgorithm: SigningAlgorithm
    public var sendInterval: Int64
    public var sendsPerAddressPerHour: Int
    public var sendsPerIPPerHour: Int
    public var refreshGrace: Int64
    /// A second listener for `/metrics` and health checks, off the public address; `nil`: `/metrics` on the main one.
    public var adminListen: ListenAddress?
    /// Log lines as text (default) or JSON objects.
    public var jsonLogs: Bool
    /// Signing keys rotate by themselves on this schedule; `nil`: only by `logintoo key rotate`.
    public var keyRotation: KeyRotationSchedule?
    /// On SIGTERM: seconds between reporting not ready and closing the listener, for load balancers to stop sending.
    public var shutdownDelay: Int64
    /// On SIGTERM: seconds requests in flight get to finish once the listener is closed.
    public var shutdownTimeout: Int64
    /// A folder whose `sign-in.txt.mustache` / `sign-in.html.mustache` replace the built-in email templates.
    public var templatesDir: String?
    /// A folder whose `theme.css` and page templates (`code.mustache`, …) restyle and replace the built-in pages.
    public var themeDir: String?
    /// The server-wide branding of the login pages and emails.
    public var branding = ServerBranding()
    /// Whether every client must push its authorization requests to `/par` first (RFC 9126).
    public var requirePushedAuthorizationRequests = false
    /// Whether every client's access tokens must be DPoP-bound, and whether proofs must carry a server nonce.
    public var dpopRequired = false
    public var dpopNonceRequired = true
    /// The WebAuthn relying party id passkeys are made for: the issuer's host unless set to a parent domain of it.
    public var webAuthnRPID: String? = nil
    /// The proxies whose forwarding headers name the client.
    public var trustedProxies: TrustedProxies
    /// The connection limits of the public listener.
    public var connectionLimits: ConnectionLimits
    /// The OTLP/HTTP collector spans are exported to (`TraceExport`); `nil`: no traces.
    public var otlpEndpoint: String? = nil

    /// A host and port to listen on.
    public struct ListenAddress: Sendable, Equatable {
        public var host: String
        public var port: Int

        /// `host:port`, an IPv6 host in brackets.
        var hostAndPort: String { "\(host.contains(":") ? "[\(host)]" : host):\(port)" }
    }
    public var database: DatabaseChoice
    /// The root secret given by the operator (shared by every instance); `nil`: the one kept in the data folder.
    public var keyEncryptionKey: [UInt8]?

    /// Where the data lives.
    public enum DatabaseChoice: Sendable, Equatable {
        /// The embedded default: one file, one process.
        case sqlite(path: String)
        /// Shared by several instances.
        case postgres(PostgresEngine.Settings)
    }

    /// One setting as the reference and the flag list see it, whatever its value's type.
    public struct Setting: Sendable {
        public let environment: String
        public let flag: String
        /// What the setting is for, and its default.
        public let help: String
        /// Whether it can also be read from the file `NAME_FILE` names.
        public let isSecret: Bool
    }

    /// Every setting, in the order of the reference page.
    public static let settings: [Setting] = SettingTable().entries

    /// The settings that hold secrets: each can also be read from a file named by `NAME_FILE`, so the secret need not
    /// sit in the environment, where `ps e` and container inspection show it.
    public static let secretSettings: Set<String> = Set(settings.filter(\.isSecret).map(\.environment))

    /// Resolves the settings. `flags` is keyed by flag name, `environment` by variable name. A `LOGINTOO_*` variable a
    /// typo away from a setting is refused; other unknown ones are left to `environmentWarnings`.
    public static func load(flags: [String: String], environment: [String: String], configFile: String?) throws(ConfigurationError)
        -> Configuration
    {
        _ = try EnvironmentNames(entries: settings).unknown(in: environment)
        let sources = try SettingSources(entries: settings, flags: flags, environment: environment, configFile: configFile)
        return try ConfigurationLoader(table: SettingTable(), sources: sources).load()
    }

    /// The `LOGINTOO_*` variables of `environment` that no setting reads, for the log at startup. Empty when `load`
    /// refuses the environment, since that stops the start with the reason.
    public static func environmentWarnings(_ environment: [String: String]) -> [UnknownEnvironmentName] {
        (try? EnvironmentNames(entries: settings).unknown(in: environment)) ?? []
    }

    /// Whether the issuer is on this machine only (`127.0.0.1`, `[::1]`, `localhost`): a developer's server.
    public var issuerIsLoopback: Bool {
        guard let host = URLComponents(string: issuer)?.host else { return false }
        return ["127.0.0.1", "::1", "[::1]", "localhost"].contains(host)
    }

    /// Whether the server listens on this machine only.
    public var listensOnLoopbackOnly: Bool { IPAddress.isLoopback(host: listenHost) }

    /// Whether `/metrics` is served on the public listener: only without an admin listener, and only when both the
    /// issuer and the listener are loopback, since anyone who reaches it would learn the server's traffic and failures.
    public var metricsOnPublicListener: Bool { adminListen == nil && issuerIsLoopback && listensOnLoopbackOnly }

    /// A word for the log at startup when the connection to a database on another machine can be forced into plain
    /// text by an active attacker.
    public var databaseTLSWarning: String? {
        guard case .postgres(let settings) = database, case .tcp(let host, _) = settings.endpoint,
              !IPAddress.isLoopback(host: host), [.disable, .prefer].contains(settings.tlsMode)
        else { return nil }
        return "TLS to PostgreSQL at \(host) is \(settings.tlsMode.rawValue): an attacker on the network can read or change "
            + "the traffic; use sslmode=verify-full (with sslrootcert= for a private CA)"
    }

    /// What `serve` needs beyond valid settings: a public issuer never falls back to printing codes in its log.
    public func checkServable() throws(ConfigurationError) {
        if mail == nil, !issuerIsLoopback {
            throw .invalid(SettingTable().mailURL.label,
                           "no mail provider is configured, and the issuer \(issuer) is not loopback: sign-in codes would be printed "
                               + "in the log. Set LOGINTOO_MAIL_URL to smtp://, smtps://, ses:// or an https:// webhook, or to "
                               + "console to print them on purpose")
        }
        if otlpEndpoint != nil, !TraceExport.isBuiltIn { throw TraceExport.notBuiltIn }
    }

    /// The issuer's host name, which names this server in emails and message ids.
    public var issuerHost: String { URLComponents(string: issuer)?.host ?? "localhost" }

    /// The name the emails give this server: the product name, else the issuer's host.
    public var serverName: String { branding.productName ?? issuerHost }

    /// The sign-in policy these settings give.
    public var policy: Policy {
        var policy = Policy(issuer: issuer)
        policy.sendInterval = sendInterval
        policy.sendsPerAddressPerHour = sendsPerAddressPerHour
        policy.sendsPerIPPerHour = sendsPerIPPerHour
        policy.refreshGrace = refreshGrace
        policy.dpopRequired = dpopRequired
        policy.dpopNonceRequired = dpopNonceRequired
        return policy
    }
}
