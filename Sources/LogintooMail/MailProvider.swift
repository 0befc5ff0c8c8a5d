import Foundation

/// A mail provider, from a URL: `smtp://…` or `smtps://…`, `ses://REGION` (Amazon SES; `?endpoint=URL` for another
/// endpoint), an `https://` webhook, or `console` (the log: for development, or on purpose).
public enum MailProvider: Sendable, Equatable {
    case smtp(SMTPConfiguration)
    case ses(region: String, endpoint: URL?)
    case webhook(URL)
    case console

    public init(url: String) throws(SMTPConfigurationError) {
        if url == "console" {
            self = .console
            return
        }
        let scheme = url.split(separator: ":", maxSplits: 1).first?.lowercased() ?? ""
        switch scheme {
        case "smtp", "smtps":
            self = .smtp(try SMTPConfiguration(url: url))
        case "ses":
            guard let parts = URLComponents(string: url), let region = parts.host,
                  !region.isEmpty, region.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" })
            else { throw .invalid("expected ses://REGION, such as ses://eu-west-1") }
            var endpoint: URL?
            if let text = parts.queryItems?.first(where: { $0.name == "endpoint" })?.value {
                guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                    throw .invalid("the endpoint must be an http(s) URL")
                }
                endpoint = url
            }
            self = .ses(region: region, endpoint: endpoint)
        case "https":
            guard let webhook = URL(string: url), webhook.host?.isEmpty == false else { throw .invalid("is not a URL") }
            self = .webhook(webhook)
        case "http":
            guard let webhook = URL(string: url), let host = webhook.host, ["127.0.0.1", "::1", "localhost"].contains(host) else {
                throw .invalid("a webhook must use https (http only on loopback)")
            }
            self = .webhook(webhook)
        default:
            throw .invalid("must start with smtp://, smtps://, ses:// or https://, or be console")
        }
    }
}
