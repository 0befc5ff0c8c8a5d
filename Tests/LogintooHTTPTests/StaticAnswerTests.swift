import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
@testable import LogintooHTTP
import NIOCore
import Testing

/// Each test runs against the router alone, and over a live connection whose pipeline answers these paths itself
/// (`StaticAnswerHandler`, as `logintoo serve` runs).
@Suite("Discovery and JWKS as static answers")
struct StaticAnswerTests {
    static let metadataPaths = ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"]
    static let jwksPaths = ["/.well-known/jwks.json", "/2026-06/jwks"]

    @Test("each answer has a strong ETag, the same at every address of the document and on every request", arguments: [false, true])
    func stableETag(live: Bool) async throws {
        let server = try await TestServer.make()
        try await server.test(live: live) { client in
            for paths in [Self.metadataPaths, Self.jwksPaths] {
                var tags: Set<String> = []
                for path in paths + paths {
                    let response = try await client.execute(uri: path, method: .get)
                    #expect(response.status == .ok)
                    let tag = try #require(response.headers[.eTag])
                    #expect(tag.hasPrefix("\"") && tag.hasSuffix("\"") && tag.count > 2, "strong, quoted")
                    #expect(response.headers[.cacheControl] == "public, max-age=300")
                    #expect(response.headers[.accessControlAllowOrigin] == "*")
                    #expect(response.headers[.contentLength] == String(response.body.readableBytes))
                    if live {
                        let now = Int64(Date().timeIntervalSince1970)
                        #expect([now - 1, now, now + 1].map(HTTPDate.format).contains(try #require(response.headers[.date])))
                    }
                    tags.insert(tag)
                }
                #expect(tags.count == 1)
            }
            let metadata = try await client.execute(uri: Self.metadataPaths[0], method: .get)
            let jwks = try await client.execute(uri: Self.jwksPaths[0], method: .get)
            #expect(metadata.headers[.eTag] != jwks.headers[.eTag])
            #expect(metadata.headers[.contentType] == "application/json")
            #expect(jwks.headers[.contentType] == "application/jwk-set+json")
        }
    }

