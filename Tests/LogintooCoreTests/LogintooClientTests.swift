import Foundation
import LogintooCore
import Testing

@Suite("Logintoo client settings, client import and claims")
struct LogintooClientTests {
    typealias Value = LogintooClientSettings.Value

    func applied(_ name: String, _ value: Value) -> (Client, LogintooClientSettings.Outcome) {
        var client = LogintooClientSettings.defaults(id: "c", createdAt: 0)
        let outcome = LogintooClientSettings.apply(name, value, to: &client)
        return (client, outcome)
    }

    @Test("defaults: 4 attempts, 10 minutes, 1 hour access tokens, 1 week absolute refresh")
    func defaults() {
        let settings = LogintooClientSettings.defaults(id: "c", createdAt: 0).settings
        #expect(settings.codeMaxAttempts == 4 && settings.codeLifetime == 600 && settings.accessTokenLifetime == 3600)
        #expect(settings.refreshIdleLifetime == 604_800 && settings.refreshSliding == false && settings.codeDigits == nil)
        let policy = Policy(issuer: "https://id.example.com")
        let client = LogintooClientSettings.defaults(id: "c", createdAt: 0)
        #expect(policy.codeMaxAttempts(for: client) == 4)
    }

    /// The stored value a Logintoo setting maps to, as text ("nil" when the server default applies).
    func stored(_ name: String, in settings: ClientSettings) -> String {
        let value: Any? = switch name {
        case "otpLength": settings.codeDigits
        case "otpAttempts": settings.codeMaxAttempts
        case "otpTimeout": settings.codeLifetime
        case "accessTokenExp": settings.accessTokenLifetime
        case "refreshTokenExp": settings.refreshIdleLifetime
        case "extendRefreshToken": settings.refreshSliding
        default: nil
        }
        return value.map { "\($0)" } ?? "nil"
    }

    @Test("ranges are honoured; values outside them, non-integers and wrong types fall back without failing",
          arguments: [
            ("otpLength", Value.number(4), "6"), ("otpLength", .string("7"), "7"), ("otpLength", .number(9), "nil"),
            ("otpLength", .string("six"), "nil"), ("otpAttempts", .number(10), "10"), ("otpAttempts", .number(0), "4"),
            ("otpAttempts", .number(2.5), "4"), ("otpTimeout", .string("30"), "1800"), ("otpTimeout", .number(31), "600"),
            ("accessTokenExp", .number(60), "60"), ("accessTokenExp", .number(86_401), "3600"),
            ("accessTokenExp", .bool(true), "3600"), ("refreshTokenExp", .number(2_592_000), "2592000"),
            ("refreshTokenExp", .number(3599), "604800"), ("extendRefreshToken", .bool(true), "true"),
            ("extendRefreshToken", .string("maybe"), "false"),
          ])
    func ranges(name: String, value: Value, expected: String) throws {
        let (client, _) = applied(name, value)
        #expect(stored(name, in: client.settings) == expected)
        try client.settings.validate()
    }

