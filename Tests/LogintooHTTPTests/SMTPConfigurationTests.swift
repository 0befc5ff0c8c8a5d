import LogintooMail
import Testing

@Suite("SMTP URL rules: credentials and remote relays only over TLS")
struct SMTPConfigurationTests {
    @Test("the security each URL gets", arguments: [
        ("smtp://mail.example.com", SMTPConfiguration.Security.startTLSRequired, 587),
        ("smtp://apikey:secret@smtp.example.com:587", .startTLSRequired, 587),
        ("smtp://user:pass@127.0.0.1:2525", .startTLSRequired, 2525),
        ("smtp://127.0.0.1:2525", .startTLSIfOffered, 2525),
        ("smtp://127.1.2.3:25", .startTLSIfOffered, 25),
        ("smtp://localhost:25", .startTLSIfOffered, 25),
        ("smtp://LocalHost:25", .startTLSIfOffered, 25),
        ("smtp://[::1]:25", .startTLSIfOffered, 25),
        ("smtp://127.0.0.1.example.com:25", .startTLSRequired, 25),
        ("smtp://128.0.0.1:25", .startTLSRequired, 25),
        ("smtp://127.0.0.256:25", .startTLSRequired, 25),
        ("smtp://localhost.example.com:25", .startTLSRequired, 25),
        ("smtp://[::2]:25", .startTLSRequired, 25),
        ("smtp://relay.internal:25?starttls=optional", .startTLSIfOffered, 25),
        ("smtp://relay.internal:25?starttls=OPTIONAL", .startTLSIfOffered, 25),
        ("smtp://127.0.0.1:2525?starttls=required", .startTLSRequired, 2525),
        ("smtps://user:pass@mail.example.com", .implicitTLS, 465),
        ("smtps://127.0.0.1:4650", .implicitTLS, 4650),
    ])
    func security(url: String, expected: SMTPConfiguration.Security, port: Int) throws {
        let configuration = try SMTPConfiguration(url: url)
        #expect(configuration.security == expected)
        #expect(configuration.port == port)
    }

    @Test("refused URLs say what to change", arguments: [
        ("smtp://user:pass@mail.example.com:587?starttls=optional", "sent only over TLS"),
        ("smtp://user:pass@127.0.0.1:2525?starttls=optional", "sent only over TLS"),
        ("smtp://mail.example.com?starttls=maybe", "?starttls=maybe; allowed: ?starttls=required (the default) or ?starttls=optional"),
        ("smtp://mail.example.com?starttls", "allowed: ?starttls=required"),
        ("smtps://mail.example.com?starttls=optional", "only with smtp://"),
        ("smtp://user@mail.example.com", "both a user and a password"),
        ("ftp://mail.example.com", "must start with smtp:// or smtps://"),
    ])
    func refused(url: String, reason: String) {
        let error = #expect(throws: SMTPConfigurationError.self) { _ = try SMTPConfiguration(url: url) }
        let message = error?.description ?? ""
        #expect(message.hasPrefix("the SMTP URL ") && message.contains(reason), "\(message)")
    }

    @Test("?ca_file= still names the extra trust roots, next to ?starttls=")
    func caFile() throws {
        let configuration = try SMTPConfiguration(url: "smtp://relay.internal?ca_file=/etc/logintoo/ca.pem&starttls=optional")
        #expect(configuration.caFile == "/etc/logintoo/ca.pem" && configuration.security == .startTLSIfOffered)
        let withCredentials = try SMTPConfiguration(url: "smtp://u:p@127.0.0.1:2525?ca_file=/tmp/ca.pem")
        #expect(withCredentials.caFile == "/tmp/ca.pem" && withCredentials.security == .startTLSRequired)
    }

    @Test("a relay without STARTTLS: the error names the relay, the settings and each way out")
    func notOfferedMessage() {
        let withCredentials = String(describing: SMTPError.startTLSNotOffered(relay: "smtp.example.com:587", credentials: true))
        for part in ["smtp.example.com:587 did not offer STARTTLS", "a user, password and mail are never sent in clear text",
                     "LOGINTOO_MAIL_URL", "smtps://", "drop the user and password and add ?starttls=optional"] {
            #expect(withCredentials.contains(part))
        }
        let anonymous = String(describing: SMTPError.startTLSNotOffered(relay: "relay.internal:25", credentials: false))
        #expect(anonymous.contains("this URL does not allow mail in clear text") && anonymous.contains("add ?starttls=optional"))
        // The outbox keeps the first 500 characters of a failure for `logintoo mail status`.
        #expect(withCredentials.count < 500)
    }
}
