import Foundation
import LogintooApp
import LogintooCore
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
    ])
    func refused(flags: [String: String], named: String) {
        do {
            _ = try Configuration.load(flags: flags, environment: [:], configFile: nil)
            Issue.record("accepted \(flags)")
        } catch {
            #expect(error.description.hasPrefix(named + ":"))
        }
    }

    @Test("SMTP URLs: STARTTLS for smtp://, implicit TLS for smtps://, credentials percent-decoded")
    func smtp() throws {
        let plain = try #require(try Configuration.load(flags: ["smtp-url": "smtp://mail.example.com:2525"], environment: [:],
                                                        configFile: nil).smtp)
        #expect(plain.security == .startTLSIfOffered && plain.port == 2525 && plain.username == nil)
        let tls = try #require(try Configuration.load(flags: ["smtp-url": "smtps://me%40x.com:p%20w@mail.example.com"],
                                                      environment: [:], configFile: nil).smtp)
        #expect(tls.security == .implicitTLS && tls.port == 465 && tls.username == "me@x.com" && tls.password == "p w")
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
