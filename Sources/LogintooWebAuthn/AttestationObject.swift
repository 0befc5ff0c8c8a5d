/// The attestation object of a registration (WebAuthn §6.5.4): `{fmt, attStmt, authData}`.
///
/// The statement is not verified: the server asks for attestation `none` and makes no trust decision from it. Its
/// shape is still checked, and under `none` it must be empty (§8.7).
public struct AttestationObject: Sendable, Equatable {
    /// The attestation statement format, e.g. `none` or `packed`.
    public let format: String
    /// The authenticator data, parsed.
    public let authenticatorData: AuthenticatorData

    /// Decodes and reads an attestation object.
    public static func parse(_ bytes: [UInt8]) throws(WebAuthnError) -> AttestationObject {
        let value: CBORValue
        do { value = try CBOR.decodeWhole(bytes) } catch { throw .malformed("attestation object", error) }
        guard value.mapEntries != nil else { throw .malformed("attestation object is not a map") }
        guard case .text(let format)? = value[.text("fmt")] else { throw .malformed("attestation fmt is not a text string") }
        guard let statement = value[.text("attStmt")]?.mapEntries else { throw .malformed("attestation attStmt is not a map") }
        guard format != "none" || statement.isEmpty else { throw .malformed("attestation none with a non-empty attStmt") }
        guard case .bytes(let authData)? = value[.text("authData")] else {
            throw .malformed("attestation authData is not a byte string")
        }
        return AttestationObject(format: format, authenticatorData: try AuthenticatorData.parse(authData))
    }
}
