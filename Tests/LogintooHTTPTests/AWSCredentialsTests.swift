import Foundation
import Hummingbird
import HummingbirdTesting
import LogintooCore
@testable import LogintooMail
import Testing

@Suite("AWS credentials for SES: environment, web identity, ECS task role, EC2 instance metadata")
struct AWSCredentialsTests {
    static func provider(_ environment: [String: String], clock: ManualClock, onEC2: Bool = false) throws -> any AWSCredentialsProvider {
        try AWSCredentialsChain.provider(environment: environment, region: "eu-west-1", onEC2: onEC2, clock: clock)
    }

    static func send(to recipient: String, with credentials: any AWSCredentialsProvider, base: String, clock: ManualClock) async throws {
        let mailer = SESMailer(region: "eu-west-1", credentials: credentials, from: "login@example.com", domain: "example.com",
                               endpoint: URL(string: base)!, clock: clock)
        try await mailer.send(EmailMessage(to: recipient, subject: "Your code", text: "123456"), id: "m-\(recipient)")
    }

    /// A file holding `text`, removed when the test ends.
    static func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("logintoo-aws-\(UUID().uuidString)").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// A loopback port nothing listens on any more: a stub's, after it stopped.
    static func closedPort() async throws -> Int {
        let app = Application(router: Router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        return try await app.test(.live) { client in try #require(client.port) }
    }

    @Test("keys in the environment sign the message, and win over every other source")
    func environmentKeys() async throws {
        let clock = ManualClock()
        let stub = AWSStub(clock: clock)
        try await stub.serve { base, _ in
            let credentials = try Self.provider([
                "AWS_ACCESS_KEY_ID": AWSStub.staticKey.accessKeyId, "AWS_SECRET_ACCESS_KEY": AWSStub.staticKey.secretAccessKey,
                "AWS_CONTAINER_CREDENTIALS_FULL_URI": base + "/ecs/credentials", "AWS_EC2_METADATA_SERVICE_ENDPOINT": base,
            ], clock: clock)
            try await Self.send(to: "env@example.com", with: credentials, base: base, clock: clock)
            #expect(stub.deliveries == [.init(accessKeyId: "AKIDSTATIC", recipient: "env@example.com")])
            #expect(stub.fetches("ecs") == 0 && stub.fetches("imds") == 0)
        }
    }

    @Test("ECS task role: the container endpoint, asked with the token from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
    func containerCredentials() async throws {
        let clock = ManualClock()
        let stub = AWSStub(clock: clock)
        let tokenFile = try Self.file(AWSStub.containerAuthorization + "\n")
        defer { try? FileManager.default.removeItem(atPath: tokenFile) }
        try await stub.serve { base, _ in
            let credentials = try Self.provider(["AWS_CONTAINER_CREDENTIALS_FULL_URI": base + "/ecs/credentials",
                                                 "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": tokenFile,
                                                 "AWS_EC2_METADATA_SERVICE_ENDPOINT": base], clock: clock)
            try await Self.send(to: "ecs@example.com", with: credentials, base: base, clock: clock)
            #expect(stub.deliveries == [.init(accessKeyId: "ASIAECS1", recipient: "ecs@example.com")])
            #expect(stub.fetches("imds") == 0)

            let wrongToken = try Self.provider(["AWS_CONTAINER_CREDENTIALS_FULL_URI": base + "/ecs/credentials",
                                                "AWS_CONTAINER_AUTHORIZATION_TOKEN": "not-the-token"], clock: clock)
            let error = await #expect(throws: AWSCredentialsError.self) {
                try await Self.send(to: "refused@example.com", with: wrongToken, base: base, clock: clock)
            }
            #expect(error?.source.contains("AWS_CONTAINER_CREDENTIALS_FULL_URI") == true)
            #expect(error?.reason.contains("answered 401") == true, "\(String(describing: error))")
            #expect(stub.deliveries.count == 1)
        }
    }

    @Test("EC2: IMDSv2, a session token from a PUT, then the instance role's credentials")
    func instanceMetadata() async throws {
        let clock = ManualClock()
        let stub = AWSStub(clock: clock)
        try await stub.serve { base, client in
            let unauthenticated = try await client.execute(uri: "/latest/meta-data/iam/security-credentials/", method: .get)
            #expect(unauthenticated.status == .unauthorized, "the stub refuses what IMDSv2 refuses")
            let credentials = try Self.provider(["AWS_EC2_METADATA_SERVICE_ENDPOINT": base], clock: clock)
            try await Self.send(to: "ec2@example.com", with: credentials, base: base, clock: clock)
            #expect(stub.deliveries == [.init(accessKeyId: "ASIAIMDS1", recipient: "ec2@example.com")])
        }
    }

    @Test("web identity: STS AssumeRoleWithWebIdentity with the token file and role, its XML answer decoded")
    func webIdentity() async throws {
        let clock = ManualClock()
        let stub = AWSStub(clock: clock)
        let tokenFile = try Self.file(AWSStub.webIdentityToken + "\n")
        defer { try? FileManager.default.removeItem(atPath: tokenFile) }
        try await stub.serve { base, _ in
            let environment = ["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": AWSStub.roleArn,
                               "AWS_ENDPOINT_URL_STS": base + "/sts", "AWS_CONTAINER_CREDENTIALS_FULL_URI": base + "/ecs/credentials"]
            let credentials = try Self.provider(environment, clock: clock)
            try await Self.send(to: "eks@example.com", with: credentials, base: base, clock: clock)
            #expect(stub.deliveries == [.init(accessKeyId: "ASIASTS1", recipient: "eks@example.com")])
            #expect(stub.fetches("ecs") == 0)

            let otherRole = try Self.provider(environment.merging(["AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/other"]) { $1 },
                                              clock: clock)
            let error = await #expect(throws: AWSCredentialsError.self) {
                try await Self.send(to: "refused@example.com", with: otherRole, base: base, clock: clock)
            }
            #expect(error?.reason == "STS refused: AccessDenied: Not authorized to assume the role")
            #expect(error?.source.contains("AWS_ROLE_ARN") == true)
        }
    }

    @Test("temporary credentials are fetched once while valid, by one fetch for concurrent sends, and again before they expire")
    func refresh() async throws {
        let clock = ManualClock()
        let stub = AWSStub(clock: clock)
        try await stub.serve { base, _ in
            let credentials = try Self.provider(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/unused",
                                                 "AWS_CONTAINER_CREDENTIALS_FULL_URI": base + "/ecs/credentials",
                                                 "AWS_CONTAINER_AUTHORIZATION_TOKEN": AWSStub.containerAuthorization], clock: clock)
            #expect(credentials.sourceName.contains("http://169.254.170.2/unused"), "the relative URI comes first")
            let provider = CachedAWSCredentialsProvider(
                source: ContainerCredentialsSource(url: URL(string: base + "/ecs/credentials")!,
                                                   authorization: .token(AWSStub.containerAuthorization), setting: "test"),
                clock: clock)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<5 {
                    group.addTask { try await Self.send(to: "c\(index)@example.com", with: provider, base: base, clock: clock) }
                }
                try await group.waitForAll()
            }
            #expect(stub.fetches("ecs") == 1)
            clock.advance(by: AWSStub.lifetime - 300 - 1)
            try await Self.send(to: "late@example.com", with: provider, base: base, clock: clock)
            #expect(stub.fetches("ecs") == 1, "still valid for more than five minutes")
            clock.advance(by: 1)
            try await Self.send(to: "renewed@example.com", with: provider, base: base, clock: clock)
            #expect(stub.fetches("ecs") == 2)
            #expect(Set(stub.deliveries.prefix(6).map(\.accessKeyId)) == ["ASIAECS1"])
            #expect(stub.deliveries.last == .init(accessKeyId: "ASIAECS2", recipient: "renewed@example.com"))
        }
    }

    @Test("an unreachable source fails the delivery within its short deadline, with an error naming it; nothing reaches SES")
    func unreachable() async throws {
        let clock = ManualClock()
        let stub = AWSStub(clock: clock)
        let closed = "http://127.0.0.1:\(try await Self.closedPort())"
        try await stub.serve { base, _ in
            let sources = [(["AWS_CONTAINER_CREDENTIALS_FULL_URI": closed + "/ecs/credentials"], "AWS_CONTAINER_CREDENTIALS_FULL_URI"),
                           (["AWS_EC2_METADATA_SERVICE_ENDPOINT": closed], "AWS_EC2_METADATA_SERVICE_ENDPOINT")]
            let started = ContinuousClock.now
            // Both at once: the HTTP client retries a refused connection until the source's deadline (2 s, 1 s).
            let messages = try await withThrowingTaskGroup(of: (String, String).self) { group in
                for (environment, setting) in sources {
                    let credentials = try Self.provider(environment, clock: clock)
                    group.addTask {
                        do {
                            try await Self.send(to: "nobody@example.com", with: credentials, base: base, clock: clock)
                            return (setting, "delivered")
                        } catch let error as AWSCredentialsError {
                            return (setting, error.description)
                        }
                    }
                }
                return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
            }
            #expect(ContinuousClock.now - started < .seconds(4))
            for (_, setting) in sources {
                let message = messages[setting] ?? ""
                #expect(message.hasPrefix("no AWS credentials from ") && message.contains(setting) && message.contains(closed)
                            && message.contains("failed"), "\(message)")
            }
            #expect(stub.deliveries.isEmpty)
        }
    }

    @Test("the source is chosen from the environment alone; without one, ses:// is refused with every option named")
    func choice() throws {
        let clock = ManualClock()
        let none = #expect(throws: AWSCredentialsSetupError.self) { try Self.provider([:], clock: clock) }
        for option in ["AWS_ACCESS_KEY_ID", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                       "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_EC2_METADATA_SERVICE_ENDPOINT", "instance profile"] {
            #expect(none?.message.contains(option) == true, "\(option)")
        }
        #expect(try Self.provider([:], clock: clock, onEC2: true).sourceName.contains("http://169.254.169.254"))
        #expect(throws: AWSCredentialsSetupError.self) {
            try Self.provider(["AWS_EC2_METADATA_DISABLED": "true"], clock: clock, onEC2: true)
        }
        let web = try Self.provider(["AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token", "AWS_ROLE_ARN": AWSStub.roleArn,
                                     "AWS_REGION": "ap-south-1"], clock: clock)
        #expect(web.sourceName.contains("https://sts.ap-south-1.amazonaws.com"))
        for refused in [["AWS_ACCESS_KEY_ID": "AKID"], ["AWS_SECRET_ACCESS_KEY": "s"], ["AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token"],
                        ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://credentials.example.com/creds"],
                        ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.attacker.example/creds"],
                        ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "v2/credentials"]] {
            #expect(throws: AWSCredentialsSetupError.self, "\(refused)") { try Self.provider(refused, clock: clock) }
        }
        for allowed in ["http://127.0.0.1:9/c", "http://[::1]:9/c", "http://169.254.170.23/v1/credentials", "http://localhost/c"] {
            #expect(try Self.provider(["AWS_CONTAINER_CREDENTIALS_FULL_URI": allowed], clock: clock).sourceName.contains(allowed))
        }
        #expect(try Self.provider(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.3.4.5:9/c"], clock: clock).sourceName
                    .contains("127.3.4.5"))
        #expect(EC2Host.detected { $0.hasSuffix("board_asset_tag") ? "i-0123456789abcdef0\n" : nil })
        #expect(EC2Host.detected { $0.hasSuffix("sys_vendor") ? "Amazon EC2\n" : nil })
        #expect(!EC2Host.detected { $0.hasSuffix("sys_vendor") ? "QEMU\n" : nil })
    }

    @Test("an answer that holds keys but does not parse is never copied into the error, the log or the outbox")
    func unparsedAnswers() {
        let json = #"{"AccessKeyId": "AKIDSECRETLEAK", "SecretAccessKey": 42, "Token": "TOKENLEAK"}"#
        let xml = "<Credentials><AccessKeyId>AKIDSECRETLEAK</AccessKeyId><SecretAccessKey>SECRETLEAK</SecretAccessKey></Credentials>"
        let errors = [#expect(throws: AWSCredentialsError.self) { try AWSCredentialsDocument.parse(json, source: "ECS") },
                      #expect(throws: AWSCredentialsError.self) { try WebIdentityCredentialsSource.parse(xml, source: "STS") }]
        for error in errors {
            let text = error?.description ?? ""
            #expect(!text.contains("LEAK") && text.contains("bytes"), "\(text)")
        }
    }
}
