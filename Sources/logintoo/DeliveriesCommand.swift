import ArgumentParser
import Foundation
import LogintooCore

struct DeliveriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deliveries", abstract: "Notices POSTed to clients (back-channel logout) and webhook endpoints: where each one is.",
        subcommands: [List.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the newest deliveries: pending (with the next attempt), delivered or abandoned, with the last error.",
            discussion: "Their content is not shown: each attempt signs a fresh token from it."
        )
        @OptionGroup var settings: SettingsOptions
        @Option(help: "How many of the newest deliveries (1 to 10000).") var limit = 50
        @Flag(help: "Print JSON.") var json = false

        struct Row: Encodable {
            let id: String
            let kind: String
            let target: String
            let created_at: String
            let state: String
            let attempts: Int
            let next_attempt_at: String?
            let last_error: String?
        }

        func run() async throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1 to 10000") }
            let deliveries = try await ClientCommand.withStore(settings) { try await $0.recentDeliveries(limit: limit) }
            let rows = deliveries.map {
                Row(id: $0.id, kind: $0.kind, target: $0.target, created_at: KeyCommand.date($0.createdAt), state: $0.state,
                    attempts: $0.attempts, next_attempt_at: $0.state == "pending" ? KeyCommand.date($0.nextAttemptAt) : nil,
                    last_error: $0.lastError)
            }
            if json { return try ClientCommand.printJSON(rows) }
            for row in rows {
                print([row.created_at, row.state, row.kind, row.target, "attempts=\(row.attempts)", row.next_attempt_at ?? "-",
                       row.last_error ?? ""].joined(separator: "\t"))
            }
        }
    }
}
