import ArgumentParser
import Foundation
import Logging
import LogintooApp
import LogintooCore
import LogintooStore

struct ClientCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "client", abstract: "Register and manage OAuth clients (works while the server runs).",
        subcommands: [Add.self, List.self, Show.self, SetSettings.self, Import.self, Remove.self]
    )

    /// Opens the store the server uses, runs `body`, and closes it.
    static func withStore<R>(_ settings: SettingsOptions, _ body: (SQLStore) async throws -> R) async throws -> R {
        let configuration = try settings.load()
        var logger = Logger(label: "logintoo")
        logger.logLevel = .warning
        let (store, engine) = try await DataDirectory.openStore(configuration, logger: logger, now: SystemWallClock().now())
        do {
            let result = try await body(store)
            try await engine.close()
            return result
        } catch {
            try? await engine.close()
            throw error
        }
    }

    struct Summary: Encodable {
        let client_id: String
        let client_secret: String?
        let name: String
        let type: String
        let redirect_uris: [String]
        let post_logout_redirect_uris: [String]
        let settings: ClientSettings

        init(_ client: Client, secret: String? = nil) {
            client_id = client.id
            client_secret = secret
            name = client.name
            type = client.isConfidential ? "confidential" : "public"
            redirect_uris = client.redirectURIs
            post_logout_redirect_uris = client.postLogoutRedirectURIs
            settings = client.settings
        }
    }

    static func printJSON(_ value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register a client and print its client_id (and secret, once).")
        @OptionGroup var settings: SettingsOptions
        @Option(help: "Name shown on the login page and in emails.") var name: String
        @Option(name: .customLong("redirect-uri"), help: "A redirect URI (repeatable).") var redirectURIs: [String] = []
        @Option(name: .customLong("post-logout-redirect-uri"), help: "A post-logout redirect URI (repeatable).")
        var postLogoutRedirectURIs: [String] = []
        @Flag(help: "A server-side client with a secret (default: public, PKCE).") var confidential = false
        @Flag(help: "May get admin API tokens by client_credentials with the scope admin (needs --confidential).")
        var admin = false
        @Option(help: "Access-token lifetime in seconds.") var accessTokenLifetime: Int64?
        @Option(help: "Refresh-token idle lifetime in seconds.") var refreshIdleLifetime: Int64?
        @Option(help: "Refresh-token absolute lifetime in seconds.") var refreshAbsoluteLifetime: Int64?
        @Option(help: "Digits in one-time codes (6 to 10).") var codeDigits: Int?
        @Option(help: "One-time code lifetime in seconds (300 to 1800).") var codeLifetime: Int64?
        @Option(name: .customLong("resource"), help: "An API (RFC 8707 resource URI) the client may get tokens for (repeatable).")
        var resources: [String] = []
        @Flag(help: "Its authorization requests must be pushed to /par first (RFC 9126).") var requirePar = false
        @Flag(help: "Its access tokens must be DPoP-bound: token requests without a DPoP proof are refused (RFC 9449).")
        var dpopRequired = false
        @Option(help: "Where it takes logout tokens when a session ends (OpenID Connect Back-Channel Logout; https).")
        var backchannelLogoutUri: String?
        @Flag(help: "Its logout tokens must carry sid (backchannel_logout_session_required).")
        var backchannelLogoutSessionRequired = false
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            var settingsValues = ClientSettings(
                accessTokenLifetime: accessTokenLifetime, refreshIdleLifetime: refreshIdleLifetime,
                refreshAbsoluteLifetime: refreshAbsoluteLifetime, codeDigits: codeDigits, codeLifetime: codeLifetime,
                resources: resources.isEmpty ? nil : resources, admin: admin ? true : nil,
                requirePushedAuthorizationRequests: requirePar ? true : nil)
            settingsValues.dpopBoundAccessTokens = dpopRequired ? true : nil
            settingsValues.backchannelLogoutURI = backchannelLogoutUri
            settingsValues.backchannelLogoutSessionRequired = backchannelLogoutSessionRequired ? true : nil
            let registration = try await ClientCommand.withStore(settings) { store in
                do {
                    return try await ClientRegistry(store: store, clock: SystemWallClock(), random: SystemRandom()).register(
                        name: name, redirectURIs: redirectURIs, postLogoutRedirectURIs: postLogoutRedirectURIs,
                        confidential: confidential, settings: settingsValues)
                } catch let error as ClientRegistrationError {
                    throw ValidationError(error.description)
                }
            }
            if json {
                try printJSON(["client_id": registration.client.id, "client_secret": registration.secret])
            } else {
                print("client_id: \(registration.client.id)")
                if let secret = registration.secret {
                    print("client_secret: \(secret)")
                    print("(the secret is shown only now; store it safely)")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered clients.")
        @OptionGroup var settings: SettingsOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let clients = try await ClientCommand.withStore(settings) { try await $0.clients() }
            if json { return try printJSON(clients.map { Summary($0) }) }
            for client in clients {
                let type = client.isAdmin ? "confidential admin" : client.isConfidential ? "confidential" : "public"
                print("\(client.id)\t\(type)\t\(client.name)")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one client.")
        @OptionGroup var settings: SettingsOptions
        @Argument(help: "The client_id.") var id: String

        func run() async throws {
            guard let client = try await ClientCommand.withStore(settings, { try await $0.client(id: id) }) else {
                throw NotFound("no client with id \(id)")
            }
            try printJSON(Summary(client))
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a client and revoke its tokens.")
        @OptionGroup var settings: SettingsOptions
        @Argument(help: "The client_id.") var id: String

        func run() async throws {
            guard try await ClientCommand.withStore(settings, { try await $0.removeClient(id: id) }) else {
                throw NotFound("no client with id \(id)")
            }
            print("removed \(id)")
        }
    }
}
