import Dispatch
import Hummingbird
import HummingbirdTesting
@testable import LogintooApp
import NIOPosix
import Testing

@Suite("HTTP server on the event loops")
struct EventLoopServerTests {
    @Test("a request is handled on an event loop, and comes back to it after awaiting work resumed by another thread")
    func handledOnEventLoop() async throws {
        let router = Router()
        router.get("/where") { _, _ -> String in
            let before = MultiThreadedEventLoopGroup.currentEventLoop.map { "\(ObjectIdentifier($0))" } ?? "none"
            await withCheckedContinuation { resumed in DispatchQueue.global().async { resumed.resume() } }
            try await Task.sleep(for: .milliseconds(1))
            let after = MultiThreadedEventLoopGroup.currentEventLoop.map { "\(ObjectIdentifier($0))" } ?? "none"
            return "\(before) \(after)"
        }
        let app = Application(router: router, server: .http1OnEventLoops(),
                              configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            for _ in 0..<3 {
                let response = try await client.execute(uri: "/where", method: .get)
                let loops = String(buffer: response.body).split(separator: " ")
                #expect(response.status == .ok)
                #expect(loops.count == 2 && loops[0] != "none" && loops[0] == loops[1], "\(loops)")
            }
        }
    }
}
