import AsyncHTTPClient
import Foundation
import NIOCore

/// A role assumed with a web identity token (EKS service accounts, other OIDC platforms): STS
/// `AssumeRoleWithWebIdentity`, an unsigned form POST whose XML answer holds the role's credentials.
public struct WebIdentityCredentialsSource: AWSTemporaryCredentialsSource {
    /// `AWS_WEB_IDENTITY_TOKEN_FILE`, read at each fetch because the platform rotates it.
    public let tokenFile: String
    public let roleArn: String
    public let sessionName: String
    /// STS, such as `https://sts.eu-west-1.amazonaws.com`.
    public let endpoint: URL
    public let name: String
    let client: HTTPClient

    public init(tokenFile: String, roleArn: String, sessionName: String, endpoint: URL, client: HTTPClient = .shared) {
        (self.tokenFile, self.roleArn, self.sessionName, self.endpoint, self.client) = (tokenFile, roleArn, sessionName, endpoint, client)
        name = "STS AssumeRoleWithWebIdentity at \(endpoint.absoluteString) for \(roleArn) (AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN)"
    }

    public func fetch() async throws -> AWSTemporaryCredentials {
        let form = [("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleArn),
                    ("RoleSessionName", sessionName), ("WebIdentityToken", try webIdentityToken())]
            .map { "\(AWSSignatureV4.encode($0.0))=\(AWSSignatureV4.encode($0.1))" }.joined(separator: "&")
        var request = HTTPClientRequest(url: endpoint.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded; charset=utf-8")
        request.body = .bytes(ByteBuffer(string: form))
        let answer: String
        do {
            answer = try await AWSCredentialsHTTP.text(of: request, client: client, source: name)
        } catch let error as AWSCredentialsError {
            throw explained(error)
        }
        return try Self.parse(answer, source: name)
    }

    func webIdentityToken() throws -> String {
        guard let data = FileManager.default.contents(atPath: tokenFile), let text = String(data: data, encoding: .utf8) else {
            throw AWSCredentialsError(source: name, reason: "AWS_WEB_IDENTITY_TOKEN_FILE \(tokenFile) cannot be read")
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else { throw AWSCredentialsError(source: name, reason: "AWS_WEB_IDENTITY_TOKEN_FILE \(tokenFile) is empty") }
        return token
    }

    /// STS refusals are XML documents; their code and message say more than the raw text.
    private func explained(_ error: AWSCredentialsError) -> AWSCredentialsError {
        guard let code = XMLText.element("Code", in: error.reason) else { return error }
        let message = XMLText.element("Message", in: error.reason) ?? ""
        return AWSCredentialsError(source: name, reason: "STS refused: \(code): \(message)")
    }

    /// The `Credentials` element of an `AssumeRoleWithWebIdentityResponse`.
    static func parse(_ answer: String, source: String) throws -> AWSTemporaryCredentials {
        guard let credentials = XMLText.element("Credentials", in: answer),
              let id = XMLText.element("AccessKeyId", in: credentials), !id.isEmpty,
              let secret = XMLText.element("SecretAccessKey", in: credentials), !secret.isEmpty,
              let token = XMLText.element("SessionToken", in: credentials), !token.isEmpty
        else {
            // Never the answer itself: one that nearly parses holds the keys.
            throw AWSCredentialsError(source: source, reason: "the answer (\(answer.utf8.count) bytes) holds no complete credentials")
        }
        guard let text = XMLText.element("Expiration", in: credentials), let expiration = AWSCredentialsHTTP.unixSeconds(iso8601: text) else {
            throw AWSCredentialsError(source: source, reason: "the answer's credentials have no ISO 8601 Expiration")
        }
        return AWSTemporaryCredentials(credentials: .init(accessKeyId: id, secretAccessKey: secret, sessionToken: token),
                                       expiration: expiration)
    }
}
