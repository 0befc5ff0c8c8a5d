import AsyncHTTPClient
import Crypto
import Foundation
import LogintooCore
import NIOCore
import NIOHTTP1

/// Amazon SES through its v2 HTTP API (`SendEmail` with raw MIME content), signed with Signature Version 4 using the
/// credentials `credentials` holds at the moment of sending (fixed keys, or a role's temporary ones with their token).
public struct SESMailer: Mailer {
    public let region: String
    public let endpoint: URL
    let credentials: any AWSCredentialsProvider
    let from: String
    let domain: String
    let client: HTTPClient
    let clock: any WallClock

    /// `endpoint` defaults to `https://email.REGION.amazonaws.com`; `clock` dates the message and its signature.
    public init(region: String, credentials: any AWSCredentialsProvider, from: String, domain: String, endpoint: URL? = nil,
                client: HTTPClient = .shared, clock: any WallClock = SystemWallClock()) {
        self.region = region
        self.endpoint = endpoint ?? URL(string: "https://email.\(region).amazonaws.com")!
        (self.credentials, self.from, self.domain, self.client, self.clock) = (credentials, from, domain, client, clock)
    }

    public var providerName: String { "ses:\(region)" }

    public func send(_ message: EmailMessage, id: String) async throws {
        // A failure to get credentials fails this delivery like a refusal from SES would: the outbox tries again.
        let signingCredentials = try await credentials.current()
        let now = Date(timeIntervalSince1970: TimeInterval(clock.now()))
        let raw = MIMEMessage.render(message, from: from, id: id, date: now, domain: domain)
        struct Request: Encodable {
            struct Destination: Encodable { let ToAddresses: [String] }
            struct Raw: Encodable { let Data: String }
            struct Content: Encodable { let Raw: Raw }
            let FromEmailAddress: String
            let Destination: Destination
            let Content: Content
        }
        let body = Array(try JSONEncoder().encode(Request(
            FromEmailAddress: MIMEMessage.sender(from, name: message.fromName), Destination: .init(ToAddresses: [message.to]),
            Content: .init(Raw: .init(Data: Data(raw.utf8).base64EncodedString())))))
        let url = endpoint.appendingPathComponent("v2/email/outbound-emails")
        let signer = AWSSignatureV4(credentials: signingCredentials, region: region, service: "ses")
        let headers = signer.headers(method: "POST", url: url, headers: ["content-type": "application/json"], body: body, date: now)
        try await HTTPMailDelivery.post(url: url, headers: headers, body: body, client: client, provider: providerName)
    }
}

/// A generic HTTPS webhook: the message as JSON, signed in the Standard Webhooks format as the security events are
/// (`webhook-id` is the message id, the same on every retry, also sent as `Idempotency-Key`; `webhook-timestamp` and
/// `webhook-signature` are the attempt's).
public struct WebhookMailer: Mailer {
    public let url: URL
    let key: [UInt8]
    let client: HTTPClient
    let clock: any WallClock

    /// `secret`: the signing key's bytes (a `whsec_` secret decoded, or the characters of a plain one). The default
    /// client follows no redirect: the body holds the code and links, and must not be re-posted to another address.
    public init(url: URL, secret: [UInt8], client: HTTPClient = HTTPMailDelivery.withoutRedirects, clock: any WallClock = SystemWallClock()) {
        (self.url, self.key, self.client, self.clock) = (url, secret, client, clock)
    }

    struct Payload: Encodable {
        let id: String
        let to: String
        let subject: String
        let text: String
        let html: String?
        let reply_to: String?
        let from_name: String?
    }

    public var providerName: String { "webhook:\(url.host ?? "")" }

    public func send(_ message: EmailMessage, id: String) async throws {
        let body = try JSONText.encode(Payload(id: id, to: message.to, subject: message.subject, text: message.text,
                                               html: message.html, reply_to: message.replyTo, from_name: message.fromName))
        var headers = WebhookSignature.headers(id: id, timestamp: clock.now(), body: body, keys: [key])
        headers["content-type"] = "application/json"
        headers["idempotency-key"] = id
        try await HTTPMailDelivery.post(url: url, headers: headers, body: Array(body.utf8), client: client, provider: providerName)
    }
}

/// One POST of a message to an HTTP mail provider; anything but a 2xx answer within 15 seconds is a failure to retry.
public enum HTTPMailDelivery {
    /// The mail webhook's client: the timeouts of the shared client's requests here, and no redirect followed.
    public static let withoutRedirects = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(10), read: .seconds(15))))

    static func post(url: URL, headers: [String: String], body: [UInt8], client: HTTPClient, provider: String) async throws {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .seconds(15))
        guard (200..<300).contains(response.status.code) else {
            let detail = String(buffer: try await response.body.collect(upTo: 2048))
            throw HTTPMailError(provider: provider, status: Int(response.status.code), detail: String(detail.prefix(300)))
        }
        _ = try await response.body.collect(upTo: 64 * 1024)
    }
}

public struct HTTPMailError: Error, CustomStringConvertible {
    public let provider: String
    public let status: Int
    public let detail: String

    public init(provider: String, status: Int, detail: String) {
        (self.provider, self.status, self.detail) = (provider, status, detail)
    }

    public var description: String { "\(provider) answered \(status): \(detail)" }
}

/// Sends through `primary`, and through `fallback` when the primary fails.
public struct FailoverMailer: Mailer {
    public let primary: any Mailer
    public let fallback: (any Mailer)?

    public init(primary: any Mailer, fallback: (any Mailer)?) {
        (self.primary, self.fallback) = (primary, fallback)
    }

    public var providerName: String { [primary.providerName, fallback?.providerName].compactMap { $0 }.joined(separator: ", then ") }

    public func send(_ message: EmailMessage, id: String) async throws {
        _ = try await deliver(message, id: id)
    }

    public func deliver(_ message: EmailMessage, id: String) async throws -> String {
        do {
            return try await primary.deliver(message, id: id)
        } catch {
            guard let fallback else { throw error }
            do {
                return try await fallback.deliver(message, id: id)
            } catch let second {
                throw FailoverError(primary: "\(primary.providerName): \(error)", fallback: "\(fallback.providerName): \(second)")
            }
        }
    }
}

public struct FailoverError: Error, CustomStringConvertible {
    public let primary: String
    public let fallback: String
    public var description: String { "both providers failed; \(primary); \(fallback)" }
}
