import Foundation
import Hummingbird
import LogintooCore
import Synchronization

/// The public keys as a JWK Set (RFC 7517 §8.5), cacheable and readable from any origin: a `StaticAnswer` rebuilt
/// when the key ring's published document changes (a reload that publishes or drops a key), so its `ETag` changes
/// with the keys and stays the same in between.
final class JWKSAnswer: Sendable {
    private let keys: KeyRingSource
    private let built: Mutex<(document: Data, answer: StaticAnswer)>

    static let contentType = "application/jwk-set+json"

    init(keys: KeyRingSource) {
        self.keys = keys
        let document = keys.jwksDocument
        built = Mutex((document, StaticAnswer(body: document, contentType: Self.contentType)))
    }

    func response(to request: Request) -> Response { answer.response(to: request) }

    /// The answer for the ring in use: a comparison of a few kilobytes per request, a rebuild once per change.
    var answer: StaticAnswer {
        let document = keys.jwksDocument
        return built.withLock { built in
            if built.document != document {
                built = (document, StaticAnswer(body: document, contentType: Self.contentType))
            }
            return built.answer
        }
    }
}