    @Test("If-None-Match naming the answer gets a 304 without a body but with the caching and CORS headers",
          arguments: ["TAG", "W/TAG", "\"other\", TAG", "\"other\",W/TAG ", "*"], [false, true])
    func notModified(condition: String, live: Bool) async throws {
        let server = try await TestServer.make()
        try await server.test(live: live) { client in
            for path in Self.metadataPaths + Self.jwksPaths {
                let tag = try #require(try await client.execute(uri: path, method: .get).headers[.eTag])
                let value = condition.replacingOccurrences(of: "TAG", with: tag)
                let response = try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: value])
                #expect(response.status == .notModified, "\(path) with \(value)")
                #expect(response.body.readableBytes == 0)
                #expect(response.headers[.eTag] == tag)
                #expect(response.headers[.cacheControl] == "public, max-age=300")
                #expect(response.headers[.accessControlAllowOrigin] == "*")
            }
        }
    }

    @Test("If-None-Match naming another answer gets the whole document", arguments: [false, true])
    func modified(live: Bool) async throws {
        let server = try await TestServer.make()
        try await server.test(live: live) { client in
            let full = try await client.execute(uri: Self.jwksPaths[0], method: .get)
            let tag = try #require(full.headers[.eTag])
            for stale in ["\"stale\"", "W/\"stale\"", String(tag.dropLast()) + "x\"", "\"\(tag)\""] {
                let response = try await client.execute(uri: Self.jwksPaths[0], method: .get, headers: [.ifNoneMatch: stale])
                #expect(response.status == .ok, "\(stale)")
                #expect(response.body == full.body)
            }
        }
    }

    @Test("a key rotation changes the JWKS's ETag, once, and a cache holding the old one gets the new keys", arguments: [false, true])
    func rotationChangesTheJWKSTag(live: Bool) async throws {
        let server = try await TestServer.make()
        try await server.test(live: live) { client in
            let before = try await client.execute(uri: Self.jwksPaths[0], method: .get)
            let oldTag = try #require(before.headers[.eTag])
            let metadataTag = try await client.execute(uri: Self.metadataPaths[0], method: .get).headers[.eTag]
            try await server.context.keys.reload()
            #expect(try await client.execute(uri: Self.jwksPaths[0], method: .get).headers[.eTag] == oldTag,
                    "a reload that changes nothing keeps the tag")

            let next = try await KeyLifecycle.rotate(store: server.store, algorithm: .es256,
                                                     secret: try ServerSecret(bytes: Array(repeating: 9, count: 32)),
                                                     clock: server.clock, random: server.random, delay: 300)
            try await server.context.keys.reload()
            for path in Self.jwksPaths {
                let revalidated = try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: oldTag])
                #expect(revalidated.status == .ok)
                let newTag = try #require(revalidated.headers[.eTag])
                #expect(newTag != oldTag)
                #expect(String(buffer: revalidated.body).contains(next.kid))
                let again = try await client.execute(uri: path, method: .get, headers: [.ifNoneMatch: newTag])
                #expect(again.status == .notModified)
            }
            #expect(try await client.execute(uri: Self.metadataPaths[0], method: .get).headers[.eTag] == metadataTag,
                    "the metadata does not name keys")
        }
    }

    @Test("static answers are counted by route and status, and carry no request id as they write no log line", arguments: [false, true])
    func countedWithoutRequestID(live: Bool) async throws {
        let server = try await TestServer.make()
        try await server.test(live: live) { client in
            let answer = try await client.execute(uri: Self.jwksPaths[1], method: .get)
            #expect(answer.headers[HTTPField.Name("X-Request-Id")!] == nil)
            _ = try await client.execute(uri: Self.jwksPaths[1], method: .get, headers: [.ifNoneMatch: try #require(answer.headers[.eTag])])
            _ = try await client.execute(uri: Self.metadataPaths[1], method: .get)
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.headers[HTTPField.Name("X-Request-Id")!] != nil, "other routes keep theirs")
            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            for line in [
                #"logintoo_http_requests_total{route="/2026-06/jwks",method="GET",status="200"} 1"#,
                #"logintoo_http_requests_total{route="/2026-06/jwks",method="GET",status="304"} 1"#,
                #"logintoo_http_requests_total{route="/.well-known/oauth-authorization-server",method="GET",status="200"} 1"#,
            ] {
                #expect(metrics.contains(line), "\(line)")
            }
            #expect(metrics.contains(#"logintoo_http_request_duration_seconds_count{route="/2026-06/jwks"} 2"#))
        }
    }

    @Test("the Date header is the second in IMF-fixdate, from the calendar arithmetic the email's date line uses")
    func httpDate() {
        let dates: [(Int64, String)] = [
            (0, "Thu, 01 Jan 1970 00:00:00 GMT"), (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
            (1_709_164_800, "Thu, 29 Feb 2024 00:00:00 GMT"), (1_800_000_000, "Fri, 15 Jan 2027 08:00:00 GMT"),
            (4_102_444_799, "Thu, 31 Dec 2099 23:59:59 GMT"), (-86_400, "Wed, 31 Dec 1969 00:00:00 GMT"),
        ]
        for (seconds, text) in dates { #expect(HTTPDate.format(seconds) == text) }
        // The email's date line shares the calendar arithmetic.
        #expect(ReadableTime.utcMinute(1_800_000_000) == "2027-01-15 08:00 UTC")
        #expect(ReadableTime.utcMinute(-60) == "1969-12-31 23:59 UTC")
    }

    @Test("the preflights of the static answers still answer", arguments: [false, true])
    func preflight(live: Bool) async throws {
        let server = try await TestServer.make()
        try await server.test(live: live) { client in
            for path in Self.metadataPaths + Self.jwksPaths {
                let response = try await client.execute(uri: path, method: .options, headers: [
                    .origin: "https://site.example.com", .accessControlRequestMethod: "GET"])
                #expect(response.status == .noContent, "\(path)")
                #expect(response.headers[.accessControlAllowOrigin] != nil)
            }
        }
    }
}
