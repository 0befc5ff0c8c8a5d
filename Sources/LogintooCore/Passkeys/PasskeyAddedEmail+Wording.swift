import Foundation

extension PasskeyAddedEmail {
    /// The notice's sentences in its language; a composer lays them out (plain text, HTML).
    public struct Wording: Sendable, Equatable {
        public let subject: String
        /// Which passkey was added to which account.
        public let intro: String
        /// When, and from which browser when it is known.
        public let context: String
        /// Nothing to do when it was the person.
        public let advice: String
        /// "This wasn't me", with the link.
        public let notMe: String
        /// "This wasn't me" before its link, for a layout that shows the link apart.
        public let notMeText: String
    }

    /// The sentences from the locale files (`email.passkey.*`).
    public func wording(_ translations: Translations = .shared) -> Wording {
        let words = Words(language, translations: translations)
        let date = ReadableTime.utcMinute(addedAt)
        return Wording(
            subject: words["email.passkey.subject"],
            intro: words["email.passkey.intro", ["name": passkeyName, "email": to]],
            context: browser.map { words["email.passkey.context", ["date": date, "browser": $0]] }
                ?? words["email.passkey.context.unknown-browser", ["date": date]],
            advice: words["email.passkey.advice"],
            notMe: words["email.passkey.notme", ["link": notMeURL]],
            notMeText: words["email.passkey.notme", ["link": ""]].trimmingCharacters(in: .whitespaces))
    }
}
