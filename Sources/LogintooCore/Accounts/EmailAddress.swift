import Foundation

/// An email address as the server keys accounts by it and mails it: trimmed, lower-cased, its domain in A-label form
/// (`bücher.de` becomes `xn--bcher-kva.de`), and free of characters a person cannot see.
///
/// An address that passes is what mail, claims and limits use; one that does not is refused before anything is sent
/// (docs/security.md, addresses are checked).
public struct EmailAddress: Sendable, Equatable, CustomStringConvertible {
    public let value: String

    /// Why text is not an address a code may be sent to.
    public enum Refusal: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        /// Not `local@domain`, a character outside what the parts allow, or too long.
        case malformed
        /// A control or format character (zero-width space, bidi control, soft hyphen, word joiner, NUL, ...) or another
        /// invisible one: the address shown and the address mailed could differ without anyone seeing it.
        case invisibleCharacter
        /// A local part outside ASCII: relays without SMTPUTF8 cannot carry it.
        case nonASCIILocalPart
        /// A domain with no valid A-label form (a symbol or other disallowed code point, a malformed or over-long label).
        case unusableDomain

        /// An English sentence for API answers and logs.
        public var description: String {
            switch self {
            case .empty: "email is empty"
            case .malformed: "email is not a valid email address"
            case .invisibleCharacter: "email contains an invisible, control or formatting character"
            case .nonASCIILocalPart: "email has non-ASCII characters before the @, which mail relays cannot carry"
            case .unusableDomain: "email's domain is not a valid domain name"
            }
        }
    }

    /// `nil` when the text is not an address a code could be sent to; `parse` says why.
    public init?(_ text: String) {
        guard let address = try? Self.parse(text) else { return nil }
        self = address
    }

    private init(checked value: String) { self.value = value }

    /// Why `text` is refused, or `nil` when it is an address.
    public static func refusal(of text: String) -> Refusal? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error
        }
    }

    /// The address `text` stands for, or the reason it is refused.
    public static func parse(_ text: String) throws(Refusal) -> EmailAddress {
        let trimmed = trimmingSpaces(text)
        guard !trimmed.isEmpty else { throw .empty }
        guard !trimmed.contains(where: isInvisible) else { throw .invisibleCharacter }
        guard trimmed.count <= 1024 else { throw .malformed }
        // Split by code point: a combining mark after the `@` would otherwise hide it inside one Character.
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .malformed }
        let local = try checkedLocalPart(String(String.UnicodeScalarView(parts[0])))
        let domain = try checkedDomain(String(String.UnicodeScalarView(parts[1])))
        let value = local + "@" + domain
        guard value.utf8.count <= 254 else { throw .malformed }
        return EmailAddress(checked: value)
    }

    /// Without leading and trailing spaces and tabs. Foundation's `.whitespaces` also trims a zero-width space, which
    /// must be refused instead, so the set is spelled out.
    static func trimmingSpaces(_ text: String) -> [Unicode.Scalar] {
        let isSpace = { (scalar: Unicode.Scalar) in scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator }
        let scalars = Array(text.unicodeScalars)
        guard let first = scalars.firstIndex(where: { !isSpace($0) }), let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return [] }
        return Array(scalars[first...last])
    }

    /// Characters nobody sees or that reorder what they see: Unicode categories Cc and Cf, line and paragraph separators,
    /// and the default-ignorable code points (fillers, variation selectors, the combining grapheme joiner).
    static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return scalar.properties.isDefaultIgnorableCodePoint
        }
    }

    static let localAllowed = Set("abcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-/=?^_`{|}~.")

    /// A dot-atom local part in ASCII, lower-cased.
    static func checkedLocalPart(_ text: String) throws(Refusal) -> String {
        guard text.unicodeScalars.allSatisfy(\.isASCII) else { throw .nonASCIILocalPart }
        let local = text.lowercased()
        guard (1...64).contains(local.utf8.count), !local.hasPrefix("."), !local.hasSuffix("."), !local.contains(".."),
              local.allSatisfy(localAllowed.contains)
        else { throw .malformed }
        return local
    }

    /// The domain in A-label form, with at least two labels. A plain ASCII domain that fails is malformed (a typo);
    /// a Unicode one is unusable.
    static func checkedDomain(_ text: String) throws(Refusal) -> String {
        let typedInASCII = text.unicodeScalars.allSatisfy(\.isASCII)
        guard typedInASCII || !text.contains(where: \.isWhitespace) else { throw .malformed }
        let domain: String
        do {
            domain = try InternationalDomain.toASCII(text)
        } catch {
            throw typedInASCII ? .malformed : .unusableDomain
        }
        guard domain.contains(".") else { throw .malformed }
        return domain
    }

    public var description: String { value }
}

extension EmailAddress {
    /// The domain part, Logintoo's `hd` claim.
    public var domain: String { String(value[value.index(after: value.lastIndex(of: "@")!)...]) }

    /// Logintoo's `email_normalized`: without a `+tag`, and for Gmail also without dots, so aliases of one inbox match.
    /// Unlike `Mailbox.canonical`, it keeps `googlemail.com` as written, as the original Logintoo's claim did.
    public var normalized: String {
        let at = value.lastIndex(of: "@")!
        var local = String(value[..<at])
        if let plus = local.firstIndex(of: "+") { local = String(local[..<plus]) }
        if Mailbox.gmailDomains.contains(domain) { local.removeAll { $0 == "." } }
        return local + "@" + domain
    }
}
