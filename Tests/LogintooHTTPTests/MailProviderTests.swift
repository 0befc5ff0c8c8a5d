import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LogintooCore
import LogintooMail
import Synchronization
import Testing

@Suite("Mail providers")
struct MailProviderTests {
    @Test("Signature Version 4 matches botocore's signature of the same SES request")
    func signature() throws {
        let body = Array(#"{"FromEmailAddress":"login@example.com","Destination":{"ToAddresses":["ana@example.com"]},"Content":{"Raw":{"Data":"SGVsbG8="}}}"#.utf8)
        let signer = AWSSignatureV4(credentials: .init(accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                                       sessionToken: "session-token-example"),
                                    region: "eu-west-1", service: "ses")
        let url = try #require(URL(string: "https://email.eu-west-1.amazonaws.com/v2/email/outbound-emails"))
        let date = Date(timeIntervalSince1970: 1_795_610_160)  // 2026-11-25T12:36:00Z
        let headers = signer.headers(method: "POST", url: url, headers: ["content-type": "application/json"], body: body, date: date)
        #expect(headers["x-amz-date"] == "20261125T123600Z" && headers["x-amz-security-token"] == "session-token-example")
        #expect(headers["authorization"] == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/eu-west-1/ses/aws4_request, "
            + "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, "
            + "Signature=26d0184bf4c3532d8232772d0709144de36be924768653377b340bd8b8953193")
    }

    @Test("provider URLs", arguments: [
        ("smtp://mail.example.com:2525", true), ("ses://eu-west-1", true), ("ses://us-east-1?endpoint=http://127.0.0.1:5000", true),
        ("https://hooks.example.com/mail", true), ("http://127.0.0.1:8025/mail", true), ("http://hooks.example.com/mail", false),
        ("ses://", false), ("ses://eu-west-1?endpoint=ftp://x", false), ("mailto:me@example.com", false),
    ])
    func urls(url: String, valid: Bool) {
        #expect(((try? MailProvider(url: url)) != nil) == valid)
    }

    actor Recording: Mailer {
        let name: String
        let fails: Bool
        var sent: [String] = []
        init(name: String, fails: Bool) { (self.name, self.fails) = (name, fails) }
        nonisolated var providerName: String { name }
        func send(_ message: EmailMessage, id: String) async throws {
            if fails { throw HTTPMailError(provider: name, status: 503, detail: "down") }
            sent.append(id)
        }
    }

    @Test("failover: the fallback takes the message when the primary fails, and is named as its provider")
    func failover() async throws {
        let message = EmailMessage(to: "ana@example.com", subject: "s", text: "t")
        let (down, up) = (Recording(name: "primary", fails: true), Recording(name: "fallback", fails: false))
        #expect(try await FailoverMailer(primary: down, fallback: up).deliver(message, id: "m1") == "fallback")
        #expect(await up.sent == ["m1"])
        let healthy = Recording(name: "primary", fails: false)
        #expect(try await FailoverMailer(primary: healthy, fallback: up).deliver(message, id: "m2") == "primary")
        await #expect(throws: FailoverError.self) {
            try await FailoverMailer(primary: down, fallback: Recording(name: "also down", fails: true)).deliver(message, id: "m3")
        }
    }

    /// Runs `body` with `router` listening on `http://127.0.0.1:PORT`.
    static func serve(_ router: Router<BasicRequestContext>, _ body: @Sendable (String) async throws -> Void) async throws {
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await body("http://127.0.0.1:\(try #require(client.port))") }
    }

    @Test("the mail webhook follows no redirect: its body holds the code, and reaches nothing the receiver points to",
          arguments: [307, 302])
    func webhookFollowsNoRedirect(status: Int) async throws {
        let elsewhere = Router()
        let reached = Mutex(0)
        elsewhere.post("/mail") { _, _ in reached.withLock { $0 += 1 }; return HTTPResponse.Status.ok }
        elsewhere.get("/mail") { _, _ in reached.withLock { $0 += 1 }; return HTTPResponse.Status.ok }
        try await Self.serve(elsewhere) { elsewhere in
            let receiver = Router()
            receiver.post("/mail") { _, _ in Response(status: .init(code: status), headers: [.location: elsewhere + "/mail"]) }
            try await Self.serve(receiver) { receiver in
                let mailer = WebhookMailer(url: try #require(URL(string: receiver + "/mail")), secret: Array(repeating: 7, count: 32))
                let error = await #expect(throws: HTTPMailError.self) {
                    try await mailer.send(EmailMessage(to: "ana@example.com", subject: "Your code", text: "123456"), id: "m1")
                }
                #expect(error?.status == status)
            }
        }
        #expect(reached.withLock { $0 } == 0)
    }
}
