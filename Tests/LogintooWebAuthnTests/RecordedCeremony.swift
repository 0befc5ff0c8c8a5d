import LogintooWebAuthn

/// Registration and assertion responses recorded once from an independent implementation (a script on Python's
/// `cryptography` package playing browser and authenticator, fixed keys where the library allows it) and frozen
/// here as data: RP ID `login.example.com`, origin `https://login.example.com`, attestation `none`.
struct RecordedCeremony: Sendable {
    let algorithm: COSEAlgorithm
    let credentialId: String
    let aaguid: String
    let publicKey: String
    let registrationChallenge: String
    let registrationClientData: String
    let attestationObject: String
    let registrationSignCount: UInt32
    let assertionChallenge: String
    let assertionClientData: String
    let authenticatorData: String
    let signature: String
    let assertionSignCount: UInt32

    static let relyingParty = RelyingParty(id: "login.example.com", origins: ["https://login.example.com"])
    static let all = [es256, edDSA, rs256]

    /// ES256 on P-256, DER signature, synced-passkey flags (BE, BS), no counter.
    static let es256 = RecordedCeremony(
        algorithm: .es256,
        credentialId: """
        d27185cdbe110dd74a7ceed3b6a91d60
        """,
        aaguid: "00000000000000000000000000000000",
        publicKey: """
        a5010203262001215820bd7c73b88b2e9b4ceda62022b2da8be13193a5b56edc26e7df7842e24cd0b5eb2258200605ad
        a7bda83ac6a2b80d7e314040fa47ff16b83bac85cedb014451bb7ce71a
        """,
        registrationChallenge: "a3ad48f87db943b1deb1cbc346db66f6d29170d9302a80bd23978c7389ef5b81",
        registrationClientData: #"{"type":"webauthn.create","challenge":"o61I-H25Q7HescvDRttm9tKRcNkwKoC9I5eMc4nvW4E","origin":"https://login.example.com","crossOrigin":false}"#,
        attestationObject: """
        a363666d74646e6f6e656761747453746d74a068617574684461746158940c6ca0839c3a5683557833f618a2556665df
        2a088964787d53850b4ad4d3bedc5d00000000000000000000000000000000000000000010d27185cdbe110dd74a7cee
        d3b6a91d60a5010203262001215820bd7c73b88b2e9b4ceda62022b2da8be13193a5b56edc26e7df7842e24cd0b5eb22
        58200605ada7bda83ac6a2b80d7e314040fa47ff16b83bac85cedb014451bb7ce71a
        """,
        registrationSignCount: 0,
        assertionChallenge: "90cb295aeff00bd16651d1e57784a86a07fe889c487590b800ec66ee5b3ecf28",
        assertionClientData: #"{"type":"webauthn.get","challenge":"kMspWu_wC9FmUdHld4Soagf-iJxIdZC4AOxm7ls-zyg","origin":"https://login.example.com","crossOrigin":false}"#,
        authenticatorData: """
        0c6ca0839c3a5683557833f618a2556665df2a088964787d53850b4ad4d3bedc1d00000000
        """,
        signature: """
        3044022015b4a99eeb0227da4650e41db7b2a034370205bf5cfedca8cdde414bcd7bfef002205041e5a2447129b3e2a0
        6157d07b7308126cddf6eb30a0758cbacefed58cad0f
        """,
        assertionSignCount: 0
    )

    /// EdDSA on Ed25519, synced-passkey flags, no counter.
    static let edDSA = RecordedCeremony(
        algorithm: .edDSA,
        credentialId: """
        08bdf18932a7c274a67d84f75b5ae5b4099e48f151c7620d
        """,
        aaguid: "00000000000000000000000000000000",
        publicKey: """
        a401010327200621582003a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8
        """,
        registrationChallenge: "2e1b55943b6daed9671ada36b32323e4584990c197717679f9f547a9155228d5",
        registrationClientData: #"{"type":"webauthn.create","challenge":"LhtVlDttrtlnGto2syMj5FhJkMGXcXZ5-fVHqRVSKNU","origin":"https://login.example.com","crossOrigin":false}"#,
        attestationObject: """
        a363666d74646e6f6e656761747453746d74a068617574684461746158790c6ca0839c3a5683557833f618a2556665df
        2a088964787d53850b4ad4d3bedc5d0000000000000000000000000000000000000000001808bdf18932a7c274a67d84
        f75b5ae5b4099e48f151c7620da401010327200621582003a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1d
        dc8664125531b8
        """,
        registrationSignCount: 0,
        assertionChallenge: "ba9f28528c478552b42edfda083c2a59892966880168c7a6aad467b6b329aac9",
        assertionClientData: #"{"type":"webauthn.get","challenge":"up8oUoxHhVK0Lt_aCDwqWYkpZogBaMemqtRntrMpqsk","origin":"https://login.example.com","crossOrigin":false}"#,
        authenticatorData: """
        0c6ca0839c3a5683557833f618a2556665df2a088964787d53850b4ad4d3bedc1d00000000
        """,
        signature: """
        a0aa83bc41cdfbe3f875e5bfa7239d74a36609497f3094799ee0e38ce35fc977a3698adbff272a20ced1e319bcf3a0d5
        1ed9d58de00df0e4a9697d2a46353104
        """,
        assertionSignCount: 0
    )

