/// Which audit records an operator asks for; every field narrows, `nil` leaves it open.
public struct AuditFilter: Sendable, Equatable {
    /// Records about this account: its id as their subject, or its address.
    public var accountId: String?
    public var email: String?
    public var clientId: String?
    public var kind: String?
    /// From this time (inclusive) until that one (exclusive), Unix seconds.
    public var since: Int64?
    public var until: Int64?

    public init(accountId: String? = nil, email: String? = nil, clientId: String? = nil, kind: String? = nil, since: Int64? = nil,
                until: Int64? = nil) {
        (self.accountId, self.email, self.clientId, self.kind, self.since, self.until) = (accountId, email, clientId, kind, since, until)
    }
}
