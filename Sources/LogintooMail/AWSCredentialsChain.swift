import AsyncHTTPClient
import Foundation
import LogintooCore

/// Chooses, once at startup and from the environment alone (no network), where the credentials for AWS requests come
/// from, in the AWS SDKs' order: keys in the environment, a web identity, the ECS container endpoint, the EC2
/// instance metadata service (docs/deploy-aws.md, "Mail credentials").
public enum AWSCredentialsChain {
    /// The container credentials endpoint of ECS, which `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is relative to.
    static let ecsEndpoint = "http://169.254.170.2"
    /// The instance metadata service, unless `AWS_EC2_METADATA_SERVICE_ENDPOINT` names another.
    static let instanceMetadataEndpoint = "http://169.254.169.254"
    /// The hosts `AWS_CONTAINER_CREDENTIALS_FULL_URI` may name: the machine itself, ECS, and EKS Pod Identity.
    static let containerHosts: Set<String> = ["localhost", "::1", "169.254.170.2", "169.254.170.23", "fd00:ec2::23"]

    /// The provider for `environment`. `region` (the SES region) picks the STS endpoint unless `AWS_REGION` or
    /// `AWS_DEFAULT_REGION` is set; `onEC2` (see `EC2Host`) lets the instance metadata service serve without
    /// `AWS_EC2_METADATA_SERVICE_ENDPOINT`. Temporary credentials are renewed by `clock`.
    public static func provider(environment: [String: String], region: String, onEC2: Bool, clock: any WallClock,
                                client: HTTPClient = .shared) throws(AWSCredentialsSetupError) -> any AWSCredentialsProvider {
        let value = { (name: String) -> String? in environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        if let keys = try keys(value) { return keys }
        let source: any AWSTemporaryCredentialsSource
        if let webIdentity = try webIdentity(value, region: region, clock: clock, client: client) {
            source = webIdentity
        } else if let container = try container(value, client: client) {
            source = container
        } else if let metadata = try instanceMetadata(value, onEC2: onEC2, client: client) {
            source = metadata
        } else {
            throw AWSCredentialsSetupError(
                "none are configured; give AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN), or "
                    + "AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (web identity), or AWS_CONTAINER_CREDENTIALS_RELATIVE_URI "
                    + "or AWS_CONTAINER_CREDENTIALS_FULL_URI (ECS task role), or run on EC2 with an instance profile "
                    + "(IMDSv2; AWS_EC2_METADATA_SERVICE_ENDPOINT names the service elsewhere)")
        }
        return CachedAWSCredentialsProvider(source: source, clock: clock)
    }

    static func keys(_ value: (String) -> String?) throws(AWSCredentialsSetupError) -> AWSSignatureV4.Credentials? {
        switch (value("AWS_ACCESS_KEY_ID"), value("AWS_SECRET_ACCESS_KEY")) {
        case (nil, nil):
            return nil
        case (let id?, let secret?):
            return AWSSignatureV4.Credentials(accessKeyId: id, secretAccessKey: secret, sessionToken: value("AWS_SESSION_TOKEN"))
        case (nil, _):
            throw AWSCredentialsSetupError("AWS_SECRET_ACCESS_KEY is set without AWS_ACCESS_KEY_ID")
        case (_, nil):
            throw AWSCredentialsSetupError("AWS_ACCESS_KEY_ID is set without AWS_SECRET_ACCESS_KEY")
        }
    }

    static func webIdentity(_ value: (String) -> String?, region: String, clock: any WallClock,
                            client: HTTPClient) throws(AWSCredentialsSetupError) -> WebIdentityCredentialsSource? {
        guard let tokenFile = value("AWS_WEB_IDENTITY_TOKEN_FILE") else { return nil }
        guard let roleArn = value("AWS_ROLE_ARN") else {
            throw AWSCredentialsSetupError("AWS_WEB_IDENTITY_TOKEN_FILE is set without AWS_ROLE_ARN, the role to assume")
        }
        let setting = value("AWS_ENDPOINT_URL_STS") != nil ? "AWS_ENDPOINT_URL_STS" : "AWS_ENDPOINT_URL"
        let stsRegion = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") ?? region
        let endpoint = try url(value(setting) ?? "https://sts.\(stsRegion).amazonaws.com", setting: setting)
        return WebIdentityCredentialsSource(tokenFile: tokenFile, roleArn: roleArn,
                                            sessionName: value("AWS_ROLE_SESSION_NAME") ?? "logintoo-\(clock.now())",
                                            endpoint: endpoint, client: client)
    }

    static func container(_ value: (String) -> String?, client: HTTPClient) throws(AWSCredentialsSetupError) -> ContainerCredentialsSource? {
        let endpoint: URL
        let setting: String
        if let relative = value("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            setting = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
            guard relative.hasPrefix("/") else { throw AWSCredentialsSetupError("\(setting) must start with /") }
            endpoint = try url(ecsEndpoint + relative, setting: setting)
        } else if let full = value("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
            setting = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
            endpoint = try url(full, setting: setting)
            let host = (endpoint.host ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
            guard containerHosts.contains(host) || IPAddress.isLoopback(host: host) else {
                throw AWSCredentialsSetupError("\(setting) must name this machine (127.0.0.1, ::1, localhost) or the ECS or "
                                                   + "EKS credentials endpoint (169.254.170.2, 169.254.170.23, fd00:ec2::23)")
            }
        } else {
            return nil
        }
        let authorization: ContainerCredentialsSource.Authorization? =
            value("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE").map { .file($0) } ?? value("AWS_CONTAINER_AUTHORIZATION_TOKEN").map { .token($0) }
        return ContainerCredentialsSource(url: endpoint, authorization: authorization, setting: setting, client: client)
    }

    static func instanceMetadata(_ value: (String) -> String?, onEC2: Bool,
                                 client: HTTPClient) throws(AWSCredentialsSetupError) -> InstanceMetadataCredentialsSource? {
        if value("AWS_EC2_METADATA_DISABLED")?.lowercased() == "true" { return nil }
        let setting = "AWS_EC2_METADATA_SERVICE_ENDPOINT"
        if let configured = value(setting) {
            return InstanceMetadataCredentialsSource(endpoint: try url(configured, setting: setting), setting: setting, client: client)
        }
        guard onEC2 else { return nil }
        return InstanceMetadataCredentialsSource(endpoint: try url(instanceMetadataEndpoint, setting: setting), setting: nil, client: client)
    }

    static func url(_ text: String, setting: String) throws(AWSCredentialsSetupError) -> URL {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""), url.host?.isEmpty == false else {
            throw AWSCredentialsSetupError("\(setting) must be an http(s) URL, not \(text)")
        }
        return url
    }
}

/// The environment asks for AWS credentials in a way that cannot work; the message names the variables to fix.
public struct AWSCredentialsSetupError: Error, Equatable, CustomStringConvertible {
    public let message: String

    public init(_ message: String) { self.message = message }

    public var description: String { message }
}
