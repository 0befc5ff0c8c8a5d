import Foundation
import LogintooHTTP
import LogintooMail

/// `logintoo templates export DIR`: the built-in page templates, email templates and stylesheet written to a folder as
/// the starting point of a theme (`LOGINTOO_THEME_DIR`) and of email templates (`LOGINTOO_TEMPLATES_DIR`).
public enum TemplateExport {
    /// Why nothing was written.
    public enum Failure: Error, CustomStringConvertible, Equatable {
        case notAFolder(String)
        /// These files exist already; none was written, so nothing of the operator's is lost.
        case wouldOverwrite([String])
        case unwritable(String, String)

        public var description: String {
            switch self {
            case .notAFolder(let path): "\(path) is not a folder"
            case .wouldOverwrite(let paths): "refusing to overwrite \(paths.joined(separator: ", ")); nothing was written"
            case .unwritable(let path, let why): "cannot write \(path): \(why)"
            }
        }
    }

    /// The built-in stylesheet's file name in the export, for reference: the theme's own `theme.css` is served after it.
    public static let stylesheetFile = "login.css"

    /// Every file the export writes, by name.
    public static var files: [String: String] {
        var files = SignInEmailTemplates.builtIn
        for (name, text) in PageTheme.builtInTemplates { files[name + PageTheme.templateExtension] = text }
        files[stylesheetFile] = PageTheme.builtInStylesheet
        return files
    }

    /// Writes every file into `folder` (created when missing); refuses, writing nothing, when any exists. Returns the
    /// paths written, sorted.
    public static func export(to folder: String) throws(Failure) -> [String] {
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder) {
            guard isFolder.boolValue else { throw .notAFolder(folder) }
        } else {
            do { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) } catch {
                throw .unwritable(folder, error.localizedDescription)
            }
        }
        let targets = files.map { ((folder as NSString).appendingPathComponent($0.key), $0.value) }.sorted { $0.0 < $1.0 }
        let existing = targets.map(\.0).filter { FileManager.default.fileExists(atPath: $0) }
        guard existing.isEmpty else { throw .wouldOverwrite(existing) }
        for (path, text) in targets {
            // `withoutOverwriting`: a file appearing meanwhile is still not replaced.
            do { try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .withoutOverwriting) } catch {
                throw .unwritable(path, error.localizedDescription)
            }
        }
        return targets.map(\.0)
    }
}
