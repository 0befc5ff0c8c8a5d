/// Bounds on what the CBOR decoder accepts, so that hostile input costs little memory and time.
public struct CBORLimits: Sendable, Equatable {
    /// The deepest nesting of arrays and maps; the top-level item is depth 1.
    public var maxDepth: Int
    /// The most data items in one decoded value, counting every nested item and map key.
    public var maxItems: Int
    /// The most bytes the input may hold.
    public var maxBytes: Int

    public init(maxDepth: Int, maxItems: Int, maxBytes: Int) {
        self.maxDepth = maxDepth
        self.maxItems = maxItems
        self.maxBytes = maxBytes
    }

    /// Ample for attestation objects, COSE keys and extension outputs; far below anything that hurts.
    public static let webAuthn = CBORLimits(maxDepth: 16, maxItems: 2048, maxBytes: 64 * 1024)
}