    /// RS256 with a 2048-bit key, a device-bound credential with a counter and an AAGUID.
    static let rs256 = RecordedCeremony(
        algorithm: .rs256,
        credentialId: """
        5a4bcbd4d52208f0410a9fead8caff3264f57dbe97146a71e7acd866174aca3c
        """,
        aaguid: "00112233445566778899aabbccddeeff",
        publicKey: """
        a401030339010020590100afd6734efff63892c2bd0c072da6906c187a1c93f1550cd79fdc64e726b865a8980de1da4f
        d8e6aafbefcfb58f1fc586ccaf6ea514eb81318154a88622ae80720ceba8c9ec0dfb33f68eb10239ae9560cec630ab03
        a5847de7a50b339131183d8fa460ae1832f0e3325d0971613025b2ba927ed2af011b9e953758e20a843b8e338511f96a
        d9ec33483786fa85a616d73ade3d2c21d6f32be1a7420c10c0df4d941c9b7c084763da8ec71f3aa6f055d6ed6f625961
        628470d6af0f6366f1bb79f0f3192db27b6d0b605c81b937b82f7787c1080c59077e3e124a7763529bf3aec1454a5308
        e47cf6a8ed13863949e3e6bf9e6dde11dfcbf42126f46343c99b072143010001
        """,
        registrationChallenge: "94cc08af4ab743adedb73f5c94e60d7a49d8265cdf7fe41ac5338796d401cd5c",
        registrationClientData: #"{"type":"webauthn.create","challenge":"lMwIr0q3Q63ttz9clOYNeknYJlzff-QaxTOHltQBzVw","origin":"https://login.example.com","crossOrigin":false}"#,
        attestationObject: """
        a363666d74646e6f6e656761747453746d74a06861757468446174615901670c6ca0839c3a5683557833f618a2556665
        df2a088964787d53850b4ad4d3bedc450000000700112233445566778899aabbccddeeff00205a4bcbd4d52208f0410a
        9fead8caff3264f57dbe97146a71e7acd866174aca3ca401030339010020590100afd6734efff63892c2bd0c072da690
        6c187a1c93f1550cd79fdc64e726b865a8980de1da4fd8e6aafbefcfb58f1fc586ccaf6ea514eb81318154a88622ae80
        720ceba8c9ec0dfb33f68eb10239ae9560cec630ab03a5847de7a50b339131183d8fa460ae1832f0e3325d0971613025
        b2ba927ed2af011b9e953758e20a843b8e338511f96ad9ec33483786fa85a616d73ade3d2c21d6f32be1a7420c10c0df
        4d941c9b7c084763da8ec71f3aa6f055d6ed6f625961628470d6af0f6366f1bb79f0f3192db27b6d0b605c81b937b82f
        7787c1080c59077e3e124a7763529bf3aec1454a5308e47cf6a8ed13863949e3e6bf9e6dde11dfcbf42126f46343c99b
        072143010001
        """,
        registrationSignCount: 7,
        assertionChallenge: "4e0ed32a826b65892b4c2ba4ebce54a1f47114d317ac5bfeab65c92f690dc5ee",
        assertionClientData: #"{"type":"webauthn.get","challenge":"Tg7TKoJrZYkrTCuk685UofRxFNMXrFv-q2XJL2kNxe4","origin":"https://login.example.com","crossOrigin":false}"#,
        authenticatorData: """
        0c6ca0839c3a5683557833f618a2556665df2a088964787d53850b4ad4d3bedc0500000008
        """,
        signature: """
        313854380437a6bd86e8e0b6a2b29e3ec3245a4c91cd74c11891f181691621268e3c74ab06c10cac2d08bc0aadb68db3
        c7eba3d2f357ff7e1acd23cdbbd823388407285952ec9611ad9bf5399515babc2a683f2cc23abec317de8480295cbff6
        2c55a73c6e335cf9330c0cead11c8387655335d658446abcbd6dad796b0300711000bdd5d5ba75749a0937c5b8bab112
        beac17834a09b7f6b800be6ae6fbbdece97e0e8153f53c3033c96bf51d9a0138999fcccf019f45ca5d0155df34e25871
        c26796314abb2f032cbe8c4e94daa994546c017954daaadf4925df4cac65882262b3ac4a241ab1dd5dfd71db65b0c101
        42d32ab9c005dccbd202366e30472960
        """,
        assertionSignCount: 8
    )
}
