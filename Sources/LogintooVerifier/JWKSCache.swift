import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// Where the issuer's keys come from.
public protocol JWKSSource: Sendable {
    /// The JWKS document, and for how long it may be cached (from `Cache-Control: max-age`), if the source says.
    func fetch() async throws -> (document: Data, maxAge: Int?)
}

/// The JWKS over HTTPS with AsyncHTTPClient.
public struct HTTPJWKSSource: JWKSSource {
    public let url: String
    let client: HTTPClient

    public init(url: String, client: HTTPClient = .shared) {
        self.url = url
        self.client = client
    }

    public func fetch() async throws -> (document: Data, maxAge: Int?) {
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
        guard response.status == .ok else { throw VerifierError.jwksUnavailable("the JWKS answered \(response.status.code)") }
        let body = try await response.body.collect(upTo: 1 << 20)
        return (Data(buffer: body), Self.maxAge(response.headers["Cache-Control"].first))
    }

    /// `max-age` of a `Cache-Control` value; `no-store` and `no-cache` mean zero.
    public static func maxAge(_ cacheControl: String?) -> Int? {
        guard let cacheControl else { return nil }
        var maxAge: Int?
        for directive in cacheControl.lowercased().split(separator: ",") {
            let parts = directive.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if parts.first == "no-store" || parts.first == "no-cache" { return 0 }
            if parts.first == "max-age", parts.count == 2 { maxAge = Int(parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))) }
        }
        return maxAge
    }
}

/// The issuer's keys, cached for as long as the issuer allows; refetched on an unknown `kid` at most once per
/// `unknownKeyInterval`; and still served while the issuer cannot be reached.
public actor JWKSCache {
    let source: any JWKSSource
    let now: @Sendable () -> Date
    let defaultLifetime: Int
    let unknownKeyInterval: TimeInterval
    private var keys: [String: VerificationKey] = [:]
    private var freshUntil = Date.distantPast
    private var lastUnknownKeyFetch: Date?

    /// - Parameters:
    ///   - defaultLifetime: seconds to cache the keys when the response does not say (bounded to 1 minute…1 day).
    ///   - unknownKeyInterval: the least time between two fetches caused by an unknown `kid`.
    public init(source: any JWKSSource, defaultLifetime: Int = 300, unknownKeyInterval: TimeInterval = 60,
                now: @escaping @Sendable () -> Date = Date.init) {
        self.source = source
        self.defaultLifetime = defaultLifetime
        self.unknownKeyInterval = unknownKeyInterval
        self.now = now
    }

    /// The key for `kid`, fetching the JWKS when the cache is stale or, rate-limited, when the `kid` is unknown.
    public func key(kid: String) async -> VerificationKey? {
        let current = now()
        if current >= freshUntil {
            await refresh(at: current)
        } else if keys[kid] == nil, mayRefetchForUnknownKey(at: current) {
            lastUnknownKeyFetch = current
            await refresh(at: current)
        }
        return keys[kid]
    }

    func mayRefetchForUnknownKey(at current: Date) -> Bool {
        guard let last = lastUnknownKeyFetch else { return true }
        return current.timeIntervalSince(last) >= unknownKeyInterval
    }

    /// Fetches the keys; on failure the cached ones stay in use and the next try waits for the unknown-key interval.
    func refresh(at current: Date) async {
        do {
            let (document, maxAge) = try await source.fetch()
            keys = try VerificationKey.keys(fromJWKS: document)
            let lifetime = min(max(maxAge ?? defaultLifetime, 60), 86_400)
            freshUntil = current.addingTimeInterval(TimeInterval(lifetime))
        } catch {
            freshUntil = current.addingTimeInterval(unknownKeyInterval)
        }
    }
}
