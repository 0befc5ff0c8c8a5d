import LogintooCore
import LogintooHTTP
import LogintooMail
import LogintooStore

/// Every setting of the server, one entry each, in the order of the reference page. The defaults of the sign-in
/// throttles and the refresh grace are `Policy`'s, and those of the connection limits `ConnectionLimits`', so that
/// each default is stated in one place.
struct SettingTable: Sendable {
    /// The sign-in policy's own defaults.
    private static let policy = Policy(issuer: "")
    /// The connection limits' own defaults.
    private static let limits = ConnectionLimits()
    /// PostgreSQL connections per instance when neither the URL (`pool=N`) nor the setting names a number.
    private static let postgresPoolSize = 10
    /// A developer's server: reachable from this machine only.
    private static let localListener = Configuration.ListenAddress(host: "127.0.0.1", port: 8080)

    let issuer: SettingKey<String?> = .optional(
        "LOGINTOO_ISSUER", flag: "issuer", unset: "http://LISTEN",
        purpose: "public URL of this server; https except on 127.0.0.1, [::1] or localhost", parse: SettingParsers.issuer)
    let listen = SettingKey<Configuration.ListenAddress>(
        "LOGINTOO_LISTEN", flag: "listen", default: SettingTable.localListener, shown: SettingTable.localListener.hostAndPort,
        purpose: "host:port to listen on", parse: SettingParsers.listenAddress)
    let dataDir: SettingKey<String> = .text(
        "LOGINTOO_DATA_DIR", flag: "data-dir", default: "./logintoo-data", purpose: "folder for the database and keys")
    let smtpURL: SettingKey<SMTPConfiguration?> = .optional(
        "LOGINTOO_SMTP_URL", flag: "smtp-url", unset: "none: see LOGINTOO_MAIL_URL", secret: true, emptyIsUnset: true,
        purpose: "smtp://[user:pass@]host:port or smtps://…; smtp:// requires STARTTLS, except to loopback without user:pass, "
            + "or with ?starttls=optional (never with user:pass); ?ca_file=PEM trusts a private CA",
        parse: SettingParsers.smtp)
    let mailFrom: SettingKey<String?> = .optional(
        "LOGINTOO_MAIL_FROM", flag: "mail-from", unset: "Logintoo <no-reply@ISSUER-HOST>",
        purpose: "sender of sign-in emails", parse: SettingParsers.sender)
    let mailURL: SettingKey<MailProvider?> = .optional(
        "LOGINTOO_MAIL_URL", flag: "mail-url", unset: "LOGINTOO_SMTP_URL", secret: true, emptyIsUnset: true,
        purpose: "the mail provider: smtp://… (STARTTLS required, as for LOGINTOO_SMTP_URL), smtps://…, ses://REGION "
            + "(credentials as below), an https:// webhook, or console (the log, on purpose). Without it and LOGINTOO_SMTP_URL, "
            + "the console, which only a loopback issuer may fall back to: serve refuses to start otherwise",
        parse: SettingParsers.mailProvider)
    let mailFallbackURL: SettingKey<MailProvider?> = .optional(
        "LOGINTOO_MAIL_FALLBACK_URL", flag: "mail-fallback-url", secret: true, emptyIsUnset: true,
        purpose: "a second provider, used when the first fails (same forms)", parse: SettingParsers.mailProvider)
    let mailWebhookSecret: SettingKey<[UInt8]?> = .optional(
        "LOGINTOO_MAIL_WEBHOOK_SECRET", flag: "mail-webhook-secret", secret: true, emptyIsUnset: true,
        purpose: "Signs the mail webhook's deliveries (Standard Webhooks: webhook-signature): a whsec_ secret, or 16+ characters", parse: SettingParsers.webhookSecret)
    let demo: SettingKey<Bool?> = .optional(
        "LOGINTOO_DEMO", flag: "demo", unset: "true when no issuer is set",
        purpose: "serve the demo client at /demo: true or false", parse: SettingParsers.boolean)
    let dpopRequired = SettingKey<Bool>(
        "LOGINTOO_DPOP_REQUIRED", flag: "dpop-required-for-all", default: false, shown: "false",
        purpose: "true: every client's access tokens must be DPoP-bound (RFC 9449); a client's own dpop_bound_access_tokens "
            + "decides for that client", parse: SettingParsers.boolean)
    let dpopNonce = SettingKey<Bool>(
        "LOGINTOO_DPOP_NONCE", flag: "dpop-nonce", default: true, shown: "true",
        purpose: "true: every DPoP proof must carry the server's current nonce (DPoP-Nonce, RFC 9449 §8)",
        parse: SettingParsers.boolean)
    let requirePushedAuthorizationRequests = SettingKey<Bool>(
        "LOGINTOO_REQUIRE_PAR", flag: "require-par-for-all", default: false, shown: "false",
        purpose: "true: every client must push its authorization requests to /par first (RFC 9126); a client's own "
            + "require_pushed_authorization_requests (`logintoo client add|set --require-par`) asks it of that client alone",
        parse: SettingParsers.boolean)
    let signingAlgorithm: SettingKey<SigningAlgorithm> = .choice(
        "LOGINTOO_SIGNING_ALG", flag: "signing-alg", default: .rs256, ignoringCase: true, purpose: "RS256, ES256 or EdDSA")
    let sendInterval: SettingKey<Int64> = .count(
        "LOGINTOO_SEND_INTERVAL", flag: "send-interval", in: 0...86_400, default: SettingTable.policy.sendInterval,
        purpose: "seconds between two codes to one address")
    let sendsPerAddressPerHour: SettingKey<Int> = .count(
        "LOGINTOO_SENDS_PER_ADDRESS_PER_HOUR", flag: "sends-per-address-per-hour", in: 1...1000,
        default: SettingTable.policy.sendsPerAddressPerHour, purpose: "codes per address per hour")
    let sendsPerIPPerHour: SettingKey<Int> = .count(
        "LOGINTOO_SENDS_PER_IP_PER_HOUR", flag: "sends-per-ip-per-hour", in: 1...1_000_000,
        default: SettingTable.policy.sendsPerIPPerHour, purpose: "codes per client IP per hour")
    let refreshGrace: SettingKey<Int64> = .count(
        "LOGINTOO_REFRESH_GRACE", flag: "refresh-grace", in: 0...60, default: SettingTable.policy.refreshGrace,
        purpose: "seconds a just-rotated refresh token may be retried; 0 turns retries off")
    let adminListen: SettingKey<Configuration.ListenAddress?> = .optional(
        "LOGINTOO_ADMIN_LISTEN", flag: "admin-listen",
        purpose: "host:port for /metrics and health checks only; without it, /metrics is served on the main listener only "
            + "when the issuer is loopback (404 otherwise)",
        parse: SettingParsers.listenAddress)
    let otlpEndpoint: SettingKey<String?> = .optional(
        "LOGINTOO_OTLP_ENDPOINT", flag: "otlp-endpoint", unset: "none: no traces", emptyIsUnset: true,
        purpose: "http(s):// base URL of an OpenTelemetry collector's OTLP/HTTP receiver; spans go to /v1/traces under it "
            + "(the OTEL_* variables tune the export). Needs a binary built with trace export (swift build --traits OTLP)",
        parse: SettingParsers.collectorURL)
    let trustedProxies: SettingKey<[IPNetwork]?> = .optional(
        "LOGINTOO_TRUSTED_PROXIES", flag: "trusted-proxies", unset: "none",
        purpose: "comma-separated CIDRs of the proxies and load balancers in front of the server; a request from one is "
            + "from the rightmost address of LOGINTOO_FORWARDED_HEADER that is not itself trusted; IPv6 clients count per /64",
        parse: SettingParsers.networks)
    let requestTimeout: SettingKey<Int64> = .count(
        "LOGINTOO_REQUEST_TIMEOUT", flag: "request-timeout", in: 1...3600, default: SettingTable.limits.requestTimeout,
        purpose: "seconds a request's head and body have to arrive once it starts; a slower client gets 408 and the "
            + "connection closes")
    let idleTimeout: SettingKey<Int64> = .count(
        "LOGINTOO_IDLE_TIMEOUT", flag: "idle-timeout", in: 1...3600, default: SettingTable.limits.idleTimeout,
        purpose: "seconds an idle keep-alive connection stays open, and a client may leave its answers unread")
    let maxConnections: SettingKey<Int> = .count(
        "LOGINTOO_MAX_CONNECTIONS", flag: "max-connections", in: 1...1_000_000, default: SettingTable.limits.maxConnections,
        purpose: "connections open at once on a listener, per instance; more wait in the kernel's backlog")
    let maxConnectionsPerClient: SettingKey<Int> = .count(
        "LOGINTOO_MAX_CONNECTIONS_PER_CLIENT", flag: "max-connections-per-client", in: 1...1_000_000,
        default: SettingTable.limits.maxConnectionsPerClient,
        purpose: "connections one client address (an IPv6 /64) may hold open at once; more are closed at once. "
            + "Trusted proxies are not counted: limit their clients in the proxy")
    let forwardedHeader: SettingKey<TrustedProxies.Header> = .choice(
        "LOGINTOO_FORWARDED_HEADER", flag: "forwarded-header", default: .xForwardedFor, ignoringCase: true,
        purpose: "the header your trusted proxies write the client's address in: X-Forwarded-For or Forwarded; "
            + "the other is never read, so a client cannot slip its own past a proxy that only writes one")
    let logFormat: SettingKey<LogFormat> = .choice(
        "LOGINTOO_LOG_FORMAT", flag: "log-format", default: .text, ignoringCase: false, purpose: "text or json, one object per line")
    let keyRotationDays: SettingKey<Int> = .count(
        "LOGINTOO_KEY_ROTATION_DAYS", flag: "key-rotation-days", in: 0...3650, default: 0,
        purpose: "days each signing key signs before the next takes over; 0: only `logintoo key rotate`")
    let shutdownDelay: SettingKey<Int64> = .count(
        "LOGINTOO_SHUTDOWN_DELAY", flag: "shutdown-delay", in: 0...300, default: 0,
        purpose: "seconds between reporting not ready and closing the listener on SIGTERM")
    let shutdownTimeout: SettingKey<Int64> = .count(
        "LOGINTOO_SHUTDOWN_TIMEOUT", flag: "shutdown-timeout", in: 1...600, default: 25,
        purpose: "seconds requests in flight get to finish on SIGTERM before they are cut off")
    let templatesDir: SettingKey<String?> = .optional(
        "LOGINTOO_TEMPLATES_DIR", flag: "templates-dir",
        purpose: "folder with sign-in.txt.mustache and/or sign-in.html.mustache replacing the built-in email templates",
        parse: SettingParsers.folder)
    let themeDir: SettingKey<String?> = .optional(
        "LOGINTOO_THEME_DIR", flag: "theme-dir",
        purpose: "folder with theme.css (served after the built-in stylesheet) and/or page templates named like the built-in "
            + "ones (code.mustache, layout.mustache, …; `logintoo templates export DIR` writes them) replacing them; a template "
            + "that does not compile stops the start",
        parse: SettingParsers.folder)
    let productName: SettingKey<String?> = .optional(
        "LOGINTOO_PRODUCT_NAME", flag: "product-name", unset: "the issuer's host",
        purpose: "the name the login pages' titles and the emails give this service", parse: SettingParsers.productName)
    let logoURL: SettingKey<String?> = .optional(
        "LOGINTOO_LOGO_URL", flag: "logo-url", emptyIsUnset: true,
        purpose: "https:// URL of the logo on the login pages and in the emails of clients without their own",
        parse: SettingParsers.httpsURL)
    let accentColor: SettingKey<String?> = .optional(
        "LOGINTOO_ACCENT_COLOR", flag: "accent-color", unset: "#2457d6", emptyIsUnset: true,
        purpose: "#RRGGBB of buttons, links and focus rings on the login pages and in emails, for clients without their own; "
            + "refused unless white text on it reaches 4.5:1 (WCAG AA); dark mode uses a lighter variant for text",
        parse: SettingParsers.accentColour)
    let privacyURL: SettingKey<String?> = .optional(
        "LOGINTOO_PRIVACY_URL", flag: "privacy-url", emptyIsUnset: true,
        purpose: "https:// URL of the privacy policy, linked in the login pages' and emails' footer (a client's own wins)",
        parse: SettingParsers.httpsURL)
    let termsURL: SettingKey<String?> = .optional(
        "LOGINTOO_TERMS_URL", flag: "terms-url", emptyIsUnset: true,
        purpose: "https:// URL of the terms of use, linked in the login pages' and emails' footer (a client's own wins)",
        parse: SettingParsers.httpsURL)
    let webAuthnRPID: SettingKey<String?> = .optional(
        "LOGINTOO_WEBAUTHN_RP_ID", flag: "webauthn-rp-id", unset: "the issuer's host",
        purpose: "the domain passkeys are made for: the issuer's host or a parent domain of it (login.example.com or "
            + "example.com for https://login.example.com); passkeys made for one stop working when it changes",
        parse: SettingParsers.domainName)
    let databaseURL: SettingKey<Configuration.DatabaseChoice?> = .optional(
        "LOGINTOO_DATABASE_URL", flag: "database-url", unset: "sqlite:DATA_DIR/logintoo.sqlite", secret: true, emptyIsUnset: true,
        purpose: "sqlite:PATH, postgres://user:password@host:port/database?sslmode=MODE&sslrootcert=CA.pem&pool=N, "
            + "or over a Unix socket postgres://user@/database?host=/var/run/postgresql"
            + " (or postgres+uds://user@localhost/var/run/postgresql/.s.PGSQL.5432#database)"
    ) { (text) throws(SettingRejection) in try SettingParsers.database(text, defaultPoolSize: SettingTable.postgresPoolSize) }
    let databasePoolSize: SettingKey<Int> = .count(
        "LOGINTOO_DATABASE_POOL_SIZE", flag: "database-pool-size", in: 2...200, default: SettingTable.postgresPoolSize,
        purpose: "PostgreSQL connections per instance")
    let databaseTLS: SettingKey<PostgresEngine.TLSMode?> = .optional(
        "LOGINTOO_DATABASE_TLS", flag: "database-tls",
        unset: "verify-full; disable to a loopback address; a Unix socket never uses TLS",
        purpose: "TLS to PostgreSQL when the URL has no sslmode (refused when it names another): disable, prefer, require, "
            + "verify-ca or verify-full. Every TLS mode verifies the certificate (unlike libpq's require and prefer); "
            + "verify-ca skips the host name"
    ) { (text) throws(SettingRejection) in try SettingParsers.oneOf(text, ignoringCase: false) }
    let keyEncryptionKey: SettingKey<[UInt8]?> = .optional(
        "LOGINTOO_KEY_ENCRYPTION_KEY", flag: "key-encryption-key", secret: true, emptyIsUnset: true,
        purpose: "32+ random bytes, base64: seals signing keys; required with PostgreSQL, the same on every instance",
        parse: SettingParsers.keyEncryptionKey)

    /// Every entry, in the order declared above: the table is read by reflection so that no second list can miss one.
    var entries: [Configuration.Setting] {
        Mirror(reflecting: self).children.compactMap { ($0.value as? any DescribedSetting)?.described }
    }
}
