/// A security-relevant event, for the operator's log. Never carries a code or token value.
public enum SecurityEvent: Sendable, Equatable {
    case authorizationCodeReplayed(clientId: String)
    case refreshTokenReused(clientId: String, grantId: String)
    case refreshTokenGraceRetry(clientId: String, grantId: String)
    case grantRevoked(clientId: String, grantId: String)
    /// A rotated-in key started signing on this instance.
    case signingKeyActivated(kid: String, algorithm: String)
}

/// Where security events go: the log in production, a list in tests.
public protocol SecurityEventSink: Sendable {
    func record(_ event: SecurityEvent)
}

/// Drops events; for tools that run no server.
public struct DiscardingEventSink: SecurityEventSink {
    public init() {}
    public func record(_ event: SecurityEvent) {}
}
