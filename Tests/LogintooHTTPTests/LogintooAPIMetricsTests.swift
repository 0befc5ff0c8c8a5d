import Foundation
import HummingbirdTesting
import LogintooCore
import Testing

@Suite("The Logintoo JSON API's sign-in funnel")
struct LogintooAPIMetricsTests {
    let api = LogintooAPITests()

    @Test("a refused code or sign-in at /otp counts as a failed sign-in; a malformed request does not")
    func refusalsCountAsFailedSignIns() async throws {
        let server = try await TestServer.make()
        try await server.test { client in
            #expect(try await api.call(client, .post, "/2026-06/auth", api.authBody(server)).status == .ok)
            let code = try #require(try await server.deliveredCode(to: "ann.lee+news@googlemail.com"))
            let wrong = String(code.dropLast()) + (code.last == "1" ? "2" : "1")
            #expect(try await api.call(client, .post, "/2026-06/otp", api.otpBody(server, otp: wrong)).status == .unauthorized)
            let nobody = api.otpBody(server, otp: code, email: "nobody@example.com")
            #expect(try await api.call(client, .post, "/2026-06/otp", nobody).status == .forbidden)
            #expect(try await api.call(client, .post, "/2026-06/otp", api.otpBody(server, otp: "not digits")).status == .badRequest)

            let metrics = String(buffer: try await client.execute(uri: "/metrics", method: .get).body)
            #expect(metrics.contains(#"logintoo_sign_ins_total{stage="failed"} 2"#), "\(metrics)")
        }
    }
}
