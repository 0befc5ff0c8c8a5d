import Hummingbird
import LogintooCore

extension Request {
    /// Where a session made by this request is made: the browser its User-Agent names, coarsely, and the client's
    /// address prefix (the address a trusted proxy forwarded for, `RequestFrameMiddleware`).
    func sessionOrigin(_ context: AppRequestContext) -> SessionOrigin {
        SessionOrigin(userAgent: headers[.userAgent], clientAddress: context.clientIP)
    }
}
