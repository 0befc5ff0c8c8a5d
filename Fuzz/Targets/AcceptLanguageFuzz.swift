/// Accept-Language: never crashes, keeps at most `maxRanges` ranges, and only ever picks an offered language.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAcceptLanguage(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let header = AcceptLanguage(String(decoding: fuzzBytes(data, size), as: UTF8.self))
    expect(header.ranges.count <= AcceptLanguage.maxRanges, "too many ranges")
    let offered = ["en", "de", "fr", "pt", "zh-Hans"]
    if let choice = header.bestMatch(offered: offered) { expect(offered.contains(choice), "picked \(choice)") }
    return 0
}
