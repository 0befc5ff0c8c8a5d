import ArgumentParser
import Foundation
import LogintooCore
import LogintooStore

extension ClientCommand {
    struct SetSettings: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Change a client's settings, by their Logintoo names.",
            discussion: """
                Settings: \(LogintooClientSettings.names.joined(separator: ", ")).
                redirectURIs takes a comma-separated list; extendRefreshToken takes true or false.
                Example: logintoo client set CLIENT_ID otpAttempts=5 tokenAud=https://api.example.com
                """
        )
        @OptionGroup var settings: SettingsOptions
        @Argument(help: "The client_id.") var id: String
        @Argument(help: "NAME=VALUE pairs.") var assignments: [String] = []
        @Flag(inversion: .prefixedNo, help: "Whether its authorization requests must be pushed to /par first (RFC 9126).")
        var requirePar: Bool?
        @Flag(inversion: .prefixedNo, help: """
            Whether its access tokens must be DPoP-bound (RFC 9449); --no-dpop-required exempts it from \
            LOGINTOO_DPOP_REQUIRED.
            """)
        var dpopRequired: Bool?
        @Option(help: "Where it takes logout tokens when a session ends (OpenID Connect Back-Channel Logout); '' removes it.")
        var backchannelLogoutUri: String?
        @Flag(inversion: .prefixedNo, help: "Whether its logout tokens must carry sid (backchannel_logout_session_required).")
        var backchannelLogoutSessionRequired: Bool?

        func run() async throws {
            let changes = try assignments.map(Self.parse)
            let client = try await ClientCommand.withStore(settings) { store in
                guard var client = try await store.client(id: id) else { throw NotFound("no client with id \(id)") }
                for (name, value) in changes {
                    switch LogintooClientSettings.apply(name, value, to: &client) {
                    case .applied: continue
                    case .defaulted(let reason): throw ValidationError(reason)
                    case .unknownName:
                        throw ValidationError("unknown setting \(name); known: \(LogintooClientSettings.names.joined(separator: ", "))")
                    }
                }
                if let requirePar { client.settings.requirePushedAuthorizationRequests = requirePar ? true : nil }
                if let dpopRequired { client.settings.dpopBoundAccessTokens = dpopRequired }
                if let backchannelLogoutUri {
                    client.settings.backchannelLogoutURI = backchannelLogoutUri.isEmpty ? nil : backchannelLogoutUri
                }
                if let backchannelLogoutSessionRequired {
                    client.settings.backchannelLogoutSessionRequired = backchannelLogoutSessionRequired ? true : nil
                }
                do { try client.settings.validate() } catch let error as ClientRegistrationError { throw ValidationError(error.description) }
                try await store.saveClient(client)
                return client
            }
            try ClientCommand.printJSON(Summary(client))
        }

        static func parse(_ assignment: String) throws -> (String, LogintooClientSettings.Value) {
            guard let equals = assignment.firstIndex(of: "=") else { throw ValidationError("expected NAME=VALUE, got \(assignment)") }
            let name = String(assignment[..<equals])
            let text = String(assignment[assignment.index(after: equals)...])
            if name == "redirectURIs" {
                return (name, .array(text.split(separator: ",").map { .string($0.trimmingCharacters(in: .whitespaces)) }))
            }
            return (name, .string(text))
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register clients from the original Logintoo's storage export, keeping their ids.",
            discussion: """
                FILE is a JSON array of client records, or DynamoDB items ({"S": ...}, {"N": ...}, {"L": ...}, {"BOOL": ...}),
                bare or as {"Items": [...]} from a table scan. A client with the same id is replaced. Unusable values fall
                back to Logintoo's defaults, with a warning.
                """
        )
        @OptionGroup var settings: SettingsOptions
        @Argument(help: "The export file.") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            let records: [LogintooClientImport.Record]
            do {
                records = try LogintooClientImport.read(data, now: SystemWallClock().now())
            } catch {
                throw ValidationError("\(file): \(error.description); nothing was imported")
            }
            try await ClientCommand.withStore(settings) { store in
                for record in records { try await store.saveClient(record.client) }
            }
            for record in records {
                print("imported \(record.client.id)\t\(record.client.name)")
                for warning in record.warnings { print("  warning: \(warning)") }
            }
        }
    }
}
