import Foundation
import LogintooCore
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization

/// Delivers mail to an SMTP server over STARTTLS or implicit TLS (clear text only where `SMTPConfiguration.Security`
/// allows it), with AUTH PLAIN or LOGIN.
public struct SMTPMailer: Mailer {
    let configuration: SMTPConfiguration
    let from: String
    let heloName: String
    let timeout: TimeAmount
    /// One TLS context for every message: building one reads the system's trust store, which costs milliseconds.
    let tlsContext = TLSContextOnce()

    public var providerName: String { "smtp:\(configuration.host):\(configuration.port)" }

    public init(configuration: SMTPConfiguration, from: String, heloName: String = "localhost", timeout: TimeAmount = .seconds(30)) {
        self.configuration = configuration
        self.from = from
        self.heloName = heloName
        self.timeout = timeout
    }

    public func send(_ message: EmailMessage, id: String) async throws {
        let tls = try tlsContext.get(makeTLSContext)
        let configuration = self.configuration
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(timeout)
            .connect(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if configuration.security == .implicitTLS {
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: tls, serverHostname: Self.sniName(configuration.host)))
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let domain = from.split(separator: "@").last.map(String.init) ?? heloName
        let data = MIMEMessage.render(message, from: from, id: id, date: Date(), domain: domain)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await channel.executeThenClose { inbound, outbound in
                    var session = SMTPSession(inbound: inbound.makeAsyncIterator(), outbound: outbound)
                    try await converse(&session, channel: channel.channel, tls: tls, message: message, data: data)
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(Int64(timeout.nanoseconds / 1_000_000_000)))
                throw SMTPError.timeout
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    func converse(_ session: inout SMTPSession, channel: any Channel, tls: NIOSSLContext, message: EmailMessage,
                  data: String) async throws {
        try await session.expect(220)
        let extensions = try await secure(&session, channel: channel, tls: tls)
        try await authenticate(&session, extensions: extensions)
        try await session.command("MAIL FROM:<\(Self.address(from))>", expect: 250)
        try await session.command("RCPT TO:<\(message.to)>", expect: 250, 251)
        try await session.command("DATA", expect: 354)
        let stuffed = data.split(separator: "\r\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
        try await session.command(stuffed + "\r\n.", expect: 250)
        _ = try? await session.command("QUIT", expect: 221)
    }

    /// Greets the server and upgrades with STARTTLS as the configuration says; returns the extensions the server
    /// offers on the connection that will carry the credentials and the mail.
    ///
    /// Nothing but EHLO and QUIT is said in clear text when STARTTLS is required or there are credentials, so an
    /// attacker on the path who strips the STARTTLS offer learns neither the password nor the message.
    func secure(_ session: inout SMTPSession, channel: any Channel, tls: NIOSSLContext) async throws -> [String] {
        let extensions = try await session.command("EHLO \(heloName)", expect: 250).lines
        if configuration.security == .implicitTLS { return extensions }
        guard extensions.contains(where: { $0.uppercased() == "STARTTLS" }) else {
            let credentials = configuration.username != nil
            if configuration.security == .startTLSRequired || credentials {
                await session.send("QUIT")
                throw SMTPError.startTLSNotOffered(relay: "\(configuration.host):\(configuration.port)", credentials: credentials)
            }
            return extensions
        }
        try await session.command("STARTTLS", expect: 220)
        // Bytes that came in clear text after the 220 would be read as if they came over TLS (an on-path attacker's
        // forged replies): the conversation ends instead.
        guard session.pending.isEmpty else {
            throw SMTPError.malformedReply("clear text after the STARTTLS reply, before TLS")
        }
        let host = Self.sniName(configuration.host)
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls, serverHostname: host), position: .first)
        }.get()
        return try await session.command("EHLO \(heloName)", expect: 250).lines
    }

    /// AUTH PLAIN, or LOGIN when that is all the server offers; nothing without credentials.
    func authenticate(_ session: inout SMTPSession, extensions: [String]) async throws {
        guard let user = configuration.username, let password = configuration.password else { return }
        let auth = extensions.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased().split(separator: " ") ?? []
        if auth.contains("PLAIN") || !auth.contains("LOGIN") {
            let token = Data("\0\(user)\0\(password)".utf8).base64EncodedString()
            try await session.command("AUTH PLAIN \(token)", expect: 235, redacted: "AUTH PLAIN ****")
        } else {
            try await session.command("AUTH LOGIN", expect: 334)
            try await session.command(Data(user.utf8).base64EncodedString(), expect: 334, redacted: "****")
            try await session.command(Data(password.utf8).base64EncodedString(), expect: 235, redacted: "****")
        }
    }

    func makeTLSContext() throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile = configuration.caFile {
            tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
        }
        return try NIOSSLContext(configuration: tls)
    }

    /// SNI takes host names only, not IP addresses.
    static func sniName(_ host: String) -> String? {
        host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" } ? nil : host
    }

    /// The bare address of `Name <address>` or `address`.
    static func address(_ mailbox: String) -> String {
        if let open = mailbox.lastIndex(of: "<"), let close = mailbox.lastIndex(of: ">"), open < close {
            return String(mailbox[mailbox.index(after: open)..<close])
        }
        return mailbox
    }
}

