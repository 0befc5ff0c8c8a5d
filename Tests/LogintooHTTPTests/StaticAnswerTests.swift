import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
import NIOCore
import Testing

@Suite("Discovery and JWKS as static answers")
struct StaticAnswerTests {
    static let metadataPaths = ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"]
    static let jwksPaths = ["/.well-known/jwks.json", "/2026-06/jwks"]

    @Test("each answer has a strong ETag, the same at every address of the document and on every request")
    func stableETag() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
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
          arguments: ["TAG", "W/TAG", "\"other\", TAG", "\"other\",W/TAG ", "*"])
    func notModified(condition: String) async throws {
        let server = try await TestServer.make()
        try await server.test { client in
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

    @Test("If-None-Match naming another answer gets the whole document")
    func modified() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let full = try await client.execute(uri: Self.jwksPaths[0], method: .get)
            let tag = try #require(full.headers[.eTag])
            for stale in ["\"stale\"", "W/\"stale\"", String(tag.dropLast()) + "x\"", "\"\(tag)\""] {
                let response = try await client.execute(uri: Self.jwksPaths[0], method: .get, headers: [.ifNoneMatch: stale])
                #expect(response.status == .ok, "\(stale)")
                #expect(response.body == full.body)
            }
        }
    }

    @Test("a key rotation changes the JWKS's ETag, once, and a cache holding the old one gets the new keys")
    func rotationChangesTheJWKSTag() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
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

    @Test("static answers are counted by route and status, and carry no request id as they write no log line")
    func countedWithoutRequestID() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
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

    @Test("the preflights of the static answers still answer")
    func preflight() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            for path in Self.metadataPaths + Self.jwksPaths {
                let response = try await client.execute(uri: path, method: .options, headers: [
                    .origin: "https://site.example.com", .accessControlRequestMethod: "GET"])
                #expect(response.status == .noContent, "\(path)")
                #expect(response.headers[.accessControlAllowOrigin] != nil)
            }
        }
    }
}
