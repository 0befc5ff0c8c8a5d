import Foundation
import LogintooCore

/// Renders an email as an RFC 5322 / MIME message: UTF-8 text (and HTML when present), base64-encoded.
public enum MIMEMessage {
    public static func render(_ message: EmailMessage, from: String, id: String, date: Date, domain: String) -> String {
        var headers = [
            "From: \(sender(from, name: message.fromName))",
            "To: \(message.to)",
            "Subject: \(encodedWord(message.subject))",
        ] + (message.replyTo.map { ["Reply-To: \($0)"] } ?? []) + [
            "Date: \(rfc5322Date(date))",
            "Message-ID: <\(id)@\(domain)>",
            "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
        ]
        var body: String
        if let html = message.html {
            let boundary = "=_logintoo_\(id)"
            headers.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
            body = "--\(boundary)\r\n" + part(message.text, type: "text/plain") + "--\(boundary)\r\n" + part(html, type: "text/html")
                + "--\(boundary)--\r\n"
        } else {
            headers.append("Content-Type: text/plain; charset=utf-8")
            headers.append("Content-Transfer-Encoding: base64")
            body = base64Lines(message.text)
        }
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + body
    }

    /// The configured sender, under the client's display name when it has one.
    static func sender(_ configured: String, name: String?) -> String {
        guard let name else { return configured }
        let address = configured.split(separator: "<").last.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "> ")) }
            ?? configured
        let display = name.allSatisfy(\.isASCII) ? "\"\(name)\"" : encodedWord(name)
        return "\(display) <\(address)>"
    }

    static func part(_ content: String, type: String) -> String {
        "Content-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64Lines(content)
    }

    static func base64Lines(_ text: String) -> String {
        let encoded = Data(text.utf8).base64EncodedString()
        var lines: [Substring] = []
        var rest = Substring(encoded)
        while !rest.isEmpty {
            lines.append(rest.prefix(76))
            rest = rest.dropFirst(76)
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// An RFC 2047 encoded word when the header is not plain ASCII.
    static func encodedWord(_ text: String) -> String {
        let plain = text.allSatisfy { $0.isASCII && !$0.isNewline }
        return plain ? text : "=?UTF-8?B?\(Data(text.utf8).base64EncodedString())?="
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
