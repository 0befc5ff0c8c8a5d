/// A person who has signed in at least once. `id` is the stable `sub`, never derived from the email.
public struct Account: Sendable, Codable, Equatable {
    public var id: String
    public var email: String
    public var createdAt: Int64
    public var disabledAt: Int64?

    public init(id: String, email: String, createdAt: Int64, disabledAt: Int64? = nil) {
        self.id = id
        self.email = email
        self.createdAt = createdAt
        self.disabledAt = disabledAt
    }
}
