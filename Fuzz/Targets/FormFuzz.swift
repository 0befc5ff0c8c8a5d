/// Form bodies and query strings: decoding never crashes, and what decodes survives encoding and decoding again.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzForm(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: fuzzBytes(data, size), as: UTF8.self)
    guard let pairs = URLQuery.decode(Substring(text)) else { return 0 }
    let again = URLQuery.decode(Substring(URLQuery.encode(pairs)))
    expect(again.map { $0.map(\.0) } == pairs.map(\.0) && again.map { $0.map(\.1) } == pairs.map(\.1), "round trip of \(pairs)")
    return 0
}
