import Mustache

/// Mustache libraries whose `{{value}}` tags escape with `HTMLText.escaped`.
///
/// Mustache's own HTML escaping looks up each `Character` in a dictionary, about 300 instructions a character, and
/// was a tenth of a sign-in's CPU (docs/performance.md). A content type is the library's hook for escaping: it is
/// registered under a name and chosen by a `CONTENT_TYPE` pragma inside the template, so every template, built in or
/// an operator's, is registered with the pragma on a line of its own ahead of its text. A standalone pragma line
/// renders nothing, so the output is the template's as written.
public enum TemplateLibrary {
    static let contentTypeName = "LOGINTOO_HTML"
    static let pragma = "{{% CONTENT_TYPE: \(contentTypeName)}}\n"

    /// A library of `templates` (name to text), each compiled to escape with `HTMLText.escaped`.
    public static func make(_ templates: [String: String]) throws(TemplateFailure) -> MustacheLibrary {
        registerContentType
        var library = MustacheLibrary()
        for (name, text) in templates {
            do {
                try library.register(pragma + text, named: name)
            } catch {
                // Compiled again as written, so that the error names the line the author wrote, not one below it.
                let asWritten = Result { try MustacheTemplate(string: text) }
                if case .failure(let authorsError) = asWritten { throw TemplateFailure(name: name, reason: "\(authorsError)") }
                throw TemplateFailure(name: name, reason: "\(error)")
            }
        }
        return library
    }

    /// Registering is idempotent, and done once per process before the first template that names it is parsed.
    private static let registerContentType: Void = MustacheContentTypes.register(EscapedHTML(), named: contentTypeName)
}

/// A template that Mustache could not compile.
public struct TemplateFailure: Error, CustomStringConvertible {
    public let name: String
    public let reason: String
    public var description: String { "the template \(name) cannot be compiled: \(reason)" }
}

struct EscapedHTML: MustacheContentType {
    func escapeText(_ text: String) -> String { HTMLText.escaped(text) }
}
