/// Which per-client budget a request counts against. An IPv4 address is one client. An IPv6 client is given a whole
/// /64 by its provider and picks any address in it at will, so a budget per address would be a fresh budget per
/// request: the /64 is one client.
public enum ClientBudget {
    /// The key of the budget `clientAddress` counts against; text that is not an address is its own key.
    public static func key(for clientAddress: String) -> String {
        guard let address = IPAddress(clientAddress) else { return clientAddress }
        return address.isIPv6 ? IPNetwork(address: address, prefixLength: 64).description : address.description
    }
}
