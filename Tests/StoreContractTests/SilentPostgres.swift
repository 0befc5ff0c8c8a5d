import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL server on 127.0.0.1 that stops answering, as a stopped process or a cut network looks to its clients.
/// It accepts connections; with `answersStartup`, it completes their startup (trust authentication, then "ready for
/// query") and afterwards reads whatever comes without ever replying; without, it never replies at all.
final class SilentPostgres: Sendable {
    let port: Int
    private let listener: Int32
    private let clients = Mutex<Set<Int32>>([])
    /// Bytes received after the startup, from every connection: a statement sent and waiting for its answer.
    let bytesAfterStartup = Atomic<Int>(0)
    /// Connections the client closed.
    let closedByClient = Atomic<Int>(0)

    init(answersStartup: Bool) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(listener, socketAddress, length) == 0 && listen(listener, 16) == 0
                    && getsockname(listener, socketAddress, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw POSIXError(.EADDRNOTAVAIL)
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in acceptConnections(answersStartup: answersStartup) }
    }

    /// Stops listening and hangs up every connection.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        for client in clients.withLock({ $0 }) { shutdown(client, Int32(SHUT_RDWR)) }
    }

    private func acceptConnections(answersStartup: Bool) {
        while true {
            let client = accept(listener, nil, nil)
            guard client >= 0 else { return }
            clients.withLock { _ = $0.insert(client) }
            Thread.detachNewThread { [self] in serve(client, answersStartup: answersStartup) }
        }
    }

    private func serve(_ client: Int32, answersStartup: Bool) {
        defer {
            clients.withLock { _ = $0.remove(client) }
            close(client)
        }
        if answersStartup {
            guard let length = read(exactly: 4, from: client).map(Self.int32), read(exactly: Int(length) - 4, from: client) != nil,
                  write(Self.startupAnswer, to: client) else { return }
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(client, $0.baseAddress, $0.count, 0) }
            guard count > 0 else {
                if count == 0 { closedByClient.add(1, ordering: .relaxed) }
                return
            }
            if answersStartup { bytesAfterStartup.add(count, ordering: .relaxed) }
        }
    }

    /// AuthenticationOk, BackendKeyData, ReadyForQuery (idle).
    static let startupAnswer: [UInt8] = [UInt8(ascii: "R"), 0, 0, 0, 8, 0, 0, 0, 0]
        + [UInt8(ascii: "K"), 0, 0, 0, 12, 0, 0, 0, 1, 0, 0, 0, 2]
        + [UInt8(ascii: "Z"), 0, 0, 0, 5, UInt8(ascii: "I")]

    static func int32(_ bytes: [UInt8]) -> Int32 {
        bytes.reduce(0) { $0 << 8 | Int32($1) }
    }

    private func read(exactly count: Int, from client: Int32) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { recv(client, $0.baseAddress! + filled, count - filled, 0) }
            guard got > 0 else { return nil }
            filled += got
        }
        return bytes
    }

    private func write(_ bytes: [UInt8], to client: Int32) -> Bool {
        bytes.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) == $0.count }
    }
}
