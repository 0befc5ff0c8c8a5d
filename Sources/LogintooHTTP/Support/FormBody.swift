import Hummingbird
import LogintooCore

/// An `application/x-www-form-urlencoded` body, read with a size cap; parameters sent twice are an error.
struct FormBody {
    static let maxBytes = 16 * 1024
    let values: [String: String]
    let repeated: String?

    init(pairs: [(String, String)]) {
        var values: [String: String] = [:]
        var repeated: String?
        for (name, value) in pairs {
            if values[name] != nil { repeated = repeated ?? name }
            values[name] = value
        }
        self.values = values
        self.repeated = repeated
    }

    subscript(_ name: String) -> String? { values[name].flatMap { $0.isEmpty ? nil : $0 } }

    enum Failure: Error { case unsupportedMediaType, tooLarge, malformed }

    static func read(_ request: Request) async throws(Failure) -> FormBody {
        guard HeaderText.mediaType(request.headers[.contentType]) == "application/x-www-form-urlencoded" else {
            throw .unsupportedMediaType
        }
        var request = request
        let buffer: ByteBuffer
        do { buffer = try await request.collectBody(upTo: maxBytes) } catch { throw .tooLarge }
        guard let pairs = buffer.withUnsafeReadableBytes(URLQuery.decode(utf8:)) else { throw .malformed }
        return FormBody(pairs: pairs)
    }
}

extension Request {
    /// The query parameters in order, repeats kept; `nil` when the encoding is malformed.
    var queryPairs: [(String, String)]? {
        guard let query = uri.query else { return [] }
        return URLQuery.decode(Substring(query))
    }
}

import Foundation
