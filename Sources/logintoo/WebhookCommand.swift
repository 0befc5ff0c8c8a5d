import ArgumentParser
import Foundation
import Logging
import LogintooApp
import LogintooCore
import LogintooHTTP

struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook",
        abstract: "Security events POSTed to your endpoints, signed in the Standard Webhooks format (works while the server runs).",
        discussion: """
            Event kinds: \(WebhookEventType.allCases.map(\.rawValue).joined(separator: ", ")). Deliveries are retried for a \
            day with the same webhook-id; `logintoo deliveries list` shows where each one is. Servers see a new or removed \
            endpoint within 5 seconds.
            """,
        subcommands: [Add.self, List.self, RotateSecret.self, Remove.self]
    )

    /// The endpoint as printed: never its secret, except once when it is added.
    struct Row: Encodable {
        let id: String
        let url: String
        let events: [String]
        let created_at: String
        let secret: String?

        init(_ endpoint: WebhookEndpoint, secret: WebhookSecret? = nil) {
            (id, url, events, created_at) = (endpoint.id, endpoint.url, endpoint.events, KeyCommand.date(endpoint.createdAt))
            self.secret = secret?.text
        }
    }

    static func withAdministration<R>(_ settings: SettingsOptions, _ body: (WebhookAdministration) async throws -> R) async throws -> R {
        let configuration = try settings.load()
        return try await ClientCommand.withStore(settings) { store in
            let secret = try DataDirectory(path: configuration.dataDir).serverSecret(configuration, random: SystemRandom())
            let audit = AuditTrail(store: store, clock: SystemWallClock(), random: SystemRandom(), logger: Logger(label: "logintoo"))
            return try await body(WebhookAdministration(store: store, secret: secret, clock: SystemWallClock(), random: SystemRandom(),
                                                        events: audit))
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register an endpoint and print its id and signing secret (whsec_…): give the secret to the receiver.")
        @OptionGroup var settings: SettingsOptions
        @Option(help: "Where to POST: https, or http on a loopback address.") var url: String
        @Option(help: "Event kinds, comma-separated (repeatable), or * for all.") var events: [String] = []
        @Option(help: ArgumentHelp("Sign with the secret (whsec_ and base64) in this file instead of a new one, e.g. one a receiver already has.",
                                   valueName: "path"))
        var secretFile: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let secret = try WebhookCommand.readSecret(secretFile)
            let (endpoint, signing) = try await withAdministration(settings) {
                try await $0.add(url: url, events: events, secret: secret, actor: AccountCommand.actor)
            }
            if json { return try ClientCommand.printJSON(Row(endpoint, secret: signing)) }
            print("webhook \(endpoint.id) → \(endpoint.url) for \(endpoint.events.joined(separator: ","))")
            print("secret (shown once; the receiver verifies deliveries with it): \(signing.text)")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the endpoints and the event kinds each receives.")
        @OptionGroup var settings: SettingsOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let rows = try await withAdministration(settings) { try await $0.list() }.map { Row($0) }
            if json { return try ClientCommand.printJSON(rows) }
            for row in rows { print([row.id, row.url, row.events.joined(separator: ","), row.created_at].joined(separator: "\t")) }
        }
    }

    struct RotateSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-secret",
            abstract: "Give an endpoint a new secret and print it; the old one keeps signing beside it (two signatures) for --overlap seconds.")
        @OptionGroup var settings: SettingsOptions
        @Argument(help: "The endpoint's id (wh_…).") var id: String
        @Option(help: "Seconds the old secret still signs (0 to 604800).") var overlap: Int64 = WebhookAdministration.defaultOverlap
        @Option(help: ArgumentHelp("Use the secret (whsec_ and base64) in this file instead of a new one.", valueName: "path"))
        var secretFile: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            guard (0...604_800).contains(overlap) else { throw ValidationError("--overlap must be 0 to 604800 seconds") }
            let secret = try WebhookCommand.readSecret(secretFile)
            guard let (endpoint, signing) = try await withAdministration(settings, {
                try await $0.rotateSecret(id: id, secret: secret, overlap: overlap, actor: AccountCommand.actor)
            }) else { throw ValidationError("no webhook endpoint \(id)") }
            if json { return try ClientCommand.printJSON(Row(endpoint, secret: signing)) }
            print("webhook \(endpoint.id): new secret (shown once): \(signing.text)")
            print("the old secret signs beside it until \(KeyCommand.date(endpoint.previousUntil ?? 0))")
        }
    }

    /// The secret in `path`, if given: from a file, so it is never in a command line others can read.
    static func readSecret(_ path: String?) throws -> String? {
        guard let path else { return nil }
        do {
            return try SecretFiles.read(path)
        } catch {
            throw ValidationError("--secret-file: \(error.reason)")
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an endpoint: nothing more is sent to it, including deliveries still waiting for a retry.")
        @OptionGroup var settings: SettingsOptions
        @Argument(help: "The endpoint's id (wh_…).") var id: String

        func run() async throws {
            guard try await withAdministration(settings, { try await $0.remove(id: id, actor: AccountCommand.actor) }) else {
                throw ValidationError("no webhook endpoint \(id)")
            }
            print("removed \(id)")
        }
    }
}
