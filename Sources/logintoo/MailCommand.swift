import ArgumentParser
import Foundation
import LogintooCore

struct MailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail", abstract: "Sign-in emails: where each one is.", subcommands: [Status.self]
    )

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the newest emails: queued, failed (to be retried), sent (and by which provider) or abandoned.",
            discussion: "Contents are never shown: they are sealed until sent, and erased then."
        )
        @OptionGroup var settings: SettingsOptions
        @Option(help: "How many of the newest emails (1 to 10000).") var limit = 50
        @Flag(help: "Print JSON.") var json = false

        struct Row: Encodable {
            let id: String
            let recipient: String
            let created_at: String
            let state: String
            let attempts: Int
            let provider: String?
            let last_error: String?
        }

        func run() async throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1 to 10000") }
            let messages = try await ClientCommand.withStore(settings) { try await $0.recentMessages(limit: limit) }
            let rows = messages.map {
                Row(id: $0.id, recipient: $0.recipient, created_at: KeyCommand.date($0.createdAt), state: $0.state,
                    attempts: $0.attempts, provider: $0.provider, last_error: $0.lastError)
            }
            if json { return try ClientCommand.printJSON(rows) }
            for row in rows {
                print([row.created_at, row.state, row.recipient, "attempts=\(row.attempts)", row.provider ?? "-", row.last_error ?? ""]
                    .joined(separator: "\t"))
            }
        }
    }
}
