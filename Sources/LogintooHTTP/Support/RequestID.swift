import HTTPTypes
import Hummingbird
import Logging
import LogintooCore

/// The id of the request being served, for every log line written while serving it.
public enum RequestID {
    @TaskLocal public static var current: String?

    /// Adds `request_id`, and the client's address, to log lines written inside a request.
    public static let metadataProvider = Logger.MetadataProvider {
        var metadata: Logger.Metadata = [:]
        if let current { metadata["request_id"] = .string(current) }
        if let client = ClientAddressMiddleware.current { metadata["client_ip"] = .string(client) }
        return metadata
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

/// Gives each request an id (the proxy's, or a new one), answers it in `X-Request-Id`, and puts it in the log lines.
struct RequestIDMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let random: any RandomSource

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let id = RequestID.accept(request.headers[RequestID.header]) { random.token(bytes: 12) }
        var response = try await RequestID.$current.withValue(id) { try await next(request, context) }
        response.headers[RequestID.header] = id
        return response
    }
}
