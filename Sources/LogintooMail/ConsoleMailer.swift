import Foundation
import LogintooCore

/// Prints each email to standard output: the development mailer, so codes appear in the console.
public struct ConsoleMailer: Mailer {
    let write: @Sendable (String) -> Void

    /// Writes unbuffered, so each email appears at once even when standard output is a pipe.
    public init(write: @escaping @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data(($0 + "\n").utf8)) }) {
        self.write = write
    }

    public var providerName: String { "console" }

    public func send(_ message: EmailMessage, id: String) async throws {
        write("""
            ---------------- email \(id) ----------------
            To: \(message.to)
            Subject: \(message.subject)\(message.replyTo.map { "\nReply-To: \($0)" } ?? "")

            \(message.text)
            ----------------------------------------------
            """)
    }
}
