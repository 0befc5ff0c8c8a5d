import LogintooCore
import LogintooHTTP
import Synchronization

/// The connections each client address holds open on one listener, so that one host cannot take every connection the
/// listener allows. A trusted proxy carries many clients' connections, so its own are not counted (the proxy in front
/// limits its clients). IPv6 clients count per /64, as their budgets do.
final class ClientConnectionCounter: Sendable {
    private let limit: Int
    private let exempt: TrustedProxies
    private let open = Mutex<[String: Int]>([:])

    init(limit: Int, exempt: TrustedProxies) { (self.limit, self.exempt) = (limit, exempt) }

    /// Counts a new connection from `peer` and returns the key to release when it closes; `nil` when it is not counted
    /// (a trusted proxy, or an address that isn't IP). Throws when the client already holds `limit` connections.
    func open(from peer: String?) throws(TooManyConnections) -> String? {
        guard let peer, let address = IPAddress(peer), !exempt.trusts(address) else { return nil }
        let key = ClientBudget.key(for: address.description)
        let admitted = open.withLock { counts in
            let current = counts[key, default: 0]
            guard current < limit else { return false }
            counts[key] = current + 1
            return true
        }
        guard admitted else { throw TooManyConnections(client: key, limit: limit) }
        return key
    }

    /// A connection counted by `open` has closed.
    func close(_ key: String) {
        open.withLock { counts in
            let remaining = counts[key, default: 1] - 1
            counts[key] = remaining > 0 ? remaining : nil
        }
    }
}

/// A client tried to open more connections than one client may hold.
struct TooManyConnections: Error, CustomStringConvertible {
    let client: String
    let limit: Int
    var description: String { "\(client) already holds \(limit) connections (LOGINTOO_MAX_CONNECTIONS_PER_CLIENT)" }
}
