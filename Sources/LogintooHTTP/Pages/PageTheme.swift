import Foundation
import LogintooTemplates

/// An operator's theme (`LOGINTOO_THEME_DIR`): `theme.css`, served after the built-in stylesheet, and page templates
/// named like the built-in ones (`code.mustache` replaces `code`), each compiled when the server starts so that a broken
/// one stops the start, naming its file.
public struct PageTheme: Sendable, Equatable {
    /// The operator's stylesheet, served at `/assets/theme.css`.
    public let stylesheet: String?
    /// Template text by built-in name (`layout`, `email`, `code`, …).
    public let templates: [String: String]

    public init(stylesheet: String? = nil, templates: [String: String] = [:]) {
        (self.stylesheet, self.templates) = (stylesheet, templates)
    }

    /// Why a theme cannot be used.
    public enum Failure: Error, CustomStringConvertible, Equatable {
        case unreadable(String)
        case invalidTemplate(String, String)

        public var description: String {
            switch self {
            case .unreadable(let path): "the theme file \(path) cannot be read as UTF-8"
            case .invalidTemplate(let path, let why): "the page template \(path) does not compile: \(why)"
            }
        }
    }

    /// The file extension of a page template in the theme folder.
    public static let templateExtension = ".mustache"
    public static let stylesheetFile = "theme.css"

    /// The built-in page templates by name, which a theme may replace and `logintoo templates export` writes out.
    public static var builtInTemplates: [String: String] { Pages.builtInTemplates }

    /// The built-in stylesheet, which `theme.css` comes after.
    public static var builtInStylesheet: String { PageTemplates.stylesheet }

    /// Reads and compiles the theme in `folder`; files that are not a page template's or `theme.css` are ignored.
    public static func load(from folder: String) throws(Failure) -> PageTheme {
        var templates: [String: String] = [:]
        for name in builtInTemplates.keys.sorted() {
            let path = (folder as NSString).appendingPathComponent(name + templateExtension)
            guard let text = try read(path) else { continue }
            do {
                _ = try TemplateLibrary.make([name: text])
            } catch {
                throw .invalidTemplate(path, error.reason)
            }
            templates[name] = text
        }
        let stylesheet = try read((folder as NSString).appendingPathComponent(stylesheetFile))
        return PageTheme(stylesheet: stylesheet, templates: templates)
    }

    static func read(_ path: String) throws(Failure) -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw .unreadable(path) }
        return text
    }
}
