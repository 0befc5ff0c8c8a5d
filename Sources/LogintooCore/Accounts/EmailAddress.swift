/// An email address as the server keys accounts by it: trimmed, lower-cased, and plausibly deliverable.
public struct EmailAddress: Sendable, Equatable, CustomStringConvertible {
    public let value: String

    /// `nil` when the text is not an address a code could be sent to.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard trimmed.utf8.count <= 254, !trimmed.isEmpty else { return nil }
        let parts = trimmed.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let (local, domain) = (parts[0], parts[1])
        guard (1...64).contains(local.utf8.count), domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."),
              !domain.contains(".."), !local.hasPrefix("."), !local.hasSuffix("."), !local.contains("..")
        else { return nil }
        let localAllowed = Set("abcdefghijklmnopqrstuvwxyz0123456789!#$%&'*+-/=?^_`{|}~.")
        let domainAllowed = Set("abcdefghijklmnopqrstuvwxyz0123456789-.")
        guard local.allSatisfy({ localAllowed.contains($0) || !$0.isASCII }),
              domain.allSatisfy({ domainAllowed.contains($0) || !$0.isASCII }),
              !trimmed.contains(where: { $0.isWhitespace || $0.isNewline })
        else { return nil }
        value = trimmed
    }

    public var description: String { value }
}

import Foundation

extension EmailAddress {
    /// The domain part, Logintoo's `hd` claim.
    public var domain: String { String(value[value.index(after: value.lastIndex(of: "@")!)...]) }

    /// Logintoo's `email_normalized`: without a `+tag`, and for Gmail also without dots, so aliases of one inbox match.
    public var normalized: String {
        let at = value.lastIndex(of: "@")!
        var local = String(value[..<at])
        if let plus = local.firstIndex(of: "+") { local = String(local[..<plus]) }
        if ["gmail.com", "googlemail.com"].contains(domain) { local.removeAll { $0 == "." } }
        return local + "@" + domain
    }
}
