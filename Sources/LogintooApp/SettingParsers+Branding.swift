import Foundation
import LogintooCore

/// The parse rules of the server-wide branding: the rules a client's own branding follows (`ClientSettings`).
extension SettingParsers {
    /// A product name for titles and emails: one line, at most 64 characters.
    static func productName(_ text: String) throws(SettingRejection) -> String {
        guard (1...64).contains(text.count), !text.contains(where: \.isNewline) else {
            throw SettingRejection("expected a name of 1 to 64 characters on one line")
        }
        return text
    }

    /// A logo's address, or a privacy or terms link: https only.
    static func httpsURL(_ text: String) throws(SettingRejection) -> String {
        guard ClientSettings.isSafeLinkURL(text) else {
            throw SettingRejection("expected an https:// URL of at most 2048 characters, got '\(text)'")
        }
        return text
    }

    /// `#RRGGBB` that white text reaches 4.5:1 on (WCAG AA): the buttons draw white text on the accent.
    static func accentColour(_ text: String) throws(SettingRejection) -> String {
        guard text.utf8.count == 7, text.hasPrefix("#"), let ratio = ColourContrast.ratio(text, "#ffffff") else {
            throw SettingRejection("expected a colour written #RRGGBB, got '\(text)'")
        }
        guard ClientSettings.isColour(text) else {
            throw SettingRejection("white text on \(text) reaches only \(String(format: "%.2f", ratio)):1; "
                                       + "WCAG AA needs 4.5:1: choose a darker colour")
        }
        return text
    }
}
