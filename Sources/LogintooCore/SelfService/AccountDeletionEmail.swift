/// The email that carries the code confirming "delete my account", sent to the account's address: the code, how long it
/// works, that deleting cannot be undone, and what to do when the person did not ask. Plain text in the person's
/// language (`email.deletion.*`); it carries no link that deletes anything.
public struct AccountDeletionEmail: Sendable, Equatable {
    public var to: String
    public var code: String
    public var lifetimeMinutes: Int
    /// One of `Translations.languages`.
    public var language: String
    /// Where the account page is, to sign out everywhere when the person did not ask.
    public var accountURL: String

    public init(to: String, code: String, lifetimeMinutes: Int, language: String, accountURL: String) {
        (self.to, self.code, self.lifetimeMinutes, self.language, self.accountURL) = (to, code, lifetimeMinutes, language, accountURL)
    }

    /// The message, with the code on a line of its own in two groups for reading (`1234 5678`).
    public func message(_ translations: Translations = .shared) -> EmailMessage {
        let words = Words(language, translations: translations)
        let split = code.index(code.startIndex, offsetBy: (code.count + 1) / 2)
        let grouped = String(code[..<split]) + " " + code[split...]
        let text = [
            words["email.deletion.intro", ["email": to]], grouped,
            words["email.deletion.lifetime", ["minutes": String(lifetimeMinutes)]],
            words["email.deletion.notme", ["link": accountURL]],
        ].joined(separator: "\n\n")
        return EmailMessage(to: to, subject: words["email.deletion.subject"], text: text + "\n")
    }
}
