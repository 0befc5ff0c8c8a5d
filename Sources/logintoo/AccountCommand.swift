import ArgumentParser
import Foundation
import Logging
import LogintooCore
import LogintooHTTP

struct AccountCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "account",
        abstract: "Look after people's accounts.",
        subcommands: [List.self, Show.self, Disable.self, Enable.self, Erase.self, Passkeys.self]
    )

    struct Passkeys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List an account's passkeys, or remove one (--remove ID) or all of them (--remove-all).",
            discussion: "A removed passkey stops signing in at once; the person can still sign in with an emailed code. "
                + "Removals are written to the audit trail (passkey_removed).")
        @OptionGroup var settings: SettingsOptions
        @Argument(help: "The account's email address.") var email: String
        // Unconditional: a credential id may begin with "-", which would otherwise read as an option.
        @Option(parsing: .unconditional, help: "Remove the passkey with this credential id.") var remove: String?
        @Flag(help: "Remove every passkey of the account.") var removeAll = false
        @Flag(help: "Print JSON.") var json = false

        struct Row: Encodable {
            let credential_id: String
            let name: String
            let created: String
            let last_used: String?
            let backed_up: Bool
        }

        func run() async throws {
            if remove != nil, removeAll { throw ValidationError("use --remove ID or --remove-all, not both") }
            guard EmailAddress(email) != nil else { throw ValidationError("not an email address: \(email)") }
            let (account, passkeys) = try await ClientCommand.withStore(settings) { store in
                let administration = PasskeyAdministration(store: store, events: AuditTrail(
                    store: store, clock: SystemWallClock(), random: SystemRandom(), logger: Logger(label: "logintoo")))
                guard let (account, listed) = try await administration.passkeys(email: email) else {
                    throw NotFound("no account for \(email)")
                }
                guard remove != nil || removeAll else { return (account, listed) }
                return (account, try await administration.remove(email: email, credentialId: remove))
            }
            if let remove, passkeys.isEmpty { throw NotFound("\(account.email) has no passkey \(remove)") }
            let rows = passkeys.map {
                Row(credential_id: $0.credentialId, name: $0.name, created: KeyCommand.date($0.createdAt),
                    last_used: $0.lastUsedAt.map(KeyCommand.date), backed_up: $0.backedUp)
            }
            if json { return try ClientCommand.printJSON(rows) }
            if remove != nil || removeAll { print("removed \(rows.count) passkey(s) of \(account.email)") }
            for row in rows {
                print([row.credential_id, row.name, row.created, row.last_used ?? "never used", row.backed_up ? "synced" : "device-bound"]
                    .joined(separator: "\t"))
            }
        }
    }
}
