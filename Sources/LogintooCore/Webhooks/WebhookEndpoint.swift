import Crypto
import Foundation

/// A receiver of security events, registered by the operator (`logintoo webhook add`): where to POST, which event kinds
/// it wants, and the secret its deliveries are signed with, sealed under the server secret (docs/security.md N95).
public struct WebhookEndpoint: Sendable, Codable, Equatable {
    public var id: String
    public var url: String
    /// `WebhookEventType` raw values, or `["*"]` for every kind.
    public var events: [String]
    /// The signing secret, sealed (`Sealing`, `KeyPurpose.webhookSecret`): a database dump does not let its holder forge
    /// deliveries.
    public var sealedSecret: String
    public var createdAt: Int64
    /// The secret a rotation replaced, sealed, still signing beside the new one until `previousUntil`, so the receiver
    /// can move to the new one without refusing a delivery.
    public var previousSealedSecret: String?
    public var previousUntil: Int64?

    public init(id: String, url: String, events: [String], sealedSecret: String, createdAt: Int64,
                previousSealedSecret: String? = nil, previousUntil: Int64? = nil) {
        (self.id, self.url, self.events, self.sealedSecret, self.createdAt) = (id, url, events, sealedSecret, createdAt)
        (self.previousSealedSecret, self.previousUntil) = (previousSealedSecret, previousUntil)
    }

    public static let everyEvent = "*"

    /// A DNS name (its last label starts with a letter, as every top-level domain does), or an IP address written the
    /// usual way that can receive: not link-local or AWS's IPv6 metadata address (where clouds answer with instance
    /// credentials), not unspecified (0.0.0.0 reaches this machine), and not one of those carried in IPv6 by a
    /// translation prefix (`IPAddress.translatedIPv4`). Numbers written otherwise (`2852039166`, `0xa9.0xfe.0xa9.0xfe`),
    /// which resolvers read as addresses, are refused. A name is not resolved here: where it points is the operator's DNS.
    static func isReceiverHost(_ host: String) -> Bool {
        if let address = IPAddress(host: host) {
            return [address, address.translatedIPv4].compactMap { $0 }.allSatisfy { address in
                !address.isLinkLocal && !address.isUnspecified && address != awsInstanceMetadataIPv6
            }
        }
        guard !host.contains(where: { "[]%".contains($0) }) else { return false }
        let last = host.split(separator: ".").last ?? ""
        return last.first?.isLetter == true
    }

    /// AWS's instance metadata service on IPv6 (`fd00:ec2::254`), a unique local address rather than a link-local one.
    static let awsInstanceMetadataIPv6 = IPAddress("fd00:ec2::254")!

    public func wants(_ type: WebhookEventType) -> Bool {
        events.contains(Self.everyEvent) || events.contains(type.rawValue)
    }

    /// Checks what an operator asks for: the URL by the rules of a redirect URI (https, or http on a loopback address;
    /// no fragment, user info or wildcard), and event kinds this server knows, or `*`.
    public static func validate(url: String, events: [String]) throws(WebhookEndpointError) -> [String] {
        guard (try? RedirectURIPolicy.validateForRegistration(url)) != nil, let parsed = URL(string: url),
              (1...65_535).contains(parsed.port ?? 443), isReceiverHost(parsed.host ?? "")
        else { throw .badURL(url) }
        let kinds = events.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !kinds.isEmpty else { throw .noEvents }
        for kind in kinds where kind != everyEvent && WebhookEventType(rawValue: kind) == nil { throw .unknownEvent(kind) }
        return kinds.contains(everyEvent) ? [everyEvent] : Array(Set(kinds)).sorted()
    }
}

public enum WebhookEndpointError: Error, Equatable, CustomStringConvertible {
    case badURL(String)
    case noEvents
    case unknownEvent(String)
    case badSecret

    public var description: String {
        switch self {
        case .badURL(let url):
            "the webhook URL \(url) must be https (or http on a loopback address), with no fragment, user info or wildcard, "
                + "a port from 1 to 65535, and a host name or an IP address that is not link-local"
        case .noEvents: "name at least one event kind (--events), or * for all"
        case .unknownEvent(let kind):
            "unknown event kind \(kind); the kinds are: " + WebhookEventType.allCases.map(\.rawValue).joined(separator: ", ")
        case .badSecret: "a webhook secret is whsec_ followed by the base64 of 24 to 64 random bytes"
        }
    }
}

/// A Standard Webhooks signing secret: `whsec_` and the base64 of its bytes, the form receivers' libraries take.
public struct WebhookSecret: Sendable, Equatable {
    public static let prefix = "whsec_"
    public let bytes: [UInt8]

    /// 32 fresh random bytes.
    public init(random: any RandomSource) { bytes = random.bytes(32) }

    public init(text: String) throws(WebhookEndpointError) {
        guard text.hasPrefix(Self.prefix), let data = Data(base64Encoded: String(text.dropFirst(Self.prefix.count))),
              (24...64).contains(data.count)
        else { throw .badSecret }
        bytes = Array(data)
    }

    public var text: String { Self.prefix + Data(bytes).base64EncodedString() }
}

/// The Standard Webhooks signature (version `v1`): HMAC-SHA256 of `id.timestamp.body` under the secret's bytes, base64.
public enum WebhookSignature {
    public static func sign(id: String, timestamp: Int64, body: String, key: [UInt8]) -> String {
        let signed = Data("\(id).\(timestamp).".utf8) + Data(body.utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The three headers of a delivery attempt at `timestamp`: the id is the same on every attempt, the timestamp and
    /// signature are the attempt's, so a receiver's five-minute tolerance accepts a retry made hours later. One
    /// signature per key, space-separated (a rotation's overlap): a receiver accepts the message if one matches.
    public static func headers(id: String, timestamp: Int64, body: String, keys: [[UInt8]]) -> [String: String] {
        ["webhook-id": id, "webhook-timestamp": String(timestamp),
         "webhook-signature": keys.map { sign(id: id, timestamp: timestamp, body: body, key: $0) }.joined(separator: " ")]
    }
}
