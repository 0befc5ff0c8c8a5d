import LogintooCore

/// Prints each email to standard output: the development mailer, so codes appear in the console.
public struct ConsoleMailer: Mailer {
    let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void = { print($0) }) { self.write = write }

    public func send(_ message: EmailMessage, id: String) async throws {
        write("""
            ---------------- email \(id) ----------------
            To: \(message.to)
            Subject: \(message.subject)

            \(message.text)
            ----------------------------------------------
            """)
    }
}
