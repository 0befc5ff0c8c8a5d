import HTTPTypes
import Hummingbird
import Logging
import LogintooCore

/// The id of the request being served, for every log line written while serving it.
public enum RequestID {
    /// What the log lines written while serving a request name it by.
    struct Labels: Sendable {
        let id: String
        /// The client's address (`AppRequestContext.clientIP`).
        let client: String
    }

    /// The request being served (`RequestFrameMiddleware`).
    @TaskLocal static var current: Labels?

    /// Adds `request_id`, and the client's address, to log lines written inside a request.
    public static let metadataProvider = Logger.MetadataProvider {
        guard let current else { return [:] }
        return ["request_id": .string(current.id), "client_ip": .string(current.client)]
    }

    /// The caller's `X-Request-Id` when it is a plausible id, so a proxy's id carries through; otherwise a new one.
    public static func accept(_ header: String?, generate: () -> String) -> String {
        guard let header, (8...64).contains(header.utf8.count),
              header.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else { return generate() }
        return header
    }

    static let header = HTTPField.Name("X-Request-Id")!
}
