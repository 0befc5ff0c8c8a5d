import ArgumentParser
import Foundation

/// The settings every command accepts, as flags; each also reads `LOGINTOO_*` and the config file. Each option is named
/// after its flag in the setting table (`smtpUrl` for `--smtp-url`), which is how `givenFlags` finds the setting.
public struct SettingsOptions: ParsableArguments {
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
    @Option(help: "true: every client must push its authorization requests to /par (LOGINTOO_REQUIRE_PAR).")
    var requireParForAll: String?
    @Option(help: "RS256, ES256 or EdDSA (LOGINTOO_SIGNING_ALG).") var signingAlg: String?
    @Option(help: "true: every client's access tokens must be DPoP-bound (LOGINTOO_DPOP_REQUIRED).") var dpopRequiredForAll: String?
    @Option(help: "true: DPoP proofs must carry the server's nonce (LOGINTOO_DPOP_NONCE).") var dpopNonce: String?
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
    @Option(help: "Folder of theme.css and page templates replacing the built-in ones (LOGINTOO_THEME_DIR).") var themeDir: String?
    @Option(help: "Name of the service on the login pages and in emails (LOGINTOO_PRODUCT_NAME).") var productName: String?
    @Option(help: "https:// logo on the login pages and emails (LOGINTOO_LOGO_URL).") var logoUrl: String?
    @Option(help: "#RRGGBB accent; white text on it must reach 4.5:1 (LOGINTOO_ACCENT_COLOR).") var accentColor: String?
    @Option(help: "https:// privacy policy linked in the footer (LOGINTOO_PRIVACY_URL).") var privacyUrl: String?
    @Option(help: "https:// terms of use linked in the footer (LOGINTOO_TERMS_URL).") var termsUrl: String?
    @Option(help: "The domain passkeys are made for: the issuer's host or a parent domain (LOGINTOO_WEBAUTHN_RP_ID).")
    var webauthnRpId: String?
    @Option(help: "sqlite:PATH or postgres://user:password@host:port/database[?sslmode=…] (LOGINTOO_DATABASE_URL).") var databaseUrl: String?
    @Option(help: "PostgreSQL connections per instance (LOGINTOO_DATABASE_POOL_SIZE).") var databasePoolSize: String?
    @Option(help: "TLS to PostgreSQL: disable, prefer, require, verify-ca, verify-full (LOGINTOO_DATABASE_TLS).") var databaseTls: String?
    @Option(help: "Base64 key sealing signing keys, shared by all instances (LOGINTOO_KEY_ENCRYPTION_KEY).") var keyEncryptionKey: String?
    @Option(help: "OTLP/HTTP collector base URL spans are exported to (LOGINTOO_OTLP_ENDPOINT).") var otlpEndpoint: String?
    @Option(help: "CIDRs of the proxies in front of the server (LOGINTOO_TRUSTED_PROXIES).") var trustedProxies: String?
    @Option(help: "Seconds a request has to arrive (LOGINTOO_REQUEST_TIMEOUT).") var requestTimeout: String?
    @Option(help: "Seconds an idle connection stays open (LOGINTOO_IDLE_TIMEOUT).") var idleTimeout: String?
    @Option(help: "Connections open at once (LOGINTOO_MAX_CONNECTIONS).") var maxConnections: String?
    @Option(help: "Connections open at once per client address (LOGINTOO_MAX_CONNECTIONS_PER_CLIENT).") var maxConnectionsPerClient: String?
    @Option(help: "X-Forwarded-For or Forwarded: the header trusted proxies write (LOGINTOO_FORWARDED_HEADER).") var forwardedHeader: String?

    public init() {}

    /// The flags given on the command line, keyed by their name in the setting table.
    var givenFlags: [String: String] {
        let flagsByOptionName = Dictionary(uniqueKeysWithValues: Configuration.settings.map { (Self.comparable($0.flag), $0.flag) })
        var given: [String: String] = [:]
        for child in Mirror(reflecting: self).children {
            // Each option is stored by its property wrapper, as `_name`.
            guard let name = child.label?.dropFirst(), let flag = flagsByOptionName[Self.comparable(String(name))],
                  let value = (child.value as? Option<String?>)?.wrappedValue
            else { continue }
            given[flag] = value
        }
        return given
    }

    /// A name with its case and word breaks dropped, in which `smtpUrl` and `smtp-url` are the same.
    private static func comparable(_ name: String) -> String {
        name.replacingOccurrences(of: "-", with: "").lowercased()
    }

    /// The configuration these flags, `environment` and the config file give.
    public func load(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Configuration {
        do {
            return try Configuration.load(flags: givenFlags, environment: environment,
                                          configFile: config ?? environment[EnvironmentNames.configFile])
        } catch {
            throw ValidationError("configuration: \(error.description)")
        }
    }
}
