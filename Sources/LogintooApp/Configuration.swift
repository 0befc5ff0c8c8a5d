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
    /// The proxies whose forwarding headers name the client.
    public var trustedProxies: TrustedProxies
    /// The connection limits of the public listener.
    public var connectionLimits: ConnectionLimits

    public struct ListenAddress: Sendable, Equatable {
        public var host: String
        public var port: Int
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

    /// One setting: its environment name and its flag name.
    public struct Setting: Sendable {
        public let environment: String
        public let flag: String
        public let help: String
    }

    public static let settings: [Setting] = [
        Setting(environment: "LOGINTOO_ISSUER", flag: "issuer", help: "public URL of this server (default http://LISTEN; https except on 127.0.0.1, [::1] or localhost)"),
        Setting(environment: "LOGINTOO_LISTEN", flag: "listen", help: "host:port to listen on (default 127.0.0.1:8080)"),
        Setting(environment: "LOGINTOO_DATA_DIR", flag: "data-dir", help: "folder for the database and keys (default ./logintoo-data)"),
        Setting(environment: "LOGINTOO_SMTP_URL", flag: "smtp-url",
                help: "smtp://[user:pass@]host:port or smtps://… (unset: see LOGINTOO_MAIL_URL). smtp:// requires STARTTLS, except to loopback without user:pass, or with ?starttls=optional (never with user:pass); ?ca_file=PEM trusts a private CA"),
        Setting(environment: "LOGINTOO_MAIL_FROM", flag: "mail-from", help: "sender of sign-in emails (default Logintoo <no-reply@ISSUER-HOST>)"),
        Setting(environment: "LOGINTOO_MAIL_URL", flag: "mail-url",
                help: "the mail provider: smtp://… (STARTTLS required, as for LOGINTOO_SMTP_URL), smtps://…, ses://REGION (credentials as "
                    + "below), an https:// webhook, or console (the log, on purpose); default LOGINTOO_SMTP_URL. Without either, "
                    + "the console, which only a loopback issuer may fall back to: serve refuses to start otherwise"),
        Setting(environment: "LOGINTOO_MAIL_FALLBACK_URL", flag: "mail-fallback-url",
                help: "a second provider, used when the first fails (same forms)"),
        Setting(environment: "LOGINTOO_MAIL_WEBHOOK_SECRET", flag: "mail-webhook-secret",
                help: "16+ characters that sign webhook deliveries (X-Logintoo-Signature)"),
        Setting(environment: "LOGINTOO_DEMO", flag: "demo", help: "serve the demo client at /demo: true or false (default true when no issuer is set)"),
        Setting(environment: "LOGINTOO_SIGNING_ALG", flag: "signing-alg", help: "RS256 (default), ES256 or EdDSA"),
        Setting(environment: "LOGINTOO_SEND_INTERVAL", flag: "send-interval", help: "seconds between two codes to one address (60)"),
        Setting(environment: "LOGINTOO_SENDS_PER_ADDRESS_PER_HOUR", flag: "sends-per-address-per-hour", help: "codes per address per hour (5)"),
        Setting(environment: "LOGINTOO_SENDS_PER_IP_PER_HOUR", flag: "sends-per-ip-per-hour", help: "codes per client IP per hour (100)"),
        Setting(environment: "LOGINTOO_REFRESH_GRACE", flag: "refresh-grace",
                help: "seconds a just-rotated refresh token may be retried (10; 0 turns retries off)"),
        Setting(environment: "LOGINTOO_ADMIN_LISTEN", flag: "admin-listen",
                help: "host:port for /metrics and health checks only; without it, /metrics is served on the main listener only "
                    + "when the issuer is loopback (404 otherwise)"),
        Setting(environment: "LOGINTOO_TRUSTED_PROXIES", flag: "trusted-proxies",
                help: "comma-separated CIDRs of the proxies and load balancers in front of the server (none); a request from one is "
                    + "from the rightmost address of LOGINTOO_FORWARDED_HEADER that is not itself trusted; IPv6 clients count per /64"),
        Setting(environment: "LOGINTOO_REQUEST_TIMEOUT", flag: "request-timeout",
                help: "seconds a request's head and body have to arrive once it starts (30); a slower client gets 408 and the "
                    + "connection closes"),
        Setting(environment: "LOGINTOO_IDLE_TIMEOUT", flag: "idle-timeout",
                help: "seconds an idle keep-alive connection stays open, and a client may leave its answers unread (60)"),
        Setting(environment: "LOGINTOO_MAX_CONNECTIONS", flag: "max-connections",
                help: "connections open at once on a listener, per instance (1000); more wait in the kernel's backlog"),
        Setting(environment: "LOGINTOO_MAX_CONNECTIONS_PER_CLIENT", flag: "max-connections-per-client",
                help: "connections one client address (an IPv6 /64) may hold open at once (100); more are closed at once. "
                    + "Trusted proxies are not counted: limit their clients in the proxy"),
        Setting(environment: "LOGINTOO_FORWARDED_HEADER", flag: "forwarded-header",
                help: "the header your trusted proxies write the client's address in: X-Forwarded-For (default) or Forwarded; "
                    + "the other is never read, so a client cannot slip its own past a proxy that only writes one"),
        Setting(environment: "LOGINTOO_LOG_FORMAT", flag: "log-format", help: "text (default) or json, one object per line"),
        Setting(environment: "LOGINTOO_KEY_ROTATION_DAYS", flag: "key-rotation-days",
                help: "days each signing key signs before the next takes over (0, the default: only `logintoo key rotate`)"),
        Setting(environment: "LOGINTOO_SHUTDOWN_DELAY", flag: "shutdown-delay",
                help: "seconds between reporting not ready and closing the listener on SIGTERM (0)"),
        Setting(environment: "LOGINTOO_SHUTDOWN_TIMEOUT", flag: "shutdown-timeout",
                help: "seconds requests in flight get to finish on SIGTERM before they are cut off (25)"),
        Setting(environment: "LOGINTOO_TEMPLATES_DIR", flag: "templates-dir",
                help: "folder with sign-in.txt.mustache and/or sign-in.html.mustache replacing the built-in email templates"),
        Setting(environment: "LOGINTOO_DATABASE_URL", flag: "database-url",
                help: "sqlite:PATH (default: the data folder), postgres://user:password@host:port/database"
                    + "?sslmode=MODE&sslrootcert=CA.pem&pool=N, or over a Unix socket postgres://user@/database?host=/var/run/postgresql"
                    + " (or postgres+uds://user@localhost/var/run/postgresql/.s.PGSQL.5432#database)"),
        Setting(environment: "LOGINTOO_DATABASE_POOL_SIZE", flag: "database-pool-size", help: "PostgreSQL connections per instance (10)"),
        Setting(environment: "LOGINTOO_DATABASE_TLS", flag: "database-tls",
                help: "TLS to PostgreSQL when the URL has no sslmode (refused when it names another): disable, prefer, require, verify-ca or verify-full"
                    + " (default verify-full; disable to a loopback address; a Unix socket never uses TLS)."
                    + " Every TLS mode verifies the certificate (unlike libpq's require and prefer); verify-ca skips the host name"),
        Setting(environment: "LOGINTOO_KEY_ENCRYPTION_KEY", flag: "key-encryption-key",
                help: "32+ random bytes, base64: seals signing keys; required with PostgreSQL, the same on every instance"),
    ]

    /// The settings that hold secrets: each can also be read from a file named by `NAME_FILE`, so the secret need not
    /// sit in the environment, where `ps e` and container inspection show it.
    public static let secretSettings: Set<String> = [
        "LOGINTOO_SMTP_URL", "LOGINTOO_MAIL_URL", "LOGINTOO_MAIL_FALLBACK_URL", "LOGINTOO_MAIL_WEBHOOK_SECRET",
        "LOGINTOO_DATABASE_URL", "LOGINTOO_KEY_ENCRYPTION_KEY",
    ]

    /// `values` with each secret given as `NAME_FILE` read from its file (a final line break dropped).
    static func readingSecretFiles(_ values: [String: String]) throws(ConfigurationError) -> [String: String] {
        var values = values
        for name in secretSettings.sorted() {
            guard let path = values[name + "_FILE"] else { continue }
            guard values[name] == nil else { throw .invalid("\(name)_FILE", "\(name) is set too; set one of them") }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw .invalid("\(name)_FILE", "cannot read \(path)")
            }
            guard !text.allSatisfy(\.isWhitespace) else { throw .invalid("\(name)_FILE", "\(path) is empty") }
            values[name] = text.hasSuffix("\r\n") ? String(text.dropLast(2)) : text.hasSuffix("\n") ? String(text.dropLast()) : text
        }
        return values
    }

    /// `docs/configuration.md`: every setting with its environment variable, flag and default, in the order above.
    public static func referenceMarkdown() -> String {
        var lines = [
            "# Configuration reference",
            "",
            "Every setting is an environment variable, a flag of `logintoo serve` (and of the other commands), and a line",
            "`NAME=value` in an optional config file (`--config FILE` or `LOGINTOO_CONFIG`). Flags win over the environment,",
            "which wins over the file. A setting that cannot be used stops the start with a message naming it.",
            "",
            "This page is generated from the `Configuration` type: `logintoo config-reference > docs/configuration.md`.",
            "",
            "| environment variable | flag | what it sets |",
            "| --- | --- | --- |",
        ]
        for setting in settings {
            lines.append("| `\(setting.environment)` | `--\(setting.flag)` | \(setting.help.replacingOccurrences(of: "|", with: "\\|")) |")
        }
        lines += [
            "",
            "Each setting that holds a secret (\(secretSettings.sorted().map { "`\($0)`" }.joined(separator: ", "))) can instead name",
            "a file to read it from, in a variable (or config-file line) of the same name with `_FILE` appended, such as",
            "`LOGINTOO_KEY_ENCRYPTION_KEY_FILE=/run/secrets/kek`: the secret then stays out of the environment. A final line",
            "break in the file is ignored.",
            "",
            "Amazon SES (`ses://REGION`) takes its credentials as the AWS SDKs do: `AWS_ACCESS_KEY_ID` and",
            "`AWS_SECRET_ACCESS_KEY` (and `AWS_SESSION_TOKEN`), else a web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` with",
            "`AWS_ROLE_ARN`), else the ECS task role (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `_FULL_URI`), else the EC2",
            "instance's role through IMDSv2; see docs/deploy-aws.md, \"Mail credentials\".",
            "`LOGINTOO_LOG_LEVEL` (`trace` to `critical`, default `info`) sets how much is logged.",
            "",
        ]
        return lines.joined(separator: "\n")
    }

    /// Resolves the settings. `flags` is keyed by flag name, `environment` by variable name.
    public static func load(flags: [String: String], environment: [String: String], configFile: String?) throws(ConfigurationError)
        -> Configuration
    {
        var file: [String: String] = [:]
        if let configFile { file = try readingSecretFiles(readConfigFile(configFile)) }
        let environment = try readingSecretFiles(environment)
        func value(_ flag: String) -> (String, String)? {
            guard let setting = settings.first(where: { $0.flag == flag }) else { return nil }
            let label = "\(setting.environment) (--\(setting.flag))"
            if let v = flags[flag] { return (v, label) }
            if let v = environment[setting.environment] { return (v, label) }
            if let v = file[setting.environment] { return (v, label) }
            return nil
        }

        let (listenHost, listenPort) = try parseListen(value("listen") ?? ("127.0.0.1:8080", "LOGINTOO_LISTEN (--listen)"))
        let connectionLimits = ConnectionLimits(
            requestTimeout: Int64(try parseCount(value("request-timeout"), range: 1...3600, default: 30)),
            idleTimeout: Int64(try parseCount(value("idle-timeout"), range: 1...3600, default: 60)),
            maxConnections: try parseCount(value("max-connections"), range: 1...1_000_000, default: 1000),
            maxConnectionsPerClient: try parseCount(value("max-connections-per-client"), range: 1...1_000_000, default: 100))
        let configuredIssuer = value("issuer")
        let issuer = try configuredIssuer.map { (setting) throws(ConfigurationError) in try validateIssuer(setting) } ?? "http://\(listenHost.contains(":") ? "[\(listenHost)]" : listenHost):\(listenPort)"
        var smtp: SMTPConfiguration?
        if let (url, label) = value("smtp-url"), !url.isEmpty {
            do { smtp = try SMTPConfiguration(url: url) } catch { throw .invalid(label, error.description) }
        }
        func provider(_ flag: String) throws(ConfigurationError) -> MailProvider? {
            guard let (url, label) = value(flag), !url.isEmpty else { return nil }
            do { return try MailProvider(url: url) } catch { throw .invalid(label, error.description) }
        }
        let mail = try provider("mail-url") ?? smtp.map(MailProvider.smtp)
        let mailFallback = try provider("mail-fallback-url")
        var webhookSecret: [UInt8]?
        if let (secret, label) = value("mail-webhook-secret"), !secret.isEmpty {
            guard secret.count >= 16 else { throw .invalid(label, "use at least 16 random characters") }
            webhookSecret = Array(secret.utf8)
        }
        for chosen in [mail, mailFallback] {
            if case .webhook? = chosen, webhookSecret == nil {
                throw .invalid("LOGINTOO_MAIL_WEBHOOK_SECRET (--mail-webhook-secret)", "a webhook provider needs a secret to sign with")
            }
        }
        if mailFallback != nil, mail == nil {
            throw .invalid("LOGINTOO_MAIL_FALLBACK_URL (--mail-fallback-url)", "a fallback needs a first provider (LOGINTOO_MAIL_URL)")
        }
        let host = URLComponents(string: issuer)?.host ?? "localhost"
        let mailFrom = value("mail-from")?.0 ?? "Logintoo <no-reply@\(host)>"
        guard mailFrom.contains("@"), !mailFrom.contains(where: \.isNewline) else {
            throw .invalid("LOGINTOO_MAIL_FROM (--mail-from)", "expected an email address, got '\(mailFrom)'")
        }
        var demo = configuredIssuer == nil
        if let setting = value("demo") { demo = try parseBool(setting) }
        var algorithm = SigningAlgorithm.rs256
        if let (text, label) = value("signing-alg") {
            guard let chosen = SigningAlgorithm.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
                throw .invalid(label, "expected RS256, ES256 or EdDSA, got '\(text)'")
            }
            algorithm = chosen
        }
        let dataDir = value("data-dir")?.0 ?? "./logintoo-data"
        var jsonLogs = false
        if let (format, label) = value("log-format") {
            guard ["text", "json"].contains(format) else { throw .invalid(label, "expected text or json, got '\(format)'") }
            jsonLogs = format == "json"
        }
        var keyEncryptionKey: [UInt8]?
        if let (text, label) = value("key-encryption-key"), !text.isEmpty {
            guard let bytes = Base64URL.decode(text.trimmingCharacters(in: CharacterSet(charactersIn: "= \n")))
                ?? Data(base64Encoded: text).map(Array.init), bytes.count >= 32
            else { throw .invalid(label, "expected at least 32 random bytes in base64 (openssl rand -base64 32)") }
            keyEncryptionKey = bytes
        }
        let database = try parseDatabase(value("database-url"), dataDir: dataDir, poolSize: value("database-pool-size"),
                                         tls: value("database-tls"))
        if case .postgres = database, keyEncryptionKey == nil {
            throw .invalid("LOGINTOO_KEY_ENCRYPTION_KEY (--key-encryption-key)",
                           "PostgreSQL needs a key-encryption key shared by every instance (openssl rand -base64 32)")
        }
        return Configuration(
            issuer: issuer, issuerConfigured: configuredIssuer != nil, listenHost: listenHost, listenPort: listenPort,
            dataDir: dataDir, smtp: smtp, mail: mail, mailFallback: mailFallback, mailWebhookSecret: webhookSecret,
            mailFrom: mailFrom, demo: demo,
            signingAlgorithm: algorithm,
            sendInterval: Int64(try parseCount(value("send-interval"), range: 0...86_400, default: 60)),
            sendsPerAddressPerHour: try parseCount(value("sends-per-address-per-hour"), range: 1...1000, default: 5),
            sendsPerIPPerHour: try parseCount(value("sends-per-ip-per-hour"), range: 1...1_000_000, default: 100),
            refreshGrace: Int64(try parseCount(value("refresh-grace"), range: 0...60, default: 10)),
            adminListen: try value("admin-listen").map { (setting) throws(ConfigurationError) in
                let (host, port) = try parseListen(setting)
                return ListenAddress(host: host, port: port)
            },
            jsonLogs: jsonLogs,
            keyRotation: try parseCount(value("key-rotation-days"), range: 0...3650, default: 0).nonZero.map(KeyRotationSchedule.init(days:)),
            shutdownDelay: Int64(try parseCount(value("shutdown-delay"), range: 0...300, default: 0)),
            shutdownTimeout: Int64(try parseCount(value("shutdown-timeout"), range: 1...600, default: 25)),
            templatesDir: try value("templates-dir").map { (setting) throws(ConfigurationError) in
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: setting.0, isDirectory: &isFolder), isFolder.boolValue else {
                    throw .invalid(setting.1, "\(setting.0) is not a folder")
                }
                return setting.0
            },
            trustedProxies: try parseTrustedProxies(value("trusted-proxies"), header: value("forwarded-header")),
            connectionLimits: connectionLimits,
            database: database, keyEncryptionKey: keyEncryptionKey
        )
    }

    static func parseDatabase(_ url: (String, String)?, dataDir: String, poolSize: (String, String)?,
                              tls: (String, String)?) throws(ConfigurationError) -> DatabaseChoice {
        guard let (text, label) = url, !text.isEmpty else { return .sqlite(path: dataDir + "/logintoo.sqlite") }
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw .invalid(label, "sqlite: needs a file path, as in sqlite:/var/lib/logintoo/db.sqlite") }
            return .sqlite(path: path)
        }
        var settings: PostgresEngine.Settings
        do { settings = try PostgresEngine.Settings(url: text) } catch { throw .invalid(label, error.description) }
        if let poolSize {
            settings.poolSize = try parseCount(poolSize, range: 1...200, default: 10)
        }
        if let (mode, modeLabel) = tls {
            guard let tlsMode = PostgresEngine.TLSMode(rawValue: mode) else {
                throw .invalid(modeLabel, "expected \(PostgresEngine.TLSMode.allowedValues), got '\(mode)'")
            }
            // Two places naming two modes: a leftover setting must not quietly weaken what the URL asks for.
            let urlMode = URLComponents(string: text)?.queryItems?.first { $0.name == "sslmode" }?.value
            if let urlMode, urlMode != mode {
                throw .invalid(modeLabel, "is \(mode), but the database URL says sslmode=\(urlMode); set one of them")
            }
            settings.tlsMode = tlsMode
        }
        return .postgres(settings)
    }

    static func parseTrustedProxies(_ input: (String, String)?, header: (String, String)?) throws(ConfigurationError)
        -> TrustedProxies
    {
        var forwardedHeader = TrustedProxies.Header.xForwardedFor
        if let (name, headerLabel) = header {
            guard let chosen = TrustedProxies.Header.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
                throw .invalid(headerLabel, "expected X-Forwarded-For or Forwarded, got '\(name)'")
            }
            forwardedHeader = chosen
        }
        guard let (text, label) = input else { return .none }
        var networks: [IPNetwork] = []
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            guard let network = IPNetwork(item) else {
                throw .invalid(label, "expected comma-separated addresses or CIDRs such as 10.0.0.0/8, fd00::/8; got '\(item)'")
            }
            networks.append(network)
        }
        return TrustedProxies(networks, header: forwardedHeader)
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
            throw .invalid("LOGINTOO_MAIL_URL (--mail-url)",
                           "no mail provider is configured, and the issuer \(issuer) is not loopback: sign-in codes would be printed "
                               + "in the log. Set LOGINTOO_MAIL_URL to smtp://, smtps://, ses:// or an https:// webhook, or to "
                               + "console to print them on purpose")
        }
    }

    /// The issuer's host name, which names this server in emails and message ids.
    public var issuerHost: String { URLComponents(string: issuer)?.host ?? "localhost" }

    /// The sign-in policy these settings give.
    public var policy: Policy {
        var policy = Policy(issuer: issuer)
        policy.sendInterval = sendInterval
        policy.sendsPerAddressPerHour = sendsPerAddressPerHour
        policy.sendsPerIPPerHour = sendsPerIPPerHour
        policy.refreshGrace = refreshGrace
        return policy
    }

    static func readConfigFile(_ path: String) throws(ConfigurationError) -> [String: String] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .invalid("--config", "cannot read \(path)")
        }
        var values: [String: String] = [:]
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw .invalid("--config", "\(path) line \(number + 1): expected LOGINTOO_NAME=value")
            }
            let name = line[..<equals].trimmingCharacters(in: .whitespaces)
            guard settings.contains(where: { $0.environment == name })
                    || (name.hasSuffix("_FILE") && secretSettings.contains(String(name.dropLast("_FILE".count))))
            else {
                throw .invalid("--config", "\(path) line \(number + 1): unknown setting \(name)")
            }
            var value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            values[name] = value
        }
        return values
    }

    static func parseListen(_ input: (String, String)) throws(ConfigurationError) -> (String, Int) {
        let (text, label) = input
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port)
        else { throw .invalid(label, "expected host:port, got '\(text)'") }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw .invalid(label, "expected host:port, got '\(text)'") }
        return (host, port)
    }

    static func validateIssuer(_ input: (String, String)) throws(ConfigurationError) -> String {
        let (text, label) = input
        guard let parts = URLComponents(string: text), let scheme = parts.scheme, let host = parts.host, !host.isEmpty,
              parts.query == nil, parts.fragment == nil, parts.user == nil, !text.hasSuffix("/")
        else { throw .invalid(label, "expected a URL like https://login.example.com (no query, fragment or trailing slash)") }
        let loopback = ["127.0.0.1", "::1", "[::1]", "localhost"].contains(host)
        guard scheme == "https" || (scheme == "http" && loopback) else {
            throw .invalid(label, "must use https (http is allowed only on 127.0.0.1, [::1] or localhost)")
        }
        return text
    }

    static func parseBool(_ input: (String, String)) throws(ConfigurationError) -> Bool {
        switch input.0.lowercased() {
        case "1", "true", "yes", "on": true
        case "0", "false", "no", "off": false
        default: throw .invalid(input.1, "expected true or false, got '\(input.0)'")
        }
    }

    static func parseCount(_ input: (String, String)?, range: ClosedRange<Int>, default fallback: Int) throws(ConfigurationError) -> Int {
        guard let input else { return fallback }
        guard let value = Int(input.0), range.contains(value) else {
            throw .invalid(input.1, "expected a whole number from \(range.lowerBound) to \(range.upperBound), got '\(input.0)'")
        }
        return value
    }
}

private extension Int {
    var nonZero: Int? { self == 0 ? nil : self }
}

/// A setting that cannot be used, named as the operator wrote it.
public enum ConfigurationError: Error, Equatable, CustomStringConvertible {
    case invalid(String, String)
    public var description: String {
        switch self {
        case .invalid(let setting, let why): "\(setting): \(why)"
        }
    }
}
