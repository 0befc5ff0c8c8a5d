/// An email ready to send: plain text, and optionally HTML.
public struct EmailMessage: Sendable, Codable, Equatable {
    public var to: String
    public var subject: String
    public var text: String
    public var html: String?
    public var replyTo: String?
    /// The display name of the sender, before the configured address.
    public var fromName: String?

    public init(to: String, subject: String, text: String, html: String? = nil, replyTo: String? = nil, fromName: String? = nil) {
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.replyTo = replyTo
        self.fromName = fromName
    }
}

/// Delivers email: the console in development, SMTP or an HTTP provider in production.
public protocol Mailer: Sendable {
    func send(_ message: EmailMessage, id: String) async throws
    /// Sends, and names the provider that took the message (a failover mailer may use its fallback).
    func deliver(_ message: EmailMessage, id: String) async throws -> String
    /// The provider's name in `logintoo mail status`.
    var providerName: String { get }
}

extension Mailer {
    public var providerName: String { "\(Self.self)" }

    public func deliver(_ message: EmailMessage, id: String) async throws -> String {
        try await send(message, id: id)
        return providerName
    }
}

/// What the email that carries a one-time code is to say.
public struct SignInEmail: Sendable, Equatable {
    public var to: String
    public var code: String
    public var client: Client
    public var lifetimeMinutes: Int
    /// One of `Translations.languages`.
    public var language: String
    /// Unix seconds.
    public var requestedAt: Int64
    /// A coarse description of the browser that asked (`BrowserDescription`), if known.
    public var browser: String?
    /// "This wasn't me": cancels the sign-in and pauses codes to the address.
    public var cancelURL: String?
    /// The magic link: signs in like the code, after a confirmation.
    public var linkURL: String?

    public init(to: String, code: String, client: Client, lifetimeMinutes: Int, language: String, requestedAt: Int64,
                browser: String?, cancelURL: String? = nil, linkURL: String? = nil) {
        (self.to, self.code, self.client, self.lifetimeMinutes, self.language, self.requestedAt, self.browser) =
            (to, code, client, lifetimeMinutes, language, requestedAt, browser)
        (self.cancelURL, self.linkURL) = (cancelURL, linkURL)
    }

    /// The code in groups for reading: `1234 5678`, `123 456`.
    public var groupedCode: String {
        let split = code.index(code.startIndex, offsetBy: (code.count + 1) / 2)
        return code[..<split] + " " + code[split...]
    }
}

/// Writes the email that carries a one-time code.
public protocol SignInEmailComposer: Sendable {
    func compose(_ email: SignInEmail) -> EmailMessage
}
