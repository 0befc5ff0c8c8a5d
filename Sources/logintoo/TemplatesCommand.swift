import ArgumentParser
import LogintooApp

/// `logintoo templates export DIR`: the built-in templates as the starting point of a theme and of email templates.
struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates", abstract: "The built-in page and email templates.", subcommands: [Export.self])

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the built-in page templates, email templates and stylesheet to DIR, refusing to overwrite a file.",
            discussion: """
                Page templates (NAME.mustache) and theme.css go in LOGINTOO_THEME_DIR; sign-in.txt.mustache and \
                sign-in.html.mustache in LOGINTOO_TEMPLATES_DIR (the same folder may be both). login.css is the built-in \
                stylesheet, for reference: theme.css is served after it.
                """)
        @Argument(help: "The folder to write to (created when missing).") var folder: String

        func run() throws {
            do {
                for path in try TemplateExport.export(to: folder) { print(path) }
            } catch {
                throw ValidationError(error.description)
            }
        }
    }
}
