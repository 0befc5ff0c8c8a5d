import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LogintooCore
import LogintooMail
import Synchronization
import Testing

/// Plays, on one loopback port, the AWS services the SES mailer talks to: the ECS container credentials endpoint
/// (`/ecs/credentials`, wants the authorization token), EC2's IMDSv2 (`/latest/…`, refuses a GET without the token of
/// a PUT), STS (`POST /sts`, wants the web identity token and role) and SES (`/v2/email/outbound-emails`, accepts a
/// message only when signed with credentials it issued, session token included). Every credential it issues is new,
/// so a delivery tells which fetch signed it.
final class AWSStub: Sendable {
    static let containerAuthorization = "ecs-authorization-token"
    static let webIdentityToken = "eyJ.web-identity-token.sig"
    static let roleArn = "arn:aws:iam::123456789012:role/logintoo-mail"
    static let staticKey = AWSSignatureV4.Credentials(accessKeyId: "AKIDSTATIC", secretAccessKey: "static-secret")
    /// How long issued credentials last.
    static let lifetime: Int64 = 3600

    struct Delivery: Equatable {
        let accessKeyId: String
        let recipient: String
    }

    struct State {
        var fetches: [String: Int] = [:]
        var issued: [String: AWSSignatureV4.Credentials] = [AWSStub.staticKey.accessKeyId: AWSStub.staticKey]
        var metadataTokens: Set<String> = []
        var deliveries: [Delivery] = []
    }

    let state = Mutex(State())
    let clock: ManualClock

    init(clock: ManualClock) { self.clock = clock }

    func fetches(_ source: String) -> Int { state.withLock { $0.fetches[source, default: 0] } }
    var deliveries: [Delivery] { state.withLock { $0.deliveries } }

