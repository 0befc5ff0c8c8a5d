import AsyncHTTPClient
import Foundation
import NIOCore

/// The one HTTP exchange every credentials source makes, with a short deadline; any failure becomes an
/// `AWSCredentialsError` that names the source, the request and what went wrong (never the secret it carried).
enum AWSCredentialsHTTP {
    /// How long one request to a remote credentials service (STS) may take, connection included: the client keeps
    /// trying to connect until then.
    static let timeout: TimeAmount = .seconds(5)
    /// The most an answer may hold: a credentials document is a few kilobytes.
    static let answerLimit = 64 * 1024

    static func text(of request: HTTPClientRequest, client: HTTPClient, timeout: TimeAmount = timeout,
                     source: String) async throws -> String {
        let what = "\(request.method.rawValue) \(request.url)"
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await client.execute(request, timeout: timeout)
            body = try await response.body.collect(upTo: answerLimit)
        } catch {
            throw AWSCredentialsError(source: source, reason: "\(what) failed: \(error)")
        }
        let text = String(buffer: body)
        guard (200..<300).contains(response.status.code) else {
            throw AWSCredentialsError(source: source, reason: "\(what) answered \(response.status.code): \(text.prefix(300))")
        }
        return text
    }

    /// `2026-12-06T10:00:00Z`, with or without fractional seconds, as Unix seconds.
    static func unixSeconds(iso8601 text: String) -> Int64? {
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return Int64(date.timeIntervalSince1970) }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text).map { Int64($0.timeIntervalSince1970) }
    }
}

/// The JSON document the ECS container endpoint and the EC2 instance metadata service both answer with.
struct AWSCredentialsDocument: Decodable {
    let AccessKeyId: String?
    let SecretAccessKey: String?
    let Token: String?
    let Expiration: String?
    /// Instance metadata only: `Success`, or why there are no credentials.
    let Code: String?
    let Message: String?

    static func parse(_ text: String, source: String) throws -> AWSTemporaryCredentials {
        let document: AWSCredentialsDocument
        do {
            document = try JSONDecoder().decode(AWSCredentialsDocument.self, from: Data(text.utf8))
        } catch {
            // Never the answer itself: a document that nearly parses holds the keys.
            throw AWSCredentialsError(source: source, reason: "the answer (\(text.utf8.count) bytes) is not a credentials document")
        }
        if let code = document.Code, code != "Success" {
            throw AWSCredentialsError(source: source, reason: "the answer says \(code): \(document.Message ?? "")")
        }
        guard let id = document.AccessKeyId, !id.isEmpty, let secret = document.SecretAccessKey, !secret.isEmpty else {
            throw AWSCredentialsError(source: source, reason: "the answer has no AccessKeyId and SecretAccessKey")
        }
        var expiration: Int64?
        if let text = document.Expiration {
            guard let seconds = AWSCredentialsHTTP.unixSeconds(iso8601: text) else {
                throw AWSCredentialsError(source: source, reason: "the answer's Expiration \(text) is not an ISO 8601 time")
            }
            expiration = seconds
        }
        let token = document.Token.flatMap { $0.isEmpty ? nil : $0 }
        return AWSTemporaryCredentials(credentials: .init(accessKeyId: id, secretAccessKey: secret, sessionToken: token),
                                       expiration: expiration)
    }
}
