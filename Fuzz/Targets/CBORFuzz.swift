/// WebAuthn's binary parsers on hostile bytes: CBOR, COSE keys, authenticator data, attestation objects and client
/// data. None may crash; a decoded CBOR value encodes and decodes back to itself; parsed authenticator data keeps its
/// bytes, and an attested credential's stored key bytes parse back to the same key.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCBOR(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    if let value = try? CBOR.decodeWhole(bytes) {
        expect((try? CBOR.decodeWhole(CBOR.encode(value))) == value, "CBOR round trip of \(value)")
    }
    if let (_, rest) = try? CBOR.decode(bytes[...]) {
        expect(rest.endIndex == bytes.endIndex && rest.startIndex > bytes.startIndex, "CBOR rest is a proper suffix")
    }
    if let authenticatorData = try? AuthenticatorData.parse(bytes) {
        expect(authenticatorData.raw == bytes, "authenticator data keeps its bytes")
        if let credential = authenticatorData.attestedCredential {
            expect((try? COSEKey.parse(bytes: credential.publicKeyBytes)) == credential.publicKey, "stored key bytes parse back")
        }
    }
    _ = try? COSEKey.parse(bytes: bytes)
    _ = try? AttestationObject.parse(bytes)
    _ = try? CollectedClientData.parse(bytes)
    return 0
}
