/// Compact JWS splitting: never crashes; what it accepts has three parts and signs exactly its first two.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJWS(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let token = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    guard let parsed = ParsedJWS(token) else { return 0 }
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    expect(parts.count == 3, "three parts")
    expect(String(decoding: parsed.signingInput, as: UTF8.self) == parts[0] + "." + parts[1], "signing input")
    _ = parsed.hasPlainHeader(type: "at+jwt")
    return 0
}
