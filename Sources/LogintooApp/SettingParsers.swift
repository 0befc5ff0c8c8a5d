import Foundation
import LogintooCore
import LogintooMail
import LogintooStore

/// The parse rules of the settings that are more than a number or a choice: each takes the text as given and returns
/// the typed value, or says what was expected.
enum SettingParsers {
    /// One of `Choice`'s cases by its raw value, the values listed in the refusal.
    static func oneOf<Choice: RawRepresentable<String> & CaseIterable>(_ text: String, ignoringCase: Bool)
        throws(SettingRejection) -> Choice
    {
        let same: (String) -> Bool = ignoringCase ? { $0.lowercased() == text.lowercased() } : { $0 == text }
        guard let chosen = Choice.allCases.first(where: { same($0.rawValue) }) else {
            throw SettingRejection("expected \(listed(Choice.allCases.map(\.rawValue))), got '\(text)'")
        }
        return chosen
    }

    /// `a, b or c`.
    static func listed(_ values: [String]) -> String {
        guard let last = values.last, values.count > 1 else { return values.first ?? "" }
        return values.dropLast().joined(separator: ", ") + " or " + last
    }

    /// `host:port`, an IPv6 host in brackets.
    static func listenAddress(_ text: String) throws(SettingRejection) -> Configuration.ListenAddress {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port)
        else { throw SettingRejection("expected host:port, got '\(text)'") }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw SettingRejection("expected host:port, got '\(text)'") }
        return Configuration.ListenAddress(host: host, port: port)
    }

    /// The issuer: an absolute https URL (http on loopback only) that other URLs can be appended to.
    static func issuer(_ text: String) throws(SettingRejection) -> String {
        guard let parts = URLComponents(string: text), let scheme = parts.scheme, let host = parts.host, !host.isEmpty,
              parts.query == nil, parts.fragment == nil, parts.user == nil, !text.hasSuffix("/")
        else { throw SettingRejection("expected a URL like https://login.example.com (no query, fragment or trailing slash)") }
        let loopback = ["127.0.0.1", "::1", "[::1]", "localhost"].contains(host)
        guard scheme == "https" || (scheme == "http" && loopback) else {
            throw SettingRejection("must use https (http is allowed only on 127.0.0.1, [::1] or localhost)")
        }
        return text
    }

    /// An OpenTelemetry collector's base URL: http or https, with a host, no query or fragment; kept without a trailing
    /// slash, so signal paths can be appended.
    static func collectorURL(_ text: String) throws(SettingRejection) -> String {
        guard let parts = URLComponents(string: text), ["http", "https"].contains(parts.scheme), let host = parts.host,
              !host.isEmpty, parts.query == nil, parts.fragment == nil
        else { throw SettingRejection("expected a URL like http://collector:4318, got '\(text)'") }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }

    static func boolean(_ text: String) throws(SettingRejection) -> Bool {
        switch text.lowercased() {
        case "1", "true", "yes", "on": true
        case "0", "false", "no", "off": false
        default: throw SettingRejection("expected true or false, got '\(text)'")
        }
    }

    static func smtp(_ text: String) throws(SettingRejection) -> SMTPConfiguration {
        do { return try SMTPConfiguration(url: text) } catch { throw SettingRejection(error.description) }
    }

    static func mailProvider(_ text: String) throws(SettingRejection) -> MailProvider {
        do { return try MailProvider(url: text) } catch { throw SettingRejection(error.description) }
    }

    /// A Standard Webhooks secret (`whsec_` and base64), or 16+ characters whose bytes are the key (the receiver then
    /// verifies with `whsec_` and their base64).
    static func webhookSecret(_ text: String) throws(SettingRejection) -> [UInt8] {
        if text.hasPrefix(WebhookSecret.prefix) {
            do { return try WebhookSecret(text: text).bytes } catch { throw SettingRejection(error.description) }
        }
        guard text.count >= 16 else { throw SettingRejection("use at least 16 random characters, or a whsec_ secret") }
        return Array(text.utf8)
    }

    /// A sender: something with an address in it, on one line, since it becomes a mail header.
    /// A lower-case DNS name of at least one label, as WebAuthn's relying party ids are.
    static func domainName(_ text: String) throws(SettingRejection) -> String {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard text.utf8.count <= 253, !labels.isEmpty,
              labels.allSatisfy({ label in
                  (1...63).contains(label.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                      && label.allSatisfy { ($0.isASCII && $0.isLowercase && $0.isLetter) || $0.isNumber || $0 == "-" }
              })
        else { throw SettingRejection("expected a lower-case domain name such as example.com, got '\(text)'") }
        return text
    }

    static func sender(_ text: String) throws(SettingRejection) -> String {
        guard text.contains("@"), !text.contains(where: \.isNewline) else {
            throw SettingRejection("expected an email address, got '\(text)'")
        }
        return text
    }

    /// At least 32 bytes in base64 or base64url.
    static func keyEncryptionKey(_ text: String) throws(SettingRejection) -> [UInt8] {
        guard let bytes = Base64URL.decode(text.trimmingCharacters(in: CharacterSet(charactersIn: "= \n")))
            ?? Data(base64Encoded: text).map(Array.init), bytes.count >= 32
        else { throw SettingRejection("expected at least 32 random bytes in base64 (openssl rand -base64 32)") }
        return bytes
    }

    /// `sqlite:PATH` or a PostgreSQL URL, whose pool size is `defaultPoolSize` unless the URL names one.
    static func database(_ text: String, defaultPoolSize: Int) throws(SettingRejection) -> Configuration.DatabaseChoice {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw SettingRejection("sqlite: needs a file path, as in sqlite:/var/lib/logintoo/db.sqlite") }
            return .sqlite(path: path)
        }
        do { return .postgres(try PostgresEngine.Settings(url: text, defaultPoolSize: defaultPoolSize)) } catch {
            throw SettingRejection(error.description)
        }
    }

    /// Comma-separated addresses and CIDRs.
    static func networks(_ text: String) throws(SettingRejection) -> [IPNetwork] {
        var networks: [IPNetwork] = []
        for item in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !item.isEmpty {
            guard let network = IPNetwork(item) else {
                throw SettingRejection("expected comma-separated addresses or CIDRs such as 10.0.0.0/8, fd00::/8; got '\(item)'")
            }
            networks.append(network)
        }
        return networks
    }

    /// A folder that exists now.
    static func folder(_ text: String) throws(SettingRejection) -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: text, isDirectory: &isFolder), isFolder.boolValue else {
            throw SettingRejection("\(text) is not a folder")
        }
        return text
    }
}
