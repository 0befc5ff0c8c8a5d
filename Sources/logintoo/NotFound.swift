/// A command named something that does not exist: the command was used correctly, so it fails with exit status 1,
/// not the usage error's 64.
struct NotFound: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
