import AsyncHTTPClient
import Foundation
import NIOCore

/// The ECS task role (or EKS Pod Identity): a GET of the container credentials endpoint, with the authorization
/// token when one is given, answered with a JSON credentials document.
public struct ContainerCredentialsSource: AWSTemporaryCredentialsSource {
    /// Where the `Authorization` header's value comes from.
    public enum Authorization: Sendable, Equatable {
        /// `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
        case token(String)
        /// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`, read at each fetch because the platform rotates it.
        case file(String)
    }

    public let url: URL
    public let authorization: Authorization?
    public let name: String
    let client: HTTPClient
    /// The endpoint is on the task's own link: a slower answer means it is not there.
    static let timeout: TimeAmount = .seconds(2)

    public init(url: URL, authorization: Authorization?, setting: String, client: HTTPClient = .shared) {
        (self.url, self.authorization, self.client) = (url, authorization, client)
        name = "the container credentials endpoint \(url.absoluteString) (\(setting))"
    }

    public func fetch() async throws -> AWSTemporaryCredentials {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .GET
        if let token = try authorizationToken() { request.headers.add(name: "Authorization", value: token) }
        let text = try await AWSCredentialsHTTP.text(of: request, client: client, timeout: Self.timeout, source: name)
        return try AWSCredentialsDocument.parse(text, source: name)
    }

    func authorizationToken() throws -> String? {
        let token: String
        switch authorization {
        case nil:
            return nil
        case .token(let value):
            token = value
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw AWSCredentialsError(source: name, reason: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE \(path) cannot be read")
            }
            token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard !token.contains(where: { $0 == "\r" || $0 == "\n" }) else {
            throw AWSCredentialsError(source: name, reason: "the container authorization token contains a line break")
        }
        return token
    }
}