    /// Runs `body` with the stub listening on `http://127.0.0.1:PORT`, and a client of it.
    func serve(_ body: @Sendable (String, any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(try #require(client.port))", client)
        }
    }

    /// New credentials from `source`, valid for `lifetime` from the stub's clock. The token holds characters that
    /// XML and form encodings must escape.
    func issue(_ source: String) -> (credentials: AWSSignatureV4.Credentials, expiration: String) {
        let credentials = state.withLock { state in
            state.fetches[source, default: 0] += 1
            let count = state.fetches[source]!
            let credentials = AWSSignatureV4.Credentials(accessKeyId: "ASIA\(source.uppercased())\(count)",
                                                         secretAccessKey: "secret/\(source)+\(count)",
                                                         sessionToken: "token&\(source)<\(count)>/+=")
            state.issued[credentials.accessKeyId] = credentials
            return credentials
        }
        let expiration = Date(timeIntervalSince1970: TimeInterval(clock.now() + Self.lifetime))
        return (credentials, ISO8601DateFormatter().string(from: expiration))
    }

    func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/ecs/credentials") { request, _ in
            guard request.headers[.authorization] == Self.containerAuthorization else { return Self.text(.unauthorized, "bad token") }
            try await Self.pause()
            return Self.json(self.issue("ecs"))
        }
        router.put("/latest/api/token") { request, _ in
            guard request.headers[Self.ttlHeader] != nil else { return Self.text(.badRequest, "no TTL header") }
            let token = "imds-\(UUID().uuidString)"
            self.state.withLock { _ = $0.metadataTokens.insert(token) }
            return Self.text(.ok, token)
        }
        router.get("/latest/meta-data/iam/security-credentials") { request, _ in
            guard self.knowsMetadataToken(request) else { return Self.text(.unauthorized, "") }
            return Self.text(.ok, "logintoo-role")
        }
        router.get("/latest/meta-data/iam/security-credentials/logintoo-role") { request, _ in
            guard self.knowsMetadataToken(request) else { return Self.text(.unauthorized, "") }
            try await Self.pause()
            return Self.json(self.issue("imds"), code: "Success")
        }
        router.post("/sts") { request, _ in
            let form = Self.form(String(buffer: try await request.body.collect(upTo: 64 * 1024)))
            guard form["Action"] == "AssumeRoleWithWebIdentity", form["Version"] == "2011-06-15",
                  form["RoleSessionName"]?.isEmpty == false else { return Self.stsError("InvalidAction", "bad request") }
            guard form["WebIdentityToken"] == Self.webIdentityToken else { return Self.stsError("InvalidIdentityToken", "bad token") }
            guard form["RoleArn"] == Self.roleArn else { return Self.stsError("AccessDenied", "Not authorized to assume the role") }
            try await Self.pause()
            return Self.stsAnswer(self.issue("sts"))
        }
        router.post("/v2/email/outbound-emails") { request, _ in try await self.receiveEmail(request) }
        return router
    }

    static let ttlHeader = HTTPField.Name("X-aws-ec2-metadata-token-ttl-seconds")!
    static let metadataTokenHeader = HTTPField.Name("X-aws-ec2-metadata-token")!
    static let securityTokenHeader = HTTPField.Name("X-Amz-Security-Token")!
    static let dateHeader = HTTPField.Name("X-Amz-Date")!

    func knowsMetadataToken(_ request: Request) -> Bool {
        guard let token = request.headers[Self.metadataTokenHeader] else { return false }
        return state.withLock { $0.metadataTokens.contains(token) }
    }

    /// Long enough that callers arriving together overlap with one fetch.
    static func pause() async throws { try await Task.sleep(for: .milliseconds(50)) }

    /// Checks the signature with the secret of the access key it names, the way SES does, and the session token.
    func receiveEmail(_ request: Request) async throws -> Response {
        let body = Array(buffer: try await request.body.collect(upTo: 1024 * 1024))
        let authorization = request.headers[.authorization] ?? ""
        guard let keyId = authorization.split(separator: "Credential=").last?.split(separator: "/").first.map(String.init),
              let credentials = state.withLock({ $0.issued[keyId] })
        else { return Self.text(.forbidden, "unknown access key in \(authorization)") }
        guard request.headers[Self.securityTokenHeader] == credentials.sessionToken else {
            return Self.text(.forbidden, "the security token does not belong to \(keyId)")
        }
        let formatter = DateFormatter()
        (formatter.locale, formatter.timeZone, formatter.dateFormat) = (Locale(identifier: "en_US_POSIX"), TimeZone(identifier: "UTC"),
                                                                        "yyyyMMdd'T'HHmmss'Z'")
        guard let date = request.headers[Self.dateHeader].flatMap(formatter.date(from:)),
              let url = URL(string: "http://\(request.head.authority ?? "")\(request.uri.path)")
        else { return Self.text(.badRequest, "no X-Amz-Date") }
        let expected = AWSSignatureV4(credentials: credentials, region: "eu-west-1", service: "ses")
            .headers(method: "POST", url: url, headers: ["content-type": request.headers[.contentType] ?? ""], body: body, date: date)
        guard expected["authorization"] == authorization else { return Self.text(.forbidden, "signature mismatch") }
        struct Email: Decodable {
            struct Destination: Decodable { let ToAddresses: [String] }
            let Destination: Destination
        }
        let recipient = try JSONDecoder().decode(Email.self, from: Data(body)).Destination.ToAddresses.first ?? ""
        state.withLock { $0.deliveries.append(Delivery(accessKeyId: keyId, recipient: recipient)) }
        return Self.text(.ok, #"{"MessageId":"stub"}"#)
    }

    static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func json(_ issued: (credentials: AWSSignatureV4.Credentials, expiration: String), code: String? = nil) -> Response {
        var document = ["AccessKeyId": issued.credentials.accessKeyId, "SecretAccessKey": issued.credentials.secretAccessKey,
                        "Token": issued.credentials.sessionToken ?? "", "Expiration": issued.expiration]
        if let code { document["Code"] = code }
        let data = (try? JSONEncoder().encode(document)) ?? Data()
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func stsAnswer(_ issued: (credentials: AWSSignatureV4.Credentials, expiration: String)) -> Response {
        func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        }
        let xml = """
            <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleWithWebIdentityResult>
                <SubjectFromWebIdentityToken>system:serviceaccount:logintoo:logintoo</SubjectFromWebIdentityToken>
                <Credentials>
                  <SessionToken>\(escaped(issued.credentials.sessionToken ?? ""))</SessionToken>
                  <SecretAccessKey>\(escaped(issued.credentials.secretAccessKey))</SecretAccessKey>
                  <Expiration>\(issued.expiration)</Expiration>
                  <AccessKeyId>\(issued.credentials.accessKeyId)</AccessKeyId>
                </Credentials>
              </AssumeRoleWithWebIdentityResult>
            </AssumeRoleWithWebIdentityResponse>
            """
        return Response(status: .ok, headers: [.contentType: "text/xml"], body: .init(byteBuffer: ByteBuffer(string: xml)))
    }

    static func stsError(_ code: String, _ message: String) -> Response {
        let xml = "<ErrorResponse><Error><Type>Sender</Type><Code>\(code)</Code><Message>\(message)</Message></Error></ErrorResponse>"
        return Response(status: .forbidden, headers: [.contentType: "text/xml"], body: .init(byteBuffer: ByteBuffer(string: xml)))
    }

    static func form(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map { String($0).removingPercentEncoding ?? "" }
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return fields
    }
}
