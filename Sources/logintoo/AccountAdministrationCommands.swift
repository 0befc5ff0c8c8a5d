import ArgumentParser
import Foundation
import Logging
import LogintooApp
import LogintooCore
import LogintooHTTP
import LogintooStore

/// `logintoo account list|show|disable|enable|erase` and `logintoo session revoke`: the admin API's account operations
/// on the server's machine, written to the audit trail as done by `cli`.
extension AccountCommand {
    /// Runs `body` with the account administration over the configured store.
    static func administering<R>(_ settings: SettingsOptions, _ body: (AccountAdministration) async throws -> R) async throws -> R {
        let configuration = try settings.load()
        return try await ClientCommand.withStore(settings) { store in
            let secret = try DataDirectory(path: configuration.dataDir).serverSecret(configuration, random: SystemRandom())
            let audit = AuditTrail(store: store, clock: SystemWallClock(), random: SystemRandom(), logger: Logger(label: "logintoo"))
            return try await body(AccountAdministration(store: store, clock: SystemWallClock(), secret: secret, events: audit))
        }
    }

    /// The account an argument names: its id, or its address.
    static func account(_ named: String, in administration: AccountAdministration) async throws -> AccountAdministration.Details {
        if let details = try await administration.details(id: named) { return details }
        guard let account = try await administration.account(email: named),
              let details = try await administration.details(id: account.id)
        else { throw NotFound("no account for \(named)") }
        return details
    }

    static let actor = "cli"

    struct Row: Encodable {
        let id: String
        let email: String
        let disabled: Bool
        let created: String
        let last_sign_in: String?

        init(_ summary: AccountSummary) {
            (id, email, disabled) = (summary.account.id, summary.account.email, summary.account.disabledAt != nil)
            (created, last_sign_in) = (KeyCommand.date(summary.account.createdAt), summary.lastSignInAt.map(KeyCommand.date))
        }

