/// Makes the request of a queued delivery at the moment it is tried, by its kind.
public struct DeliveryComposer: Sendable {
    /// What is POSTed.
    public struct Request: Sendable, Equatable {
        public var contentType: String
        public var body: String
    }

    /// A delivery of a kind this server does not know (written by a newer version): abandoned, not retried.
    public struct UnknownKind: Error, CustomStringConvertible {
        public let kind: String
        public var description: String { "unknown delivery kind \(kind)" }
    }

    let logoutTokens: LogoutTokenMinter

    public init(logoutTokens: LogoutTokenMinter) { self.logoutTokens = logoutTokens }

    public func request(for delivery: Delivery, now: Int64) throws -> Request {
        switch delivery.kind {
        case BackchannelLogout.kind:
            // §2.5: the logout token as a form parameter.
            Request(contentType: "application/x-www-form-urlencoded", body: try logoutTokens.formBody(for: delivery, now: now))
        default:
            throw UnknownKind(kind: delivery.kind)
        }
    }
}
