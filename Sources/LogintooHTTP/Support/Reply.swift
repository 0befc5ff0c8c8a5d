import Foundation
import HTTPTypes
import Hummingbird
import LogintooCore

/// Builders for the server's responses, each with the headers its kind requires.
enum Reply {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()

    /// JSON that carries tokens or token state: never cached (RFC 6749 §5.1).
    static func noStoreJSON(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        var headers = headers
        headers[.cacheControl] = "no-store"
        headers[.pragma] = "no-cache"
        return json(try encoder.encode(value), status: status, headers: headers)
    }

    static func noStoreJSON(_ value: some JSONObjectWritable, status: HTTPResponse.Status = .ok) -> Response {
        json(value.jsonBytes, status: status, headers: [.cacheControl: "no-store", .pragma: "no-cache"])
    }

    static func json(_ data: some Sequence<UInt8>, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        if headers[.contentType] == nil { headers[.contentType] = "application/json" }
        headers[.xContentTypeOptions] = "nosniff"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// An OAuth error answer (RFC 6749 §5.2); `invalid_client` is a 401 with a challenge.
    static func oauthError(_ error: OAuthError, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        var status = HTTPResponse.Status.badRequest
        if error.code == .invalidClient {
            status = .unauthorized
            headers[.wwwAuthenticate] = "Basic realm=\"logintoo\""
        }
        if error.code == .serverError { status = .internalServerError }
        if error.code == .temporarilyUnavailable { status = .serviceUnavailable }
        let body = ["error": error.code.rawValue, "error_description": error.detail]
        return (try? noStoreJSON(body, status: status, headers: headers)) ?? Response(status: status)
    }

    /// The Content-Security-Policy of every page: same-origin scripts and styles only, no framing, no plugins.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

    /// The policy of a page that shows a logo from `imageOrigin` (an https origin): images from there too, nothing else more.
    static func contentSecurityPolicy(imagesFrom imageOrigin: String?) -> String {
        // Only `https://host[:port]` made of host characters: a value that could add a directive falls back to 'self'.
        guard let imageOrigin, imageOrigin.hasPrefix("https://"),
              imageOrigin.dropFirst(8).allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ".-:".contains($0)) })
        else { return contentSecurityPolicy }
        return contentSecurityPolicy.replacingOccurrences(of: "img-src 'self';", with: "img-src 'self' \(imageOrigin);")
    }

    /// An HTML page with the security headers of docs/security.md B19; `imageOrigin`: the origin of the page's logo.
    static func html(_ page: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:],
                     imageOrigin: String? = nil) -> Response {
        var headers = headers
        headers[.contentType] = "text/html; charset=utf-8"
        addPageSecurityHeaders(&headers, imageOrigin: imageOrigin)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: page)))
    }

    static func addPageSecurityHeaders(_ headers: inout HTTPFields, imageOrigin: String? = nil) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy(imagesFrom: imageOrigin)
        headers[.xFrameOptions] = "DENY"
        headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains"
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "no-referrer"
        headers[.cacheControl] = "no-store"
        headers[HTTPField.Name("Cross-Origin-Opener-Policy")!] = "same-origin"
    }

    /// A `303 See Other`, so a browser never re-posts a form to the target (docs/security.md B18).
    static func seeOther(_ location: String, cookies: [String] = []) -> Response {
        var headers: HTTPFields = [.location: location, .cacheControl: "no-store", .referrerPolicy: "no-referrer"]
        for cookie in cookies { headers.append(HTTPField(name: .setCookie, value: cookie)) }
        return Response(status: .seeOther, headers: headers)
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok, contentType: String = "text/plain; charset=utf-8",
                     cacheControl: String = "no-store") -> Response {
        Response(status: status, headers: [.contentType: contentType, .cacheControl: cacheControl, .xContentTypeOptions: "nosniff"],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

extension HTTPField.Name {
    static let pragma = HTTPField.Name("Pragma")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let secFetchSite = HTTPField.Name("Sec-Fetch-Site")!
}
