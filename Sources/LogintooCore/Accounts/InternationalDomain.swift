import Foundation

/// The ASCII form of a domain name, after UTS #46 (Unicode IDNA Compatibility Processing), nontransitional: a name
/// typed in any script becomes the A-label form (`bücher.de` → `xn--bcher-kva.de`) that mail relays and DNS carry,
/// so one domain has one spelling in mail, claims and limits.
///
/// The mapping step is NFKC with lower-casing (the core of UTS #46's mapping table; `ß` and `ς` stay, as
/// nontransitional processing keeps them), and a code point is valid when, after mapping, it is a letter, a mark or a
/// decimal digit (the IDNA2008 PVALID categories). Code points UTS #46 would map to nothing (soft hyphen, joiners,
/// variation selectors) are refused earlier, by `EmailAddress`, rather than silently dropped. The bidi rule of
/// RFC 5893 is not checked.
enum InternationalDomain {
    /// Why a domain has no ASCII form.
    enum Refusal: Error, Equatable, Sendable {
        /// A code point that may not appear in a domain label, after mapping.
        case disallowedCharacter(Unicode.Scalar)
        /// An empty label, a label starting or ending with a hyphen or a combining mark, a label with `--` in its third
        /// and fourth places, or an `xn--` label that is not the A-label of a valid Unicode label.
        case malformedLabel(String)
        /// A label longer than 63 bytes or a name longer than 253 bytes once in ASCII.
        case tooLong
    }

    /// Dots that UTS #46 maps to the label separator `.`.
    static let fullStops: Set<Unicode.Scalar> = ["\u{3002}", "\u{FF0E}", "\u{FF61}"]
    static let maxLabelLength = 63
    static let maxNameLength = 253

    /// The A-label form of `domain`, lower-case, with every label checked.
    static func toASCII(_ domain: String) throws(Refusal) -> String {
        let labels = mapped(domain).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var ascii: [String] = []
        for label in labels { ascii.append(try aLabel(label)) }
        let name = ascii.joined(separator: ".")
        guard name.utf8.count <= maxNameLength else { throw .tooLong }
        return name
    }

    /// UTS #46 §4 steps 1–2 as described above: full stops unified, NFKC, lower case, until stable (twice suffices;
    /// the bound keeps it a bounded loop).
    static func mapped(_ text: String) -> String {
        var current = String(String.UnicodeScalarView(text.unicodeScalars.map { fullStops.contains($0) ? "." : $0 }))
        for _ in 0..<3 {
            let next = lowercasedEachCodePoint(current.precomposedStringWithCompatibilityMapping)
            if next == current { break }
            current = next
        }
        return current
    }

    /// Each code point's own lower case, without `String.lowercased()`'s context rules (which write a final `Σ` as `ς`):
    /// UTS #46 maps every `Σ` to `σ`.
    static func lowercasedEachCodePoint(_ text: String) -> String {
        text.unicodeScalars.map(\.properties.lowercaseMapping).joined()
    }

    /// One label in ASCII: an LDH label as it is, a Unicode label as `xn--` and its Punycode.
    static func aLabel(_ label: String) throws(Refusal) -> String {
        let scalars = Array(label.unicodeScalars)
        let result: String
        if scalars.allSatisfy(\.isASCII) {
            try checkLDH(label)
            if label.hasPrefix("xn--") { try checkExistingALabel(label) }
            result = label
        } else {
            try checkUnicodeLabel(scalars)
            guard let encoded = Punycode.encode(scalars) else { throw .tooLong }
            result = "xn--" + encoded
        }
        guard result.utf8.count <= maxLabelLength else { throw .tooLong }
        return result
    }

    /// Letters, digits and hyphens, not starting or ending with a hyphen, and `--` in third and fourth place only as
    /// the `xn--` prefix.
    static func checkLDH(_ label: String) throws(Refusal) {
        let reservedPrefix = hasHyphensInThirdAndFourth(Array(label.unicodeScalars)) && !label.hasPrefix("xn--")
        guard !label.isEmpty, !label.hasPrefix("-"), !label.hasSuffix("-"), !reservedPrefix else { throw .malformedLabel(label) }
        for scalar in label.unicodeScalars where !isLDH(scalar) { throw .disallowedCharacter(scalar) }
    }

    /// An `xn--` label typed as such must decode to a valid Unicode label whose encoding it is, so no second spelling
    /// of a domain slips through in ASCII.
    static func checkExistingALabel(_ label: String) throws(Refusal) {
        let encoded = String(label.dropFirst(4))
        guard let decoded = Punycode.decode(encoded), decoded.contains(where: { !$0.isASCII }),
              Punycode.encode(decoded) == encoded
        else { throw .malformedLabel(label) }
        let unicode = String(String.UnicodeScalarView(decoded))
        guard mapped(unicode) == unicode else { throw .malformedLabel(label) }
        try checkUnicodeLabel(decoded)
    }

    /// UTS #46 §4.1 validity criteria, with CheckHyphens.
    static func checkUnicodeLabel(_ scalars: [Unicode.Scalar]) throws(Refusal) {
        let text = String(String.UnicodeScalarView(scalars))
        guard let first = scalars.first, let last = scalars.last, first != "-", last != "-", !isMark(first),
              !hasHyphensInThirdAndFourth(scalars)
        else { throw .malformedLabel(text) }
        for scalar in scalars where !(isLDH(scalar) || isValidNonASCII(scalar)) { throw .disallowedCharacter(scalar) }
    }

    /// `ab--…` is reserved for encodings such as `xn--` (RFC 5891 §4.2.3.1).
    static func hasHyphensInThirdAndFourth(_ scalars: [Unicode.Scalar]) -> Bool {
        scalars.count >= 4 && scalars[2] == "-" && scalars[3] == "-"
    }

    static func isLDH(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "0"..."9", "-": true
        default: false
        }
    }

    /// A mapped code point allowed in a label: a lower-case or caseless letter, a combining mark, or a decimal digit.
    static func isValidNonASCII(_ scalar: Unicode.Scalar) -> Bool {
        guard !scalar.isASCII, !scalar.properties.isDefaultIgnorableCodePoint else { return false }
        switch scalar.properties.generalCategory {
        case .lowercaseLetter, .otherLetter, .modifierLetter, .nonspacingMark, .spacingMark, .decimalNumber: return true
        default: return false
        }
    }

    static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }
}

extension InternationalDomain {
    /// The address with each `xn--` label of its domain written in Unicode, as addresses were kept before domains were
    /// converted to A-labels; `nil` when the domain has no such label.
    static func unicodeForm(ofAddress address: String) -> String? {
        guard let at = address.lastIndex(of: "@") else { return nil }
        let labels = address[address.index(after: at)...].split(separator: ".", omittingEmptySubsequences: false)
        guard labels.contains(where: { $0.hasPrefix("xn--") }) else { return nil }
        var unicode: [String] = []
        for label in labels {
            guard label.hasPrefix("xn--") else {
                unicode.append(String(label))
                continue
            }
            guard let decoded = Punycode.decode(String(label.dropFirst(4))) else { return nil }
            unicode.append(String(String.UnicodeScalarView(decoded)))
        }
        return String(address[...at]) + unicode.joined(separator: ".")
    }
}