/// A TLS context made on first use and kept.
final class TLSContextOnce: Sendable {
    private let context = Mutex<NIOSSLContext?>(nil)

    func get(_ make: () throws -> NIOSSLContext) throws -> NIOSSLContext {
        try context.withLock { context in
            if let context { return context }
            let made = try make()
            context = made
            return made
        }
    }
}

/// One SMTP conversation: commands out, multi-line replies in.
struct SMTPSession {
    var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    var pending = ""

    init(inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.inbound = inbound
        self.outbound = outbound
    }

    struct Reply {
        var code: Int
        var lines: [String]
    }

    /// Writes a line without waiting for the answer: for a QUIT on the way out, where a silent server must not
    /// hold up the error that explains why the conversation ended.
    func send(_ line: String) async {
        try? await outbound.write(ByteBuffer(string: line + "\r\n"))
    }

    @discardableResult
    mutating func command(_ line: String, expect codes: Int..., redacted: String? = nil) async throws -> Reply {
        try await outbound.write(ByteBuffer(string: line + "\r\n"))
        let reply = try await readReply()
        guard codes.contains(reply.code) else {
            throw SMTPError.unexpectedReply(command: redacted ?? String(line.prefix(40)), code: reply.code,
                                            text: reply.lines.joined(separator: " "))
        }
        return reply
    }

    mutating func expect(_ code: Int) async throws {
        let reply = try await readReply()
        guard reply.code == code else {
            throw SMTPError.unexpectedReply(command: "(greeting)", code: reply.code, text: reply.lines.joined(separator: " "))
        }
    }

    mutating func readReply() async throws -> Reply {
        var lines: [String] = []
        while true {
            let line = try await readLine()
            guard line.count >= 3, let code = Int(line.prefix(3)) else { throw SMTPError.malformedReply(line) }
            lines.append(String(line.dropFirst(4)))
            if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " {
                return Reply(code: code, lines: lines)
            }
        }
    }

    mutating func readLine() async throws -> String {
        while true {
            if let range = pending.range(of: "\r\n") {
                let line = String(pending[..<range.lowerBound])
                pending.removeSubrange(..<range.upperBound)
                return line
            }
            guard var buffer = try await inbound.next() else { throw SMTPError.connectionClosed }
            pending += buffer.readString(length: buffer.readableBytes) ?? ""
            if pending.utf8.count > 65_536 { throw SMTPError.malformedReply("reply too long") }
        }
    }
}

public enum SMTPError: Error, CustomStringConvertible {
    case unexpectedReply(command: String, code: Int, text: String)
    case malformedReply(String)
    case connectionClosed
    case timeout
    /// STARTTLS was required (see `SMTPConfiguration.Security`) and the relay's EHLO answer did not offer it.
    case startTLSNotOffered(relay: String, credentials: Bool)

    public var description: String {
        switch self {
        case .unexpectedReply(let command, let code, let text): "SMTP server answered \(code) to \(command): \(text)"
        case .malformedReply(let line): "SMTP server sent a malformed reply: \(line.prefix(80))"
        case .connectionClosed: "SMTP server closed the connection"
        case .timeout: "SMTP delivery timed out"
        case .startTLSNotOffered(let relay, let credentials):
            "SMTP relay \(relay) did not offer STARTTLS, so nothing was sent: "
                + (credentials ? "a user, password and mail are never sent in clear text. "
                               : "this URL does not allow mail in clear text. ")
                + "Fix the smtp:// URL (LOGINTOO_MAIL_URL, LOGINTOO_SMTP_URL or LOGINTOO_MAIL_FALLBACK_URL): use smtps:// "
                + "for a relay with TLS from the first byte, or a relay that offers STARTTLS"
                + (credentials ? ", or, for a relay that needs no password, drop the user and password and add ?starttls=optional"
                               : ", or add ?starttls=optional to allow clear text")
        }
    }
}
