import ArgumentParser
import Foundation
import LogintooApp
import Logging
import LogintooCore
import LogintooHTTP
import LogintooStore

struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Rotate and list signing keys (works while the server runs).",
        subcommands: [Rotate.self, List.self]
    )

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a new signing key now; it starts signing later, on every instance.",
            discussion: """
                The new key appears in the JWKS within 30 seconds and signs from --activate-in seconds on (default 900, so
                resource servers have fetched it first). The key it replaces stays published until every token it signed has
                expired (a day and 15 minutes).
                """
        )
        @OptionGroup var settings: SettingsOptions
        @Option(help: "Seconds until the new key signs (0 to 86400).") var activateIn: Int64 = KeyLifecycle.defaultActivationDelay

        func run() async throws {
            guard (0...86_400).contains(activateIn) else { throw ValidationError("--activate-in must be 0 to 86400 seconds") }
            let configuration = try settings.load()
            let record = try await ClientCommand.withStore(settings) { store in
                let secret = try DataDirectory(path: configuration.dataDir).serverSecret(configuration, random: SystemRandom())
                let audit = AuditTrail(store: store, clock: SystemWallClock(), random: SystemRandom(), logger: Logger(label: "logintoo"))
                return try await KeyLifecycle.rotate(store: store, algorithm: configuration.signingAlgorithm, secret: secret,
                                                     clock: SystemWallClock(), random: SystemRandom(), delay: activateIn, events: audit,
                                                     actor: AccountCommand.actor)
            }
            print("published \(record.kid) (\(record.alg)); it signs from \(KeyCommand.date(record.activatesAt ?? record.createdAt))")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List signing keys and their states.")
        @OptionGroup var settings: SettingsOptions
        @Flag(help: "Print JSON.") var json = false

        struct Row: Encodable {
            let kid: String
            let alg: String
            let state: String
            let created_at: Int64
            let until: Int64?
        }

        func run() async throws {
            let keys = try await ClientCommand.withStore(settings) { try await $0.signingKeys() }
            let rows = KeyLifecycle.states(keys, now: SystemWallClock().now()).map { key, state -> Row in
                switch state {
                case .next(let at): Row(kid: key.kid, alg: key.alg, state: "next", created_at: key.createdAt, until: at)
                case .active: Row(kid: key.kid, alg: key.alg, state: "active", created_at: key.createdAt, until: nil)
                case .retiring(let until): Row(kid: key.kid, alg: key.alg, state: "retiring", created_at: key.createdAt, until: until)
                case .expired: Row(kid: key.kid, alg: key.alg, state: "expired", created_at: key.createdAt, until: nil)
                }
            }
            if json { return try ClientCommand.printJSON(rows) }
            for row in rows {
                let detail = switch row.state {
                case "next": "signs from \(KeyCommand.date(row.until!))"
                case "retiring": "published until \(KeyCommand.date(row.until!))"
                case "active": "signing"
                default: "no longer published"
                }
                print("\(row.kid)\t\(row.alg)\t\(row.state)\t\(detail)")
            }
        }
    }

    static func date(_ seconds: Int64) -> String {
        ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}
