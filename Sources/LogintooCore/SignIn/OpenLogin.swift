/// A sign-in this browser may continue, read once per request: its login transaction, checked to be bound to the
/// browser and not expired, and the client it signs in to. Only `SignInService.open` makes one (and `start`, for the
/// sign-in it has just saved), so a service method given one needs neither to read nor to check them again.
public struct OpenLogin: Sendable {
    public let login: LoginTransaction
    public let client: Client
    /// The digest of the browser's binding the login was checked against.
    public let browserHash: String

    init(login: LoginTransaction, client: Client, browserHash: String) {
        self.login = login
        self.client = client
        self.browserHash = browserHash
    }
}
