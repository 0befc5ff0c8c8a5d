/// An email ready to send: plain text, and optionally HTML.
public struct EmailMessage: Sendable, Codable, Equatable {
    public var to: String
    public var subject: String
    public var text: String
    public var html: String?
    public var replyTo: String?

    public init(to: String, subject: String, text: String, html: String? = nil, replyTo: String? = nil) {
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.replyTo = replyTo
    }
}

/// Delivers email: the console in development, SMTP or an HTTP provider in production.
public protocol Mailer: Sendable {
    func send(_ message: EmailMessage, id: String) async throws
}

/// Writes the email that carries a one-time code.
public protocol SignInEmailComposer: Sendable {
    func compose(to email: String, code: String, client: Client, lifetimeMinutes: Int, locale: String?) -> EmailMessage
}

/// The plain English email: the code on a line of its own, who asked, and what to do if it was not you.
public struct PlainSignInEmailComposer: SignInEmailComposer {
    let serverName: String

    public init(serverName: String) { self.serverName = serverName }

    public func compose(to email: String, code: String, client: Client, lifetimeMinutes: Int, locale: String?) -> EmailMessage {
        let clientName = client.name
        let text = """
            Your sign-in code for \(clientName):

            \(code)

            Enter it on the sign-in page within \(lifetimeMinutes) minutes. It works once.

            \(clientName) asked to sign in as \(email) through \(serverName).
            If that was not you, ignore this email: nobody can sign in without this code.

            """
        return EmailMessage(to: email, subject: client.settings.emailSubject ?? "Your sign-in code for \(clientName)", text: text,
                            replyTo: client.settings.replyTo)
    }
}
