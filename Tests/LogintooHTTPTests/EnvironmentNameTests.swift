import LogintooApp
import Testing

@Suite("Unknown LOGINTOO_ environment names")
struct EnvironmentNameTests {
    func refusal(_ environment: [String: String]) -> String? {
        do {
            _ = try Configuration.load(flags: [:], environment: environment, configFile: nil)
            return nil
        } catch {
            return error.description
        }
    }

    @Test("a name a typo away from a setting is refused, saying which setting it was taken for", arguments: [
        ("LOGINTOO_SMTP_ULR", "LOGINTOO_SMTP_URL"),
        ("LOGINTOO_SEND_INTERVALS", "LOGINTOO_SEND_INTERVAL"),
        ("LOGINTOO_DEMOS", "LOGINTOO_DEMO"),
        ("LOGINTOO_KEY_ENCRYPTION_KEY_FIEL", "LOGINTOO_KEY_ENCRYPTION_KEY_FILE"),
        ("LOGINTOO_CONFG", "LOGINTOO_CONFIG"),
    ])
    func typo(name: String, meant: String) throws {
        let refused = try #require(refusal([name: "smtp://mail.example.com:25"]), "\(name) was accepted")
        #expect(refused.hasPrefix(name + ": ") && refused.contains("taken for a misspelling of \(meant)"), "\(refused)")
        #expect(refused.hasSuffix("Did you mean \(meant)?"))
    }

    @Test("a setting without a _FILE form is refused in that form, as in the config file")
    func fileFormOfAPlainSetting() {
        #expect(refusal(["LOGINTOO_ISSUER_FILE": "/etc/hostname"])
            == "LOGINTOO_ISSUER_FILE: only secret settings can be read from a file; set LOGINTOO_ISSUER itself")
    }

    @Test("Kubernetes service links and the names read outside the table are neither refused nor reported")
    func serviceLinks() throws {
        let environment = [
            "LOGINTOO_PORT": "tcp://10.0.0.7:8080", "LOGINTOO_PORT_8080_TCP": "tcp://10.0.0.7:8080",
            "LOGINTOO_PORT_8080_TCP_ADDR": "10.0.0.7", "LOGINTOO_PORT_8080_TCP_PORT": "8080", "LOGINTOO_PORT_8080_TCP_PROTO": "tcp",
            "LOGINTOO_SERVICE_HOST": "10.0.0.7", "LOGINTOO_SERVICE_PORT": "8080", "LOGINTOO_SERVICE_PORT_HTTP": "8080",
            "LOGINTOO_POSTGRES_SERVICE_HOST": "10.0.0.8", "LOGINTOO_POSTGRES_PORT_5432_TCP_ADDR": "10.0.0.8",
            "LOGINTOO_CONFIG": "/etc/logintoo.conf", "LOGINTOO_LOG_LEVEL": "debug",
        ]
        #expect(refusal(environment) == nil)
        #expect(Configuration.environmentWarnings(environment).isEmpty)
    }

    @Test("a name far from every setting is only reported, with a suggestion when one resembles it")
    func farNames() throws {
        let environment = ["LOGINTOO_BIN": "/work/.build/debug/logintoo", "LOGINTOO_TEST_POSTGRES_URL": "postgres://localhost/test",
                           "LOGINTOO_SMTP_HOST": "mail.example.com", "LOGINTOO_LISTEN": "127.0.0.1:9000", "PATH": "/usr/bin"]
        #expect(refusal(environment) == nil, "the test harness's own variables never stop the server")
        let warnings = Configuration.environmentWarnings(environment)
        #expect(warnings.map(\.name) == ["LOGINTOO_BIN", "LOGINTOO_SMTP_HOST", "LOGINTOO_TEST_POSTGRES_URL"])
        #expect(warnings.map(\.resembles) == [nil, "LOGINTOO_SMTP_URL", nil])
        #expect(warnings[0].description == "LOGINTOO_BIN is not a setting and is ignored")
        #expect(warnings[1].description == "LOGINTOO_SMTP_HOST is not a setting and is ignored; did you mean LOGINTOO_SMTP_URL?")
    }
}
