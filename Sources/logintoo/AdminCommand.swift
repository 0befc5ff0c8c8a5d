import ArgumentParser
import Foundation
import Logging
import LogintooApp
import LogintooCore
import LogintooHTTP

/// `logintoo admin grant|revoke|list`: who may sign in to the admin console (`/admin`).
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Choose who may use the admin console at /admin.",
        subcommands: [Grant.self, Revoke.self, List.self])

    static func withRoles<R>(_ settings: SettingsOptions, _ body: (AdminRoles) async throws -> R) async throws -> R {
        try await ClientCommand.withStore(settings) { store in
            let audit = AuditTrail(store: store, clock: SystemWallClock(), random: SystemRandom(), logger: Logger(label: "logintoo"))
            return try await body(AdminRoles(store: store, clock: SystemWallClock(), random: SystemRandom(), events: audit))
        }
    }

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let an address sign in to the admin console (its account is made if it has none yet).")
        @OptionGroup var settings: SettingsOptions
        @Argument(help: "The person's email address.") var email: String

        func run() async throws {
            let granted = try await AdminCommand.withRoles(settings) { try await $0.grant(email: email, actor: AccountCommand.actor) }
            print(granted ? "\(email) may now use the admin console" : "\(email) could use the admin console already")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "End an address's admin role: the console refuses its next request.")
        @OptionGroup var settings: SettingsOptions
        @Argument(help: "The person's email address.") var email: String

        func run() async throws {
            guard try await AdminCommand.withRoles(settings, { try await $0.revoke(email: email, actor: AccountCommand.actor) }) else {
                throw NotFound("\(email) is not an admin")
            }
            print("\(email) may no longer use the admin console")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the addresses that may use the admin console.")
        @OptionGroup var settings: SettingsOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let admins = try await AdminCommand.withRoles(settings) { try await $0.list() }
            if json { return try ClientCommand.printJSON(admins.map { ["id": $0.id, "email": $0.email] }) }
            for admin in admins { print("\(admin.id)\t\(admin.email)") }
        }
    }
}
