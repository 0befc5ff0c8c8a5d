/// Makes the request of a queued delivery at the moment it is tried, by its kind.
public struct DeliveryComposer: Sendable {
    /// What is POSTed.
    public struct Request: Sendable, Equatable {
        public var contentType: String
        public var headers: [String: String]
        public var body: String

        public init(contentType: String, headers: [String: String] = [:], body: String) {
            (self.contentType, self.headers, self.body) = (contentType, headers, body)
        }
    }

    /// A delivery of a kind this server does not know (written by a newer version): abandoned, not retried.
    public struct UnknownKind: DeliveryNotRetried, CustomStringConvertible {
        public let kind: String
        public var description: String { "unknown delivery kind \(kind)" }
    }

    let logoutTokens: LogoutTokenMinter
    let webhookKeys: WebhookSigningKeys

    public init(logoutTokens: LogoutTokenMinter, webhookKeys: WebhookSigningKeys) {
        (self.logoutTokens, self.webhookKeys) = (logoutTokens, webhookKeys)
    }

    public func request(for delivery: Delivery, now: Int64) async throws -> Request {
        switch delivery.kind {
        case BackchannelLogout.kind:
            // §2.5: the logout token as a form parameter.
            return Request(contentType: "application/x-www-form-urlencoded", body: try logoutTokens.formBody(for: delivery, now: now))
        case Webhooks.kind:
            let body = try JSONText.decode(Webhooks.Body.self, from: delivery.body)
            let keys = try await webhookKeys.keys(endpointId: body.endpoint, now: now)
            return Request(contentType: "application/json",
                           headers: WebhookSignature.headers(id: delivery.id, timestamp: now, body: body.payload, keys: keys),
                           body: body.payload)
        default:
            throw UnknownKind(kind: delivery.kind)
        }
    }
}

/// A failure that trying again cannot mend: the delivery is abandoned at once.
public protocol DeliveryNotRetried: Error {}
