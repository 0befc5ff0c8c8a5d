extension LogintooAPI {
    /// A refusal, with the error code the original API used for it. What kind of refusal it is decides the HTTP status,
    /// which the HTTP edge chooses: this layer knows no HTTP.
    public struct Failure: Error, Equatable, Sendable {
        /// Why the request was refused, in the original API's five categories.
        public enum Kind: Sendable, Equatable {
            /// The request is malformed: a field is missing or invalid (`invalid_request`).
            case badRequest
            /// The caller's proof failed: a wrong code or verifier, an unknown or expired refresh token, missing or wrong
            /// client credentials, a client that must use the OAuth endpoints (`unauthorized_client`).
            case unauthorized
            /// The request is well formed but refused: no sign-in waiting, a code used up or expired, a reused refresh
            /// token, a throttle, a disabled account (`access_denied`).
            case forbidden
            /// The server cannot answer now and the caller may retry (`temporarily_unavailable`).
            case unavailable
            /// The server could not complete the request (`server_error`).
            case serverFailure
        }

        /// What kind of refusal this is; the HTTP edge answers it with the status the original API used.
        public let kind: Kind
        /// The error code the original API used (`invalid_request`, `unauthorized_client`, `access_denied`, …).
        public let error: String
        /// What went wrong, for the developer; never repeats a value that was sent.
        public let description: String

        public init(kind: Kind, error: String, description: String) {
            self.kind = kind
            self.error = error
            self.description = description
        }

        /// A malformed request: `invalid_request`.
        public static func badRequest(_ description: String) -> Failure {
            Failure(kind: .badRequest, error: "invalid_request", description: description)
        }
        /// A failed proof: `unauthorized_client`.
        public static func unauthorized(_ description: String) -> Failure {
            Failure(kind: .unauthorized, error: "unauthorized_client", description: description)
        }
        /// A refused request: `access_denied`.
        public static func forbidden(_ description: String) -> Failure {
            Failure(kind: .forbidden, error: "access_denied", description: description)
        }
        /// A request to retry later: `temporarily_unavailable`.
        public static func unavailable(_ description: String) -> Failure {
            Failure(kind: .unavailable, error: "temporarily_unavailable", description: description)
        }
        /// A request the server could not complete: `server_error`.
        public static func serverFailure(_ description: String) -> Failure {
            Failure(kind: .serverFailure, error: "server_error", description: description)
        }
    }
}
