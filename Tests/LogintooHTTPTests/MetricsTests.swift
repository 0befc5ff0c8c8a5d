import Foundation
import HTTPTypes
import HummingbirdTesting
import LogintooCore
import NIOCore
import Testing

@Suite("Prometheus metrics")
struct MetricsTests {
    @Test("requests by route, the sign-in funnel, emails, tokens by grant, refresh reuse and the outbox depth")
    func counts() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            let browser = Browser(client)
            let redirect = try await browser.signIn(server)
            let exchanged = try json(try await browser.post("/token", form: [
                ("grant_type", "authorization_code"), ("code", try #require(queryItems(redirect)["code"])),
                ("redirect_uri", server.publicClient.redirectURIs[0]), ("client_id", server.publicClient.id),
                ("code_verifier", TestServer.verifier)]))
            let first = try #require(exchanged["refresh_token"] as? String)
            let refresh = [("grant_type", "refresh_token"), ("client_id", server.publicClient.id), ("refresh_token", first)]
            _ = try await browser.post("/token", form: refresh)
            server.clock.advance(by: 11)
            _ = try await browser.post("/token", form: refresh)

            let response = try await client.execute(uri: "/metrics", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = String(buffer: response.body)
            for line in [
                #"logintoo_sign_ins_total{stage="started"} 1"#,
                #"logintoo_sign_ins_total{stage="completed"} 1"#,
                #"logintoo_emails_total{outcome="sent"} 1"#,
                #"logintoo_tokens_issued_total{grant="authorization_code"} 1"#,
                #"logintoo_tokens_issued_total{grant="refresh_token"} 1"#,
                "logintoo_refresh_token_reuse_total 1",
                "logintoo_outbox_depth_messages 0",
                #"logintoo_http_requests_total{route="/token",method="POST",status="400"} 1"#,
                #"logintoo_http_requests_total{route="/token",method="POST",status="200"} 2"#,
            ] {
                #expect(text.contains(line), "\(line)")
            }
            #expect(text.contains(#"logintoo_http_request_duration_seconds_bucket{route="/authorize",le="#))
            #expect(!text.contains("route=\"/login?"), "routes are patterns, never raw paths")
        }
    }
}
