import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `logintoo health`: asks a running server's `/healthz` on this machine, for container health checks that need no curl.
struct HealthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health", abstract: "Exit 0 when the server on this machine answers /healthz with 200, else 1.")
    @Option(help: "The server's loopback address and port.") var address = "127.0.0.1:8080"
    @Option(help: "Seconds to wait for the answer (1 to 30).") var timeout = 2

    func run() throws {
        guard (1...30).contains(timeout) else { throw ValidationError("--timeout must be 1 to 30 seconds") }
        let parts = address.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1]), parts[0] == "127.0.0.1" || parts[0] == "localhost" else {
            throw ValidationError("--address must be 127.0.0.1:PORT")
        }
        let status = try HealthProbe.status(port: port, timeout: timeout)
        guard status == 200 else {
            print("unhealthy: /healthz answered \(status.map(String.init) ?? "nothing")")
            throw ExitCode.failure
        }
        print("healthy")
    }
}

/// One plain HTTP/1.0 request to `/healthz` on the loopback address; the answer's status code, `nil` without one.
enum HealthProbe {
    static func status(port: UInt16, timeout: Int) throws -> Int? {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { return nil }
        defer { close(socket) }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var peer = sockaddr_in()
        peer.sin_family = sa_family_t(AF_INET)
        peer.sin_port = port.bigEndian
        peer.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &peer) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let request = Array("GET /healthz HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard send(socket, request, request.count, 0) == request.count else { return nil }
        var buffer = [UInt8](repeating: 0, count: 64)
        let read = recv(socket, &buffer, buffer.count, 0)
        guard read > 12 else { return nil }
        // "HTTP/1.1 200 OK": the status is the three digits after the first space.
        let head = String(decoding: buffer[0..<read], as: UTF8.self)
        guard head.hasPrefix("HTTP/"), let space = head.firstIndex(of: " ") else { return nil }
        return Int(head[head.index(after: space)...].prefix(3))
    }
}
