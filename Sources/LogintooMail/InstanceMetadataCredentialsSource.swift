import AsyncHTTPClient
import Foundation
import NIOCore

/// The EC2 instance's role through the instance metadata service, version 2 only: a session token from a PUT, then
/// the role's name and its credentials document with that token (docs/deploy-aws.md, "Mail credentials").
public struct InstanceMetadataCredentialsSource: AWSTemporaryCredentialsSource {
    /// The service, such as `http://169.254.169.254`.
    public let endpoint: URL
    public let name: String
    let client: HTTPClient
    /// The metadata service answers within milliseconds on an instance; anything slower means it is not there.
    static let timeout: TimeAmount = .seconds(1)
    /// How long the session token lives: it is used at once, for the next two requests only.
    static let tokenLifetime = 60

    public init(endpoint: URL, setting: String?, client: HTTPClient = .shared) {
        (self.endpoint, self.client) = (endpoint, client)
        name = "the EC2 instance metadata service \(endpoint.absoluteString)" + (setting.map { " (\($0))" } ?? "")
    }

    public func fetch() async throws -> AWSTemporaryCredentials {
        let base = endpoint.absoluteString.hasSuffix("/") ? String(endpoint.absoluteString.dropLast()) : endpoint.absoluteString
        var tokenRequest = HTTPClientRequest(url: base + "/latest/api/token")
        tokenRequest.method = .PUT
        tokenRequest.headers.add(name: "X-aws-ec2-metadata-token-ttl-seconds", value: String(Self.tokenLifetime))
        let token = try await text(of: tokenRequest)
        let roles = base + "/latest/meta-data/iam/security-credentials/"
        let role = try await text(of: get(roles, token: token)).split(whereSeparator: \.isNewline).first
            .map { String($0).trimmingCharacters(in: .whitespaces) } ?? ""
        guard !role.isEmpty else {
            throw AWSCredentialsError(source: name, reason: "the instance has no IAM role: attach an instance profile")
        }
        let document = try await text(of: get(roles + AWSSignatureV4.encode(role), token: token))
        return try AWSCredentialsDocument.parse(document, source: name)
    }

    private func get(_ url: String, token: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .GET
        request.headers.add(name: "X-aws-ec2-metadata-token", value: token)
        return request
    }

    private func text(of request: HTTPClientRequest) async throws -> String {
        try await AWSCredentialsHTTP.text(of: request, client: client, timeout: Self.timeout, source: name)
    }
}
