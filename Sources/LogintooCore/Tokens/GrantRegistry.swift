/// The grants the token endpoint serves, keyed by `grant_type`: the one place that decides which handler answers.
public struct GrantRegistry: Sendable {
    private let handlers: [String: any GrantHandler]
    /// The supported grant types, in the order they were registered (the order discovery lists them).
    public let grantTypes: [String]

    /// A registry of `handlers`; a later handler for the same `grant_type` replaces an earlier one.
    public init(_ handlers: [any GrantHandler]) {
        var byType: [String: any GrantHandler] = [:]
        var order: [String] = []
        for handler in handlers {
            if byType.updateValue(handler, forKey: handler.grantType) == nil { order.append(handler.grantType) }
        }
        self.handlers = byType
        self.grantTypes = order
    }

    /// Only the grants named in `grantTypes`, in this registry's order: how a capability value switches a grant off.
    public func restricted(to grantTypes: [String]) -> GrantRegistry {
        GrantRegistry(self.grantTypes.filter(grantTypes.contains).compactMap { handlers[$0] })
    }

    /// The handler for a request's `grant_type` (RFC 6749 §5.2: missing is `invalid_request`, unknown is
    /// `unsupported_grant_type`).
    public func handler(for grantType: String?) throws -> any GrantHandler {
        guard let grantType else { throw OAuthError.invalidRequest("grant_type is missing") }
        guard let handler = handlers[grantType] else {
            throw OAuthError(.unsupportedGrantType, "supported grant types: " + grantTypes.joined(separator: ", "))
        }
        return handler
    }
}
