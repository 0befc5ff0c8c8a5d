import ArgumentParser
import Foundation
import Logging
import LogintooApp
import LogintooCore
import LogintooHTTP

@main
struct Logintoo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A passwordless OAuth 2.1 / OpenID Connect server that signs people in with emailed one-time codes.",
        version: LogintooVersion.current,
        subcommands: [Serve.self, Migrate.self, ClientCommand.self, AccountCommand.self, SessionCommand.self, AdminCommand.self, HealthCommand.self, KeyCommand.self, AuditCommand.self, MailCommand.self, DeliveriesCommand.self, WebhookCommand.self,
                      ConfigReference.self, TemplatesCommand.self]
    )

    /// Runs the command on Swift's concurrent executor while the main thread waits for it. With an asynchronous `main`
    /// the main thread would serve dispatch's main queue, which calls `pthread_exit` on it, and unwinding its stack
    /// reads the binary's unwind tables (docs/performance.md). Nothing drains the main queue or runs the main actor
    /// now, so no code of the server may use either.
    static func main() {
        let finished = DispatchSemaphore(value: 0)
        Task.detached {
            await main(nil)
            finished.signal()
        }
        finished.wait()
    }
}

/// The settings flags every command takes, declared in LogintooApp next to the setting table they must match; named
/// here so that every command's file finds it without importing LogintooApp.
typealias SettingsOptions = LogintooApp.SettingsOptions

func makeLogger(_ label: String, json: Bool = false) -> Logger {
    LoggingSystem.bootstrap({ label, provider in
        json ? JSONLogHandler(label: label, metadataProvider: provider) as any LogHandler
            : StreamLogHandler.standardError(label: label, metadataProvider: provider)
    }, metadataProvider: RequestID.metadataProvider)
    var logger = Logger(label: label)
    logger.logLevel = ProcessInfo.processInfo.environment["LOGINTOO_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
    return logger
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (embedded SQLite, console mail and demo by default).")
    @OptionGroup var settings: SettingsOptions

    func run() async throws {
        let configuration = try settings.load()
        do { try configuration.checkServable() } catch { throw ValidationError("configuration: \(error.description)") }
        let logger = makeLogger("logintoo", json: configuration.jsonLogs)
        if let warning = configuration.databaseTLSWarning { logger.warning("\(warning)") }
        for unknown in Configuration.environmentWarnings(ProcessInfo.processInfo.environment) { logger.warning("\(unknown)") }
        MemoryAllocator.keepFreedMemory()
        let parts = try await LogintooServer.assemble(configuration: configuration, logger: logger)
        let app = try LogintooServer.application(parts: parts, configuration: configuration, logger: logger) { port in
            var lines = ["", "Logintoo is running: \(configuration.issuer) (listening on \(configuration.listenHost):\(port))"]
            if configuration.demo { lines.append("Try the demo: \(configuration.issuer)/demo") }
            lines.append(configuration.mail == nil || configuration.mail == .console
                ? "No mail provider is configured: sign-in emails, with their codes, are printed in this console."
                : "Sign-in emails go to \(parts.mailer.providerName).")
            lines.append("Data: \(configuration.dataDir)")
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n\n").utf8))
        }
        try await LogintooServer.run(app, configuration: configuration, readiness: parts.context.readiness, logger: logger)
        try await parts.engine.close()
    }
}

struct ConfigReference: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config-reference", abstract: "Print the configuration reference (docs/configuration.md) as Markdown.")

    func run() throws {
        print(Configuration.referenceMarkdown(), terminator: "")
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create or update the database schema, then exit.")
    @OptionGroup var settings: SettingsOptions

    func run() async throws {
        let configuration = try settings.load()
        let (_, engine) = try await DataDirectory.openStore(configuration, logger: makeLogger("logintoo"), now: SystemWallClock().now())
        try await engine.close()
        switch configuration.database {
        case .sqlite(let path): print("database at \(path) is up to date")
        case .postgres(let settings): print("database \(settings.database ?? settings.username) on \(settings.host) is up to date")
        }
    }
}
