import Foundation
import LogintooCore
import LogintooHTTP
import LogintooMail

/// Builds a `Configuration`: each setting read through its table entry, then the rules that join several settings.
/// Settings are read in a fixed order, so that of two wrong settings the same one is always reported.
struct ConfigurationLoader {
    let table: SettingTable
    let sources: SettingSources

    func load() throws(ConfigurationError) -> Configuration {
        let listen = try sources.value(table.listen)
        let connectionLimits = ConnectionLimits(
            requestTimeout: try sources.value(table.requestTimeout), idleTimeout: try sources.value(table.idleTimeout),
            maxConnections: try sources.value(table.maxConnections),
            maxConnectionsPerClient: try sources.value(table.maxConnectionsPerClient))
        let configuredIssuer = try sources.value(table.issuer)
        let issuer = configuredIssuer ?? "http://\(listen.hostAndPort)"
        let mail = try mailProviders()
        let mailFrom = try sources.value(table.mailFrom) ?? "Logintoo <no-reply@\(URLComponents(string: issuer)?.host ?? "localhost")>"
        let demo = try sources.value(table.demo) ?? (configuredIssuer == nil)
        let signingAlgorithm = try sources.value(table.signingAlgorithm)
        let dataDir = try sources.value(table.dataDir)
        let logFormat = try sources.value(table.logFormat)
        let keyEncryptionKey = try sources.value(table.keyEncryptionKey)
        let database = try database(dataDir: dataDir)
        let webAuthnRPID = try relyingPartyID(issuer: issuer)
        if case .postgres = database, keyEncryptionKey == nil {
            throw .invalid(table.keyEncryptionKey.label,
                           "PostgreSQL needs a key-encryption key shared by every instance (openssl rand -base64 32)")
        }
        var configuration = Configuration(
            issuer: issuer, issuerConfigured: configuredIssuer != nil, listenHost: listen.host, listenPort: listen.port,
            dataDir: dataDir, smtp: mail.smtp, mail: mail.first, mailFallback: mail.fallback, mailWebhookSecret: mail.webhookSecret,
            mailFrom: mailFrom, demo: demo, signingAlgorithm: signingAlgorithm,
            sendInterval: try sources.value(table.sendInterval),
            sendsPerAddressPerHour: try sources.value(table.sendsPerAddressPerHour),
            sendsPerIPPerHour: try sources.value(table.sendsPerIPPerHour),
            refreshGrace: try sources.value(table.refreshGrace),
            adminListen: try sources.value(table.adminListen),
            jsonLogs: logFormat == .json,
            keyRotation: try keyRotation(),
            shutdownDelay: try sources.value(table.shutdownDelay),
            shutdownTimeout: try sources.value(table.shutdownTimeout),
            templatesDir: try sources.value(table.templatesDir), webAuthnRPID: webAuthnRPID,
            trustedProxies: try trustedProxies(),
            connectionLimits: connectionLimits,
            database: database, keyEncryptionKey: keyEncryptionKey
        )
        configuration.branding = try branding()
        configuration.requirePushedAuthorizationRequests = try sources.value(table.requirePushedAuthorizationRequests)
        configuration.themeDir = try sources.value(table.themeDir)
        configuration.dpopRequired = try sources.value(table.dpopRequired)
        configuration.dpopNonceRequired = try sources.value(table.dpopNonce)
        configuration.otlpEndpoint = try sources.value(table.otlpEndpoint)
        return configuration
    }

    /// The server-wide branding, each value checked by its parse rule.
    private func branding() throws(ConfigurationError) -> ServerBranding {
        ServerBranding(productName: try sources.value(table.productName), logoURL: try sources.value(table.logoURL),
                       accentColor: try sources.value(table.accentColor), privacyURL: try sources.value(table.privacyURL),
                       termsURL: try sources.value(table.termsURL))
    }

    /// WebAuthn lets a page use its own host or a parent domain as the relying party id (WebAuthn §5.1.3), nothing else.
    private func relyingPartyID(issuer: String) throws(ConfigurationError) -> String? {
        guard let id = try sources.value(table.webAuthnRPID) else { return nil }
        let host = URLComponents(string: issuer)?.host?.lowercased() ?? ""
        guard host == id || (id.contains(".") && host.hasSuffix("." + id)) else {
            throw .invalid(table.webAuthnRPID.label, "\(id) is neither the issuer's host \(host) nor a parent domain of it")
        }
        return id
    }

    /// The mail settings, which must agree: a webhook needs a secret to sign with, a fallback needs a first provider.
    private func mailProviders() throws(ConfigurationError)
        -> (smtp: SMTPConfiguration?, first: MailProvider?, fallback: MailProvider?, webhookSecret: [UInt8]?)
    {
        let smtp = try sources.value(table.smtpURL)
        let first = try sources.value(table.mailURL) ?? smtp.map(MailProvider.smtp)
        let fallback = try sources.value(table.mailFallbackURL)
        let webhookSecret = try sources.value(table.mailWebhookSecret)
        for chosen in [first, fallback] {
            if case .webhook? = chosen, webhookSecret == nil {
                throw .invalid(table.mailWebhookSecret.label, "a webhook provider needs a secret to sign with")
            }
        }
        if fallback != nil, first == nil {
            throw .invalid(table.mailFallbackURL.label, "a fallback needs a first provider (LOGINTOO_MAIL_URL)")
        }
        return (smtp, first, fallback, webhookSecret)
    }

    /// SQLite in the data folder unless a URL says otherwise; the pool size and TLS settings apply to PostgreSQL only.
    private func database(dataDir: String) throws(ConfigurationError) -> Configuration.DatabaseChoice {
        switch try sources.value(table.databaseURL) {
        case nil: return .sqlite(path: dataDir + "/logintoo.sqlite")
        case .sqlite(let path)?: return .sqlite(path: path)
        case .postgres(var settings)?:
            if let poolSize = try sources.given(table.databasePoolSize) { settings.poolSize = poolSize }
            if let tlsMode = try sources.value(table.databaseTLS) {
                // Two places naming two modes: a leftover setting must not quietly weaken what the URL asks for.
                let url = sources.text(table.databaseURL).flatMap(URLComponents.init(string:))
                if let urlMode = url?.queryItems?.first(where: { $0.name == "sslmode" })?.value, urlMode != tlsMode.rawValue {
                    throw .invalid(table.databaseTLS.label,
                                   "is \(tlsMode.rawValue), but the database URL says sslmode=\(urlMode); set one of them")
                }
                settings.tlsMode = tlsMode
            }
            return .postgres(settings)
        }
    }

    /// Rotation on a schedule, or `nil` for 0 days: rotation by hand only.
    private func keyRotation() throws(ConfigurationError) -> KeyRotationSchedule? {
        let days = try sources.value(table.keyRotationDays)
        return days == 0 ? nil : KeyRotationSchedule(days: days)
    }

    /// Without trusted proxies no forwarding header is read, whichever one is named.
    private func trustedProxies() throws(ConfigurationError) -> TrustedProxies {
        let header = try sources.value(table.forwardedHeader)
        guard let networks = try sources.value(table.trustedProxies) else { return .none }
        return TrustedProxies(networks, header: header)
    }
}
