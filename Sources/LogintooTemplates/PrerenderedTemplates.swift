import Mustache
import Synchronization

/// Templates rendered once per set of fixed values, with the values that change at each use filled into the result.
///
/// Rendering walks the template and looks each name up in the context; a sign-in email changes from one code to the
/// next in a few values only (docs/performance.md). Each changing value is rendered as a marker whose escaped and
/// unescaped forms differ (`\u{1}&NaA…\u{1}` and `\u{1}&amp;NaA…\u{1}`), so the result tells where each value goes
/// and whether the template escaped it there; a transform of the value (upper or lower case, reversed, counted) breaks
/// the marker. The marker ends with a nonce drawn when the templates are made, so a fixed value (a client's name) that
/// looks like a marker is not one. The first use of a set of fixed values is also rendered directly, and the
/// prerendered form is kept only if its markers are whole and filling it gives the same text: otherwise that template
/// goes on being rendered directly.
public final class PrerenderedTemplates: Sendable {
    public let library: MustacheLibrary
    /// How many prerendered forms are kept; past it, one is dropped for each new one.
    let capacity: Int
    private let entries = Mutex<[String: Entry]>([:])
    /// Ends every marker: random letters, never shown (a marker is always filled or the form is not kept).
    let nonce: String

    enum Entry: Sendable {
        case parts([Part])
        case direct
    }

    enum Part: Sendable, Equatable {
        case text(String)
        case value(Int, escaped: Bool)
    }

    public init(_ library: MustacheLibrary, capacity: Int = 1_000,
                random: some RandomNumberGenerator = SystemRandomNumberGenerator()) {
        var random = random
        let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        self.library = library
        self.capacity = capacity
        self.nonce = String((0..<16).map { _ in letters.randomElement(using: &random)! })
    }

    /// `template` rendered with `fixed` and `varying` together; `fixed` holds strings, booleans and dictionaries of
    /// strings, and names the prerendered form, so it must hold everything but `varying` that the template shows.
    public func render(_ template: String, fixed: [String: Any], varying: [String: String]) -> String? {
        let names = varying.keys.sorted()
        // An empty value may read otherwise than a marker (`empty(x)`, an operator's `{{^x}}`): it gets a form of its own.
        let key = Self.key(template: template, fixed: fixed, varying: names.map { varying[$0]!.isEmpty ? $0 + "=" : $0 })
        switch entries.withLock({ $0[key] }) {
        case .parts(let parts): return Self.fill(parts, names.map { varying[$0] ?? "" })
        case .direct: return library.render(fixed.merging(varying, uniquingKeysWith: { $1 }), withTemplate: template)
        case nil: return prerender(template, key: key, fixed: fixed, names: names, varying: varying)
        }
    }

    /// The first use of a set of fixed values: renders directly, and keeps the prerendered form if it fills alike.
    private func prerender(_ template: String, key: String, fixed: [String: Any], names: [String],
                           varying: [String: String]) -> String? {
        guard let direct = library.render(fixed.merging(varying, uniquingKeysWith: { $1 }), withTemplate: template) else {
            return nil
        }
        var marked = fixed
        for (index, name) in names.enumerated() { marked[name] = Self.marker(index, nonce: nonce) }
        var entry = Entry.direct
        if let rendered = library.render(marked, withTemplate: template), let parts = Self.parts(of: rendered, nonce: nonce),
           Self.fill(parts, names.map { varying[$0] ?? "" }) == direct {
            entry = .parts(parts)
        }
        entries.withLock { entries in
            if entries.count >= capacity, let any = entries.indices.first { entries.remove(at: any) }
            entries[key] = entry
        }
        return direct
    }

    /// How many sets of fixed values are served by filling.
    var prerenderedForms: Int {
        entries.withLock { $0.values.count { if case .parts = $0 { true } else { false } } }
    }

    static func marker(_ index: Int, nonce: String) -> String { "\u{1}&\(index)aA\(nonce)\u{1}" }

    /// The rendered text cut at the markers; nil if a `\u{1}` in it is not a whole marker.
    static func parts(of rendered: String, nonce: String) -> [Part]? {
        let ending = Array("aA\(nonce)\u{1}".utf8)
        let bytes = Array(rendered.utf8)
        var parts: [Part] = []
        var textStart = 0
        var index = 0
        while let start = bytes[index...].firstIndex(of: 1) {
            var cursor = start + 1
            let escaped = bytes[cursor...].starts(with: "&amp;".utf8)
            guard escaped || bytes[cursor...].starts(with: "&".utf8) else { return nil }
            cursor += escaped ? 5 : 1
            let digits = bytes[cursor...].prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            guard !digits.isEmpty, digits.count < 6, let number = Int(String(decoding: digits, as: UTF8.self)),
                  bytes[digits.endIndex...].starts(with: ending)
            else { return nil }
            if textStart < start { parts.append(.text(String(decoding: bytes[textStart..<start], as: UTF8.self))) }
            parts.append(.value(number, escaped: escaped))
            index = digits.endIndex + ending.count
            textStart = index
        }
        if textStart < bytes.count { parts.append(.text(String(decoding: bytes[textStart...], as: UTF8.self))) }
        return parts
    }

    static func fill(_ parts: [Part], _ values: [String]) -> String {
        var text = ""
        for part in parts {
            switch part {
            case .text(let piece): text += piece
            case .value(let index, let escaped):
                let value = index < values.count ? values[index] : ""
                text += escaped ? HTMLText.escaped(value) : value
            }
        }
        return text
    }

    /// The template and every fixed value, each written with its length so no two sets read alike.
    static func key(template: String, fixed: [String: Any], varying: [String]) -> String {
        var key = "\(template.utf8.count):\(template)"
        for name in fixed.keys.sorted() {
            let value: String = switch fixed[name] {
            case let text as String: "s" + text
            case let flag as Bool: flag ? "t" : "f"
            case let pairs as [String: String]: "d" + describe(pairs)
            case let other?: "o" + String(describing: other)
            case nil: ""
            }
            key += "\(name.utf8.count):\(name)\(value.utf8.count):\(value)"
        }
        return key + "|" + varying.map { "\($0.utf8.count):\($0)" }.joined()
    }

    private static func describe(_ pairs: [String: String]) -> String { key(template: "", fixed: pairs, varying: []) }
}
