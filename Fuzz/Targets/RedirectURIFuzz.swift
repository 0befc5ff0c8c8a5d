/// Redirect URIs: the first line is registered, the second presented. Nothing crashes, and a registrable URI that is
/// not loopback http matches only itself, byte for byte.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRedirectURI(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let lines = String(decoding: fuzzBytes(data, size), as: UTF8.self).split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let registered = String(lines[0])
    let candidate = lines.count > 1 ? String(lines[1]) : registered
    _ = RedirectURIPolicy.origin(of: candidate)
    guard (try? RedirectURIPolicy.validateForRegistration(registered)) != nil else { return 0 }
    if RedirectURIPolicy.matches(registered: registered, candidate: candidate) && !registered.hasPrefix("http://") {
        expect(candidate == registered, "\(candidate) matched \(registered)")
    }
    return 0
}
