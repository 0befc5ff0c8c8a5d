import Crypto
import HTTPTypes
import Hummingbird
import LogintooCore
import NIOHTTP1

/// A public, cacheable GET answer whose bytes are the same for every request (discovery metadata, a JWK Set): the body
/// and both header sets built once, so answering costs no encoding and no copy. Its strong `ETag` is a digest of the
/// body, so every instance serving the same bytes names them alike, and a cache that revalidates with `If-None-Match`
/// gets a `304 Not Modified` without the body (RFC 9110 §13.1.2, §15.4.5).
struct StaticAnswer: Sendable {
    /// The entity tag, quoted: `"…"`.
    let etag: String
    private let body: ByteBuffer
    private let fullHeaders: HTTPFields
    private let notModifiedHeaders: HTTPFields
    /// The same two heads as HTTP/1 writes them, for the connection's own answers (`StaticAnswerHandler`).
    private let fullWire: HTTPHeaders
    private let notModifiedWire: HTTPHeaders

    /// The cache lifetime of every static answer: short enough for a key rotation's lead time (`KeyLifecycle`).
    static let cacheControl = "public, max-age=300"

    init(body bytes: some Sequence<UInt8>, contentType: String) {
        body = ByteBuffer(bytes: bytes)
        etag = Self.entityTag(of: body.readableBytesView)
        // A 304 carries what the 200 would have for caches and CORS readers; it has no content to type.
        notModifiedHeaders = [.eTag: etag, .cacheControl: Self.cacheControl, .accessControlAllowOrigin: "*"]
        var full = notModifiedHeaders
        full[.contentType] = contentType
        full[.xContentTypeOptions] = "nosniff"
        full[.contentLength] = String(body.readableBytes)
        fullHeaders = full
        fullWire = HTTPHeaders(full.map { ($0.name.rawName, $0.value) })
        notModifiedWire = HTTPHeaders(notModifiedHeaders.map { ($0.name.rawName, $0.value) })
    }

    /// The 200 with the body, or a 304 with none when the request's `If-None-Match` names this answer.
    func response(to request: Request) -> Response {
        if isNamed(byIfNoneMatch: request.headers[.ifNoneMatch]) {
            return Response(status: .notModified, headers: notModifiedHeaders)
        }
        return Response(status: .ok, headers: fullHeaders, body: .init(byteBuffer: body))
    }

    /// Whether `ifNoneMatch` (a request's `If-None-Match`) names this answer, which is then a 304.
    private func isNamed(byIfNoneMatch ifNoneMatch: String?) -> Bool {
        ifNoneMatch.map { Self.condition($0, matches: etag) } ?? false
    }

    /// The answer as HTTP/1 writes it: the 200 with the body, or a 304 with none when `ifNoneMatch` names this answer.
    func wireReply(ifNoneMatch: String?) -> WireReply {
        if isNamed(byIfNoneMatch: ifNoneMatch) {
            return WireReply(etag: etag, status: .notModified, headers: notModifiedWire, body: nil)
        }
        return WireReply(etag: etag, status: .ok, headers: fullWire, body: body)
    }

    /// An answer's status, header fields and body, in HTTP/1's types, and the answer's tag, which with the status names
    /// the header fields.
    struct WireReply {
        let etag: String
        let status: HTTPResponseStatus
        let headers: HTTPHeaders
        let body: ByteBuffer?
    }

    /// `"` + base64url of the body's SHA-256, first 16 bytes `"`: a collision-free name for a few kilobytes of JSON.
    static func entityTag(of body: some Sequence<UInt8>) -> String {
        "\"" + Base64URL.encode(SHA256.hash(data: Array(body)).prefix(16)) + "\""
    }

    /// Whether an `If-None-Match` value names `etag`: `*`, or a list holding it; the comparison is weak (RFC 9110
    /// §13.1.2), so `W/"x"` names `"x"`.
    static func condition(_ value: String, matches etag: String) -> Bool {
        value.split(separator: ",").contains { candidate in
            // An entity tag holds no whitespace (RFC 9110 §8.8.3), so dropping all of it only trims the list's.
            let text = candidate.filter { $0 != " " && $0 != "\t" }
            return text == "*" || text == etag || text == "W/" + etag
        }
    }
}
