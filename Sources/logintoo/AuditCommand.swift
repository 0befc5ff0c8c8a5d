import ArgumentParser
import Foundation
import LogintooCore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "List security events: codes sent and failed, throttles, sign-ins, token reuse, revocations, key rotations.",
        discussion: "Events are kept 400 days. They never contain a code or a token."
    )
    @OptionGroup var settings: SettingsOptions
    @Option(help: "How many of the newest events (1 to 10000).") var limit = 100
    @Option(help: "Only events of this kind, such as code_failed or refresh_reused.") var kind: String?
    @Option(help: "Only events about this email address.") var email: String?
    @Flag(help: "Print JSON.") var json = false

    struct Row: Encodable {
        let at: String
        let kind: String
        let email: String?
        let client_id: String?
        let subject: String?
        let ip: String?
        let detail: String?
    }

    func run() async throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1 to 10000") }
        let address = try email.map { text in
            guard let address = EmailAddress(text)?.value else { throw ValidationError("--email: not an email address: \(text)") }
            return address
        }
        let records = try await ClientCommand.withStore(settings) {
            try await $0.auditRecords(limit: limit, kind: kind, email: address)
        }
        let rows = records.map {
            Row(at: KeyCommand.date($0.at), kind: $0.kind, email: $0.email, client_id: $0.clientId, subject: $0.subject, ip: $0.ip,
                detail: $0.detail)
        }
        if json { return try ClientCommand.printJSON(rows) }
        for row in rows {
            print([row.at, row.kind, row.email ?? "-", row.client_id ?? "-", row.subject ?? "-", row.ip ?? "-", row.detail ?? ""]
                .joined(separator: "\t"))
        }
    }
}
