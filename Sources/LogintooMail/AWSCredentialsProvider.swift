import Foundation

/// Where a request to AWS gets the credentials it is signed with, at the moment it is signed: fixed keys, or
/// temporary ones from a role that are fetched and renewed as they expire.
public protocol AWSCredentialsProvider: Sendable {
    /// Which source the credentials come from, for logs and error messages (names the setting that chose it).
    var sourceName: String { get }

    /// Credentials valid now; throws `AWSCredentialsError` when the source cannot give any.
    func current() async throws -> AWSSignatureV4.Credentials
}

/// Fixed keys (from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`) are their own provider.
extension AWSSignatureV4.Credentials: AWSCredentialsProvider {
    public var sourceName: String { "the environment (AWS_ACCESS_KEY_ID)" }

    public func current() async throws -> AWSSignatureV4.Credentials { self }
}

/// Credentials of a role, valid until `expiration` (Unix seconds; `nil`: the source gave no end).
public struct AWSTemporaryCredentials: Sendable, Equatable {
    public var credentials: AWSSignatureV4.Credentials
    public var expiration: Int64?

    public init(credentials: AWSSignatureV4.Credentials, expiration: Int64?) {
        (self.credentials, self.expiration) = (credentials, expiration)
    }

    /// Whether they may still sign a request at `now`.
    public func isValid(at now: Int64) -> Bool { expiration.map { now < $0 } ?? true }
}

/// A place that hands out temporary credentials on request: STS for a web identity, the ECS container endpoint,
/// or the EC2 instance metadata service.
public protocol AWSTemporaryCredentialsSource: Sendable {
    /// Which source this is, naming the setting that chose it.
    var name: String { get }

    /// Fetches fresh credentials over the network; throws `AWSCredentialsError`.
    func fetch() async throws -> AWSTemporaryCredentials
}

/// A failure to get credentials from one source, with what to check.
public struct AWSCredentialsError: Error, Equatable, CustomStringConvertible {
    /// The source, as `AWSTemporaryCredentialsSource.name` gives it.
    public let source: String
    public let reason: String

    public init(source: String, reason: String) {
        (self.source, self.reason) = (source, reason)
    }

    public var description: String { "no AWS credentials from \(source): \(reason)" }
}