    @Test("texts: audience, Reply-To, subject and logo are checked; header injection is refused")
    func texts() {
        #expect(applied("tokenAud", .string("https://api.example.com")).0.settings.tokenAudience == "https://api.example.com")
        #expect(applied("otpEmailFrom", .string("help@site.example")).0.settings.replyTo == "help@site.example")
        let injected = applied("otpEmailSubj", .string("Hi\r\nBcc: victim@example.com"))
        #expect(injected.0.settings.emailSubject == nil)
        #expect(injected.1 != .applied)
        #expect(applied("otpEmailLogoSrc", .string("javascript:alert(1)")).0.settings.logoURL == nil)
        #expect(applied("otpEmailLogoSrc", .string("https://cdn.example.com/logo.png")).0.settings.logoURL
            == "https://cdn.example.com/logo.png")
        #expect(applied("appDisplayName", .string("Shop")).0.name == "Shop")
        #expect(applied("color", .string("red")).1 == .unknownName)
    }

    @Test("extendRefreshToken=false ends the family at refreshTokenExp; true slides up to the server's absolute cap")
    func refreshExpiry() {
        let policy = Policy(issuer: "https://id.example.com")
        var client = LogintooClientSettings.defaults(id: "c", createdAt: 0)
        _ = LogintooClientSettings.apply("refreshTokenExp", .number(7200), to: &client)
        #expect(policy.refreshAbsoluteLifetime(for: client) == 7200)
        _ = LogintooClientSettings.apply("extendRefreshToken", .bool(true), to: &client)
        #expect(policy.refreshAbsoluteLifetime(for: client) == policy.refreshAbsoluteLifetime)
        #expect(policy.refreshIdleLifetime(for: client) == 7200)
    }

    @Test("import: DynamoDB-typed items from a scan, bare items, and a plain array")
    func importFormats() throws {
        let scan = """
            {"Items": [{"clientId": {"S": "6f1c2b9e-1d2a-4c1e-9a51-0c2f5a7e1b11"}, "appDisplayName": {"S": "Old Shop"},
              "redirectURIs": {"L": [{"S": "https://shop.example.com/cb"}, {"S": "http://evil.example.com/cb"}]},
              "otpLength": {"N": "4"}, "otpAttempts": {"N": "abc"}, "accessTokenExp": {"N": "900"},
              "extendRefreshToken": {"BOOL": true}, "tokenAud": {"S": "https://api.shop.example.com"}}],
             "Count": 1, "ScannedCount": 1}
            """
        let records = try LogintooClientImport.read(Data(scan.utf8), now: 5)
        let record = try #require(records.first)
        #expect(record.client.id == "6f1c2b9e-1d2a-4c1e-9a51-0c2f5a7e1b11" && record.client.name == "Old Shop")
        #expect(record.client.redirectURIs == ["https://shop.example.com/cb"])
        #expect(record.client.settings.codeDigits == 6 && record.client.settings.codeMaxAttempts == 4)
        #expect(record.client.settings.accessTokenLifetime == 900 && record.client.settings.refreshSliding == true)
        #expect(record.client.settings.tokenAudience == "https://api.shop.example.com")
        #expect(record.warnings.count == 2)
        #expect(!record.client.isConfidential && record.client.createdAt == 5)

        let bare = #"[{"clientId": {"S": "a-1"}, "redirectURIs": {"SS": ["https://a.example.com/cb"]}}]"#
        #expect(try LogintooClientImport.read(Data(bare.utf8), now: 0).first?.client.redirectURIs == ["https://a.example.com/cb"])
        let plain = #"[{"clientId": "b-2", "redirectURIs": ["https://b.example.com/cb"], "otpTimeout": 15}]"#
        #expect(try LogintooClientImport.read(Data(plain.utf8), now: 0).first?.client.settings.codeLifetime == 900)
    }

    @Test("import refuses what cannot become a client, naming the item", arguments: [
        "not json", #"{"Count": 0}"#, #"[1]"#, #"[{"redirectURIs": ["https://a.example.com/cb"]}]"#,
        #"[{"clientId": "x", "redirectURIs": ["http://plain.example.com/cb"]}]"#,
    ])
    func importRefusals(text: String) {
        #expect(throws: LogintooClientImport.Failure.self) { try LogintooClientImport.read(Data(text.utf8), now: 0) }
    }

    @Test("email_normalized drops a +tag, and dots for Gmail; hd is the domain")
    func normalization() throws {
        let gmail = try #require(EmailAddress("J.Doe+shop@gmail.com"))
        #expect(gmail.normalized == "jdoe@gmail.com" && gmail.domain == "gmail.com")
        #expect(try #require(EmailAddress("j.doe+x@example.org")).normalized == "j.doe@example.org")
    }

    @Test("client ids are random UUIDs")
    func uuids() {
        let id = SeededRandom(seed: 1).uuid()
        #expect(UUID(uuidString: id) != nil && id == id.lowercased())
        #expect(Array(id)[14] == "4")
    }
}