        var line: String {
            [id, email, disabled ? "disabled" : "active", created, last_sign_in ?? "no live session"].joined(separator: "\t")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts by address, optionally those beginning with a prefix.")
        @OptionGroup var settings: SettingsOptions
        @Option(help: "Only addresses beginning with this.") var prefix = ""
        @Option(help: "At most this many (1 to 100).") var limit = AccountAdministration.searchLimit
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            guard (1...AccountAdministration.searchLimit).contains(limit) else { throw ValidationError("--limit must be 1 to 100") }
            let rows = try await administering(settings) { try await $0.search(prefix: prefix, limit: limit) }.map(Row.init)
            if json { return try ClientCommand.printJSON(rows) }
            for row in rows { print(row.line) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show an account: its live sessions, grants, passkeys and newest audit records.")
        @OptionGroup var settings: SettingsOptions
        @Argument(help: "The account's email address or id (an id that begins with \"-\" after `--`).") var account: String
        @Flag(help: "Print JSON.") var json = false

        struct Shown: Encodable {
            let account: Row
            let sessions: [[String: String]]
            let grants: [[String: String]]
            let passkeys: [String]
            let recent_events: [String]
        }

        func run() async throws {
            let details = try await administering(settings) { try await AccountCommand.account(account, in: $0) }
            let shown = Shown(
                account: Row(details.summary),
                sessions: details.sessions.map { ["id": $0.idHash, "signed_in": KeyCommand.date($0.authTime),
                                                  "last_seen": KeyCommand.date($0.lastSeenAt), "amr": $0.amr ?? "otp"] },
                grants: details.grants.map { ["id": $0.id, "client_id": $0.clientId, "scope": $0.scope,
                                              "created": KeyCommand.date($0.createdAt)] },
                passkeys: details.passkeys.map(\.name),
                recent_events: details.recentEvents.map { "\(KeyCommand.date($0.at)) \($0.kind) \($0.detail ?? "")" })
            if json { return try ClientCommand.printJSON(shown) }
            print(shown.account.line)
            for session in shown.sessions { print("session\t\(session["id"]!)\tsigned in \(session["signed_in"]!)\tseen \(session["last_seen"]!)") }
            for grant in shown.grants { print("grant\t\(grant["id"]!)\t\(grant["client_id"]!)\t\(grant["scope"]!)") }
            for passkey in shown.passkeys { print("passkey\t\(passkey)") }
            for event in shown.recent_events { print("event\t\(event)") }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Disable an account: its sessions, refresh tokens and unexchanged codes stop working at once.")
        @OptionGroup var settings: SettingsOptions
        @Argument(help: "The account's email address or id (an id that begins with \"-\" after `--`).") var account: String

        func run() async throws {
            let (email, lockout) = try await administering(settings) { administration in
                let details = try await AccountCommand.account(account, in: administration)
                let lockout = try await administration.disable(id: details.summary.account.id, actor: AccountCommand.actor)
                return (details.summary.account.email, lockout)
            }
            guard let lockout else { throw NotFound("no account for \(account)") }
            print("disabled \(email): \(lockout.sessionsEnded) session(s) ended, \(lockout.grantsRevoked) grant(s) revoked")
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account; it signs in again with an emailed code.")
        @OptionGroup var settings: SettingsOptions
        @Argument(help: "The account's email address or id (an id that begins with \"-\" after `--`).") var account: String

        func run() async throws {
            let email = try await administering(settings) { administration in
                let details = try await AccountCommand.account(account, in: administration)
                guard try await administration.enable(id: details.summary.account.id, actor: AccountCommand.actor) else {
                    throw NotFound("no account for \(account)")
                }
                return details.summary.account.email
            }
            print("enabled \(email)")
        }
    }

    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase an account: its personal data is deleted and everything it holds ended; audit records keep a pseudonym.")
        @OptionGroup var settings: SettingsOptions
        @Argument(help: "The account's email address or id (an id that begins with \"-\" after `--`).") var account: String
        @Flag(help: "Erase without asking (nothing can bring the account back).") var yes = false

        func run() async throws {
            guard yes else { throw ValidationError("erasing cannot be undone: add --yes to erase \(account)") }
            let pseudonym = try await administering(settings) { administration in
                let details = try await AccountCommand.account(account, in: administration)
                guard let pseudonym = try await administration.erase(id: details.summary.account.id, actor: AccountCommand.actor) else {
                    throw NotFound("no account for \(account)")
                }
                return pseudonym
            }
            print("erased \(account); its audit records now name \(pseudonym)")
        }
    }
}

/// `logintoo session revoke`: ends a person's sessions from the server's machine.
struct SessionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "session", abstract: "End people's sessions.",
                                                    subcommands: [Revoke.self])

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "End one session of an account (--session ID, from `account show`) or all of them, and what was granted within them.")
        @OptionGroup var settings: SettingsOptions
        @Argument(help: "The account's email address or id (an id that begins with \"-\" after `--`).") var account: String
        // Unconditional: an id may begin with "-", which would otherwise read as an option.
        @Option(parsing: .unconditional, help: "The session's id, as `account show` lists it.") var session: String?
        @Flag(help: "End every session of the account.") var all = false

        func run() async throws {
            guard (session != nil) != all else { throw ValidationError("name one session with --session ID, or give --all") }
            let (email, lockout) = try await AccountCommand.administering(settings) { administration in
                let details = try await AccountCommand.account(account, in: administration)
                let lockout = try await administration.endSessions(accountId: details.summary.account.id, sessionHash: session,
                                                                   actor: AccountCommand.actor)
                return (details.summary.account.email, lockout)
            }
            guard let lockout, session == nil || lockout.sessionsEnded > 0 else {
                throw NotFound("\(email) has no live session \(session ?? "")")
            }
            print("ended \(lockout.sessionsEnded) session(s) of \(email); \(lockout.grantsRevoked) grant(s) revoked")
        }
    }
}
