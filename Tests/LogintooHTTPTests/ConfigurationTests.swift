import Foundation
import LogintooApp
import LogintooCore
import LogintooMail
import Testing

@Suite("Configuration")
struct ConfigurationTests {
    @Test("zero configuration is the embedded default with the demo on")
    func defaults() throws {
        let configuration = try Configuration.load(flags: [:], environment: [:], configFile: nil)
        #expect(configuration.issuer == "http://127.0.0.1:8080")
        #expect(configuration.listenHost == "127.0.0.1" && configuration.listenPort == 8080)
        #expect(configuration.dataDir == "./logintoo-data")
        #expect(configuration.smtp == nil && configuration.demo && configuration.signingAlgorithm == .rs256)
        #expect(configuration.policy.sendInterval == 60 && configuration.policy.sendsPerAddressPerHour == 5)
        #expect(configuration.policy.sendsPerIPPerHour == 100)
        #expect(configuration.keyRotation == nil && configuration.shutdownDelay == 0 && configuration.shutdownTimeout == 25)
        let scheduled = try Configuration.load(flags: [:], environment: ["LOGINTOO_KEY_ROTATION_DAYS": "90"], configFile: nil)
        #expect(scheduled.keyRotation == KeyRotationSchedule(days: 90))
    }

    @Test("flags win over the environment, which wins over the config file")
    func precedence() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("logintoo-\(UUID()).conf")
        try """
            # a comment
            LOGINTOO_LISTEN=127.0.0.1:7000
            LOGINTOO_SEND_INTERVAL=30
            LOGINTOO_ISSUER="https://login.example.com"
            """.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let configuration = try Configuration.load(
            flags: ["listen": "127.0.0.1:9000"], environment: ["LOGINTOO_LISTEN": "127.0.0.1:8000", "LOGINTOO_SEND_INTERVAL": "45"],
            configFile: file.path)
        #expect(configuration.listenPort == 9000)
        #expect(configuration.sendInterval == 45)
        #expect(configuration.issuer == "https://login.example.com")
        #expect(!configuration.demo, "the demo is off by default once an issuer is configured")
    }

    @Test("a wrong setting is refused with its name", arguments: [
        (["listen": "nonsense"], "LOGINTOO_LISTEN (--listen)"),
        (["issuer": "http://login.example.com"], "LOGINTOO_ISSUER (--issuer)"),
        (["issuer": "https://login.example.com/"], "LOGINTOO_ISSUER (--issuer)"),
        (["smtp-url": "smtp://user@host:25"], "LOGINTOO_SMTP_URL (--smtp-url)"),
        (["demo": "maybe"], "LOGINTOO_DEMO (--demo)"),
        (["signing-alg": "HS256"], "LOGINTOO_SIGNING_ALG (--signing-alg)"),
        (["sends-per-ip-per-hour": "-1"], "LOGINTOO_SENDS_PER_IP_PER_HOUR (--sends-per-ip-per-hour)"),
        (["key-rotation-days": "-3"], "LOGINTOO_KEY_ROTATION_DAYS (--key-rotation-days)"),
        (["shutdown-timeout": "0"], "LOGINTOO_SHUTDOWN_TIMEOUT (--shutdown-timeout)"),
        (["mail-url": "ftp://mail.example.com"], "LOGINTOO_MAIL_URL (--mail-url)"),
        (["mail-url": "https://hooks.example.com/mail"], "LOGINTOO_MAIL_WEBHOOK_SECRET (--mail-webhook-secret)"),
        (["mail-fallback-url": "smtp://mail.example.com:25"], "LOGINTOO_MAIL_FALLBACK_URL (--mail-fallback-url)"),
        (["templates-dir": "/no/such/folder"], "LOGINTOO_TEMPLATES_DIR (--templates-dir)"),
        (["trusted-proxies": "10.0.0.0/8, 10.0.0.0/33"], "LOGINTOO_TRUSTED_PROXIES (--trusted-proxies)"),
        (["trusted-proxies": "proxy.example.com"], "LOGINTOO_TRUSTED_PROXIES (--trusted-proxies)"),
        (["request-timeout": "0"], "LOGINTOO_REQUEST_TIMEOUT (--request-timeout)"),
        (["idle-timeout": "x"], "LOGINTOO_IDLE_TIMEOUT (--idle-timeout)"),
        (["max-connections": "0"], "LOGINTOO_MAX_CONNECTIONS (--max-connections)"),
        (["max-connections-per-client": "0"], "LOGINTOO_MAX_CONNECTIONS_PER_CLIENT (--max-connections-per-client)"),
        (["forwarded-header": "X-Real-IP"], "LOGINTOO_FORWARDED_HEADER (--forwarded-header)"),
    ])
    func refused(flags: [String: String], named: String) {
        do {
            _ = try Configuration.load(flags: flags, environment: [:], configFile: nil)
            Issue.record("accepted \(flags)")
        } catch {
            #expect(error.description.hasPrefix(named + ":"))
        }
    }

    @Test("SMTP URLs: STARTTLS required for smtp://, implicit TLS for smtps://, credentials percent-decoded")
    func smtp() throws {
        let plain = try #require(try Configuration.load(flags: ["smtp-url": "smtp://mail.example.com:2525"], environment: [:],
                                                        configFile: nil).smtp)
        #expect(plain.security == .startTLSRequired && plain.port == 2525 && plain.username == nil)
        let tls = try #require(try Configuration.load(flags: ["smtp-url": "smtps://me%40x.com:p%20w@mail.example.com"],
                                                      environment: [:], configFile: nil).smtp)
        #expect(tls.security == .implicitTLS && tls.port == 465 && tls.username == "me@x.com" && tls.password == "p w")
    }

    @Test("trusted proxies, timeouts and the connection cap: safe defaults, each a setting")
    func connectionSettings() throws {
        let defaults = try Configuration.load(flags: [:], environment: [:], configFile: nil)
        #expect(defaults.trustedProxies == .none)
        #expect(defaults.connectionLimits == ConnectionLimits(requestTimeout: 30, idleTimeout: 60, maxConnections: 1000,
                                                              maxConnectionsPerClient: 100))
        let set = try Configuration.load(flags: [:], environment: [
            "LOGINTOO_TRUSTED_PROXIES": " 10.0.0.0/8 ,fd00::/8,127.0.0.2", "LOGINTOO_REQUEST_TIMEOUT": "5",
            "LOGINTOO_IDLE_TIMEOUT": "7", "LOGINTOO_MAX_CONNECTIONS": "9", "LOGINTOO_MAX_CONNECTIONS_PER_CLIENT": "3",
            "LOGINTOO_FORWARDED_HEADER": "forwarded",
        ], configFile: nil)
        #expect(set.trustedProxies.networks.map(\.description) == ["10.0.0.0/8", "fd00::/8", "127.0.0.2/32"])
        #expect(set.trustedProxies.header == .forwarded && defaults.trustedProxies.header == .xForwardedFor)
        #expect(set.connectionLimits == ConnectionLimits(requestTimeout: 5, idleTimeout: 7, maxConnections: 9, maxConnectionsPerClient: 3))
    }

    @Test("a public issuer needs a mail provider to serve, console only when asked for, and keeps /metrics off its listener")
    func publicIssuer() throws {
        let local = try Configuration.load(flags: [:], environment: [:], configFile: nil)
        try local.checkServable()
        #expect(local.issuerIsLoopback && local.metricsOnPublicListener)
        let bare = try Configuration.load(flags: ["issuer": "https://login.example.com"], environment: [:], configFile: nil)
        #expect(!bare.issuerIsLoopback && !bare.metricsOnPublicListener)
        #expect(throws: ConfigurationError.self) { try bare.checkServable() }
        do { try bare.checkServable() } catch { #expect(error.description.hasPrefix("LOGINTOO_MAIL_URL (--mail-url):")) }
        let console = try Configuration.load(flags: ["issuer": "https://login.example.com", "mail-url": "console"], environment: [:],
                                             configFile: nil)
        #expect(console.mail == .console)
        try console.checkServable()
        let https = try Configuration.load(flags: ["issuer": "https://localhost:8443"], environment: [:], configFile: nil)
        #expect(https.issuerIsLoopback)
        let exposed = try Configuration.load(flags: ["issuer": "http://localhost:8080", "listen": "0.0.0.0:8080"], environment: [:],
                                             configFile: nil)
        #expect(exposed.issuerIsLoopback && !exposed.listensOnLoopbackOnly && !exposed.metricsOnPublicListener,
                "a loopback issuer on a listener others reach keeps /metrics off it too")
    }

    @Test("a secret setting can be read from the file NAME_FILE names, in the environment or the config file")
    func secretFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("logintoo-secrets-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let kek = folder.appendingPathComponent("kek")
        try "sCQ9pQkJ3IqW1ZUqJ2u3HvV1fTQ9l9m9P3pDk0n2tQ8=\n".write(to: kek, atomically: true, encoding: .utf8)
        let mail = folder.appendingPathComponent("mail")
        try "smtps://user:secret@mail.example.com".write(to: mail, atomically: true, encoding: .utf8)
        let fromEnvironment = try Configuration.load(flags: [:], environment: [
            "LOGINTOO_KEY_ENCRYPTION_KEY_FILE": kek.path, "LOGINTOO_MAIL_URL_FILE": mail.path,
        ], configFile: nil)
        #expect(fromEnvironment.keyEncryptionKey?.count == 32)
        #expect(fromEnvironment.smtpPassword == "secret")
        let file = folder.appendingPathComponent("logintoo.conf")
        try "LOGINTOO_MAIL_URL_FILE=\(mail.path)\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(try Configuration.load(flags: [:], environment: [:], configFile: file.path).smtpPassword == "secret")
        let empty = folder.appendingPathComponent("empty")
        try "\n".write(to: empty, atomically: true, encoding: .utf8)
        for environment in [["LOGINTOO_MAIL_URL_FILE": folder.appendingPathComponent("missing").path],
                            ["LOGINTOO_MAIL_URL_FILE": empty.path],
                            ["LOGINTOO_MAIL_URL_FILE": mail.path, "LOGINTOO_MAIL_URL": "console"]] {
            do {
                _ = try Configuration.load(flags: [:], environment: environment, configFile: nil)
                Issue.record("accepted \(environment)")
            } catch {
                #expect(error.description.hasPrefix("LOGINTOO_MAIL_URL_FILE:"))
            }
        }
        // One final line break is dropped, written either way, and nothing else: spaces may be part of a password.
        for (written, secret) in [("pa55word\r\n", "pa55word"), ("pa55word\n", "pa55word"), ("pa55word", "pa55word"),
                                  (" pa55 word \n\n", " pa55 word \n"), ("pa55word\r", "pa55word\r")] {
            let path = folder.appendingPathComponent("secret").path
            try written.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(try SecretFiles.read(path) == secret, "\(written.debugDescription)")
        }
        try "LOGINTOO_ISSUER_FILE=/etc/hostname\n".write(to: file, atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError.self, "only secret settings have a _FILE form") {
            try Configuration.load(flags: [:], environment: [:], configFile: file.path)
        }
    }

    @Test("the SMTP greeting names the issuer's host, or an address literal")
    func heloName() {
        #expect(LogintooServer.heloName(issuer: "https://login.example.com") == "login.example.com")
        #expect(LogintooServer.heloName(issuer: "http://127.0.0.1:8080") == "[127.0.0.1]")
        #expect(LogintooServer.heloName(issuer: "http://[::1]:8080") == "[IPv6:::1]")
    }

    @Test("docs/configuration.md is the reference generated from the settings, and names every one of them")
    func reference() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let committed = try String(contentsOf: root.appendingPathComponent("docs/configuration.md"), encoding: .utf8)
        #expect(committed == Configuration.referenceMarkdown(), "run: logintoo config-reference > docs/configuration.md")
        for setting in Configuration.settings {
            #expect(committed.contains("`\(setting.environment)`") && committed.contains("`--\(setting.flag)`"))
        }
    }
}

private extension Configuration {
    /// The password of the configured SMTP provider.
    var smtpPassword: String? {
        guard case .smtp(let smtp)? = mail else { return nil }
        return smtp.password
    }
}
