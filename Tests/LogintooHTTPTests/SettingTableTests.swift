import ArgumentParser
import Foundation
@testable import LogintooApp
import LogintooCore
import Testing

@Suite("Setting table")
struct SettingTableTests {
    func setting(_ flag: String) throws -> Configuration.Setting {
        try #require(Configuration.settings.first { $0.flag == flag })
    }

    @Test("the sign-in throttles and the refresh grace default to Policy's own values, and their help says so")
    func policyDefaults() throws {
        let policy = Policy(issuer: "")
        let configuration = try Configuration.load(flags: [:], environment: [:], configFile: nil)
        #expect(configuration.sendInterval == policy.sendInterval)
        #expect(configuration.sendsPerAddressPerHour == policy.sendsPerAddressPerHour)
        #expect(configuration.sendsPerIPPerHour == policy.sendsPerIPPerHour)
        #expect(configuration.refreshGrace == policy.refreshGrace)
        #expect(configuration.policy == Policy(issuer: configuration.issuer), "no setting moves a default away from Policy's")
        #expect(try setting("send-interval").help.hasSuffix("(default \(policy.sendInterval))"))
        #expect(try setting("sends-per-address-per-hour").help.hasSuffix("(default \(policy.sendsPerAddressPerHour))"))
        #expect(try setting("sends-per-ip-per-hour").help.hasSuffix("(default \(policy.sendsPerIPPerHour))"))
        #expect(try setting("refresh-grace").help.hasSuffix("(default \(policy.refreshGrace))"))
    }

    @Test("a flag name the table lacks is refused, not ignored")
    func unknownFlag() {
        #expect(throws: ConfigurationError.invalid("--smtp-ulr", "unknown setting")) {
            try Configuration.load(flags: ["smtp-ulr": "smtp://mail.example.com:25"], environment: [:], configFile: nil)
        }
    }

    /// What a load gives: the configuration, or the message that refuses it.
    enum Outcome: Equatable {
        case loaded(Configuration)
        case refused(String)

        init(_ load: () throws -> Configuration) {
            do { self = .loaded(try load()) } catch let error as ConfigurationError {
                self = .refused("configuration: \(error.description)")
            } catch {
                self = .refused("\(error)")
            }
        }
    }

    @Test("every setting's flag parses through SettingsOptions and gives what its environment variable gives")
    func flagsReachTheirSettings() throws {
        // PostgreSQL, so that the pool size and TLS settings are read too.
        let base = ["LOGINTOO_DATABASE_URL": "postgres://logintoo@db.example.com/logintoo",
                    "LOGINTOO_KEY_ENCRYPTION_KEY": Data(repeating: 7, count: 32).base64EncodedString()]
        let unchanged = Outcome { try Configuration.load(flags: [:], environment: base, configFile: nil) }
        var samples: [String: String] = [:]
        for setting in Configuration.settings {
            func outcome(flags: [String: String], environment: [String: String]) -> Outcome {
                Outcome { try Configuration.load(flags: flags, environment: base.merging(environment) { $1 }, configFile: nil) }
            }
            // A value that changes the configuration (or refuses it), so that a flag whose value went unseen would show.
            let sample = try #require(["0", "1"].first { outcome(flags: [:], environment: [setting.environment: $0]) != unchanged },
                                      "\(setting.environment): no sample changes anything")
            #expect(outcome(flags: [setting.flag: sample], environment: [:])
                == outcome(flags: [:], environment: [setting.environment: sample]), "--\(setting.flag) \(sample)")
            samples[setting.flag] = sample
        }
        // One parse for all flags: each costs ArgumentParser tens of milliseconds in a debug build.
        let options = try SettingsOptions.parse(samples.flatMap { ["--\($0.key)", $0.value] })
        #expect(options.givenFlags == samples)
    }

    @Test("SettingsOptions declares no flag the table lacks")
    func noFlagOutsideTheTable() throws {
        let help = SettingsOptions.helpMessage(columns: 10_000)
        let declared = Set(help.matches(of: /--([a-z0-9-]+)/).map { String($0.output.1) }).subtracting(["config", "help"])
        #expect(declared == Set(Configuration.settings.map(\.flag)))
    }
}
