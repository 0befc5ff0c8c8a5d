/// The `Accept-Language` request header (RFC 9110 §12.5.4): language ranges in the order of preference the browser
/// gave them weights, and the best match among the languages a server offers (RFC 4647 §3.4 lookup).
public struct AcceptLanguage: Sendable, Equatable {
    /// Lower-cased ranges, best first; ranges of equal weight keep their order. `*` is kept; `q=0` ranges are dropped.
    public let ranges: [String]

    /// Ranges past this many are ignored: a browser sends a handful.
    public static let maxRanges = 20

    public init(_ header: String) {
        var weighted: [(range: String, quality: Int, position: Int)] = []
        for (position, item) in header.utf8.split(separator: UInt8(ascii: ",")).prefix(Self.maxRanges).enumerated() {
            let parts = item.split(separator: UInt8(ascii: ";"), omittingEmptySubsequences: false)
            guard let range = Self.range(parts[0]) else { continue }
            var quality = 1000
            for parameter in parts.dropFirst() {
                if let q = Self.quality(parameter) { quality = q } else { quality = -1; break }
            }
            if quality > 0 { weighted.append((range, quality, position)) }
        }
        ranges = weighted.sorted { ($0.quality, -$0.position) > ($1.quality, -$1.position) }.map(\.range)
    }

    /// The first offered language that a range matches, in order of preference: `*` takes the first offered one; a range
    /// matches its `aliases` entry (lower-case tags offered under another name), itself, or a shorter prefix
    /// (`de-CH` → `de`); `nil` when none does.
    public func bestMatch(offered: [String], aliases: [String: String] = [:]) -> String? {
        let lowered = offered.map { $0.lowercased() }
        for range in ranges {
            if range == "*" { return offered.first }
            if let alias = aliases[range], offered.contains(alias) { return alias }
            var candidate = Substring(range)
            while !candidate.isEmpty {
                if let index = lowered.firstIndex(of: String(candidate)) { return offered[index] }
                guard let dash = candidate.lastIndex(of: "-") else { break }
                candidate = candidate[..<dash]
            }
        }
        return nil
    }

    /// `1*8ALPHA *("-" 1*8alphanum)` or `*`, lower-cased.
    static func range(_ bytes: Substring.UTF8View.SubSequence) -> String? {
        let text = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        if text == "*" { return text }
        let subtags = text.split(separator: "-", omittingEmptySubsequences: false)
        guard let first = subtags.first, (1...8).contains(first.utf8.count), first.utf8.allSatisfy(isLetter),
              subtags.dropFirst().allSatisfy({ (1...8).contains($0.utf8.count) && $0.utf8.allSatisfy { isLetter($0) || isDigit($0) } })
        else { return nil }
        return text.lowercased()
    }

    /// `q=0`, `q=0.5`, `q=1.000`, as thousandths.
    static func quality(_ bytes: Substring.UTF8View.SubSequence) -> Int? {
        let text = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        guard text.hasPrefix("q=") || text.hasPrefix("Q=") else { return nil }
        let value = text.dropFirst(2)
        let pieces = value.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let whole = pieces.first, whole == "0" || whole == "1" else { return nil }
        let fraction = pieces.count == 2 ? pieces[1] : ""
        guard pieces.count == 1 || (1...3).contains(fraction.utf8.count), fraction.utf8.allSatisfy(isDigit) else { return nil }
        let thousandths = Int(fraction + String(repeating: "0", count: 3 - fraction.utf8.count)) ?? 0
        if whole == "1" { return thousandths == 0 ? 1000 : nil }
        return thousandths
    }

    static func isLetter(_ byte: UInt8) -> Bool { (65...90).contains(byte) || (97...122).contains(byte) }
    static func isDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) }
}

extension String {
    func trimmingWhitespace() -> String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view = view.dropFirst() }
        while let last = view.last, last == " " || last == "\t" { view = view.dropLast() }
        return String(view)
    }
}
