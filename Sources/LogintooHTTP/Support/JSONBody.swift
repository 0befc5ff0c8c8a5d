import Foundation
import Hummingbird

/// A JSON body posted by the hosted pages' script, read with a size cap; `nil` when it is not JSON of the expected shape.
/// Requiring `application/json` keeps cross-site forms out: a page elsewhere cannot send that type without a preflight.
enum JSONBody {
    /// Enough for an RS256 attestation object and its client data, with room to spare.
    static let maxBytes = 64 * 1024

    static func read<Body: Decodable>(_ type: Body.Type, from request: Request) async -> Body? {
        guard HeaderText.mediaType(request.headers[.contentType]) == "application/json" else { return nil }
        var request = request
        guard let buffer = try? await request.collectBody(upTo: maxBytes) else { return nil }
        return try? JSONDecoder().decode(Body.self, from: Data(buffer: buffer))
    }
}
