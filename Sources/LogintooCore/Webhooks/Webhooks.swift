import Crypto
import Foundation
import Synchronization

/// Security events as webhooks (Standard Webhooks): which deliveries an event makes, and how an attempt is signed.
public enum Webhooks {
    /// `Delivery.kind` of a webhook.
    public static let kind = "webhook"

    /// A queued webhook's facts: the endpoint (whose secret signs each attempt) and the payload exactly as it is sent, so
    /// every attempt carries the same bytes under the same `webhook-id`.
    public struct Body: Sendable, Codable, Equatable {
        public var endpoint: String
        public var payload: String
    }

    /// The payload: `type`, `timestamp` (when the event happened, ISO 8601) and `data`.
    struct Payload: Encodable {
        var type: WebhookEventType
        var timestamp: String
        var data: WebhookEventData
    }

    /// How long one throttle webhook stands for all of its kind from the same source (`sign_in.code_throttled`,
    /// `sign_in.budget_spent`): these follow from requests anyone can make, so a flood of them must not flood the queue.
    public static let throttleWindow: Int64 = 600

    /// One delivery per endpoint that wants the event, due at once, tried for a day; its id (`msg_…`, the
    /// `webhook-id`) is fresh, so receivers can tell a retry from a new event. A throttle event's id is a digest of the
    /// endpoint, the kind, its source (network address, else the address it names) and the `throttleWindow` it falls
    /// in: the store keeps the first and drops the rest of the window.
    public static func deliveries(for event: WebhookEvent, at now: Int64, endpoints: [WebhookEndpoint],
                                  random: any RandomSource) -> [Delivery] {
        let wanting = endpoints.filter { $0.wants(event.type) }
        guard !wanting.isEmpty,
              let payload = try? JSONText.encode(Payload(type: event.type, timestamp: Date(timeIntervalSince1970: TimeInterval(now))
                                                            .ISO8601Format(), data: event.data))
        else { return [] }
        return wanting.compactMap { endpoint in
            guard let body = try? JSONText.encode(Body(endpoint: endpoint.id, payload: payload)) else { return nil }
            return Delivery(id: id(for: event, endpoint: endpoint, now: now, random: random), kind: kind, target: endpoint.url,
                            body: body, createdAt: now, expiresAt: now + DeliveryRetry.lifetime, nextAttemptAt: now,
                            subject: event.data.accountId ?? event.data.email)
        }
    }
}

extension Webhooks {
    static func id(for event: WebhookEvent, endpoint: WebhookEndpoint, now: Int64, random: any RandomSource) -> String {
        switch event.type {
        case .signInCodeThrottled, .signInBudgetSpent:
            // A network address as the send limits count it (an IPv6 /64 as one), else the address the event names.
            let source = event.data.ip.map(ClientBudget.key(for:)) ?? event.data.email ?? ""
            return "msg_" + SecretDigest.sha256([endpoint.id, event.type.rawValue, source, String(now / throttleWindow)]
                .joined(separator: "\u{0}")).prefix(24)
        default:
            return "msg_" + random.token(bytes: 18)
        }
    }
}

/// The endpoints events are matched against, read from the store at most every `refresh` seconds so an event costs no
/// query on the hot path; an endpoint added or removed on any instance is seen within that time.
public final class WebhookSubscriptions: Sendable {
    let store: any WebhookStore
    let refresh: Int64
    let cached = Mutex<(readAt: Int64, endpoints: [WebhookEndpoint])?>(nil)

    public init(store: any WebhookStore, refresh: Int64 = 5) { (self.store, self.refresh) = (store, refresh) }

    public func endpoints(now: Int64) async throws -> [WebhookEndpoint] {
        // A clock set back counts as stale, so a step back in time cannot keep an old list.
        if let fresh = cached.withLock({ cache in cache.flatMap { (0..<refresh).contains(now - $0.readAt) ? $0.endpoints : nil } }) {
            return fresh
        }
        let endpoints = try await store.webhookEndpoints()
        cached.withLock { $0 = (now, endpoints) }
        return endpoints
    }
}

/// Opens an endpoint's sealed secret when a delivery to it is tried.
public struct WebhookSigningKeys: Sendable {
    let store: any WebhookStore
    let sealingKey: SymmetricKey

    public init(store: any WebhookStore, secret: ServerSecret) {
        (self.store, self.sealingKey) = (store, secret.key(for: .webhookSecret))
    }

    /// The endpoint's secrets' bytes at `now`: the current one, then the one a rotation replaced while its overlap
    /// lasts; `WebhookEndpointGone` once the operator removed the endpoint (its deliveries are abandoned).
    public func keys(endpointId: String, now: Int64) async throws -> [[UInt8]] {
        guard let endpoint = try await store.webhookEndpoint(id: endpointId) else { throw WebhookEndpointGone(id: endpointId) }
        var sealed = [endpoint.sealedSecret]
        if let previous = endpoint.previousSealedSecret, let until = endpoint.previousUntil, now < until { sealed.append(previous) }
        return try sealed.map { try WebhookSecret(text: try Sealing.open($0, key: sealingKey)).bytes }
    }

    /// Seals a secret for storage.
    public func seal(_ secret: WebhookSecret) throws -> String { try Sealing.seal(secret.text, key: sealingKey) }
}

/// The endpoint of a queued webhook was removed: nothing is sent, and it is not tried again.
public struct WebhookEndpointGone: DeliveryNotRetried, CustomStringConvertible {
    public let id: String
    public var description: String { "webhook endpoint \(id) was removed" }
}
