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

/// What the email that tells an account's address a passkey was added to it is to say: the passkey's name, when and from
/// which browser, and the "this wasn't me" link. It never carries a code, a sign-in token or the passkey's key.
public struct PasskeyAddedEmail: Sendable, Equatable {
    public var to: String
    public var passkeyName: String
    /// One of `Translations.languages`.
    public var language: String
    /// Unix seconds.
    public var addedAt: Int64
    /// A coarse description of the browser that added it (`BrowserDescription`), if known.
    public var browser: String?
    /// "This wasn't me": after a confirmation, removes the passkey and ends the account's sessions.
    public var notMeURL: String

    public init(to: String, passkeyName: String, language: String, addedAt: Int64, browser: String?, notMeURL: String) {
        (self.to, self.passkeyName, self.language, self.addedAt, self.browser, self.notMeURL) =
            (to, passkeyName, language, addedAt, browser, notMeURL)
    }
}

/// Writes the email that carries a one-time code, and the notice that a passkey was added to an account.
public protocol SignInEmailComposer: Sendable {
    func compose(_ email: SignInEmail) -> EmailMessage
    func compose(_ email: PasskeyAddedEmail) -> EmailMessage
}

extension SignInEmailComposer {
    /// The notice as plain text in its language, for a composer that lays out only the sign-in email.
    public func compose(_ email: PasskeyAddedEmail) -> EmailMessage {
        let wording = email.wording()
        return EmailMessage(to: email.to, subject: wording.subject,
                            text: [wording.intro, wording.context, wording.advice, wording.notMe].joined(separator: "\n\n") + "\n")
    }
}
