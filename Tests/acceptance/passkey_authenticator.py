"""A passkey authenticator in software, built on the `fido2` package's WebAuthn structures and COSE keys and on
`cryptography`: an implementation independent of the server's, which writes the responses a browser would post."""
import hashlib
import secrets

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from fido2 import cose
from fido2.webauthn import AttestationObject, AttestedCredentialData, AuthenticatorData, CollectedClientData

from base64url import b64, unb64

FLAG = AuthenticatorData.FLAG
# ES256, EdDSA and RS256: the algorithms the server offers, each with its key, COSE key type and signature.
ALGORITHMS = {
    "ES256": (lambda: ec.generate_private_key(ec.SECP256R1()), cose.ES256,
              lambda key, data: key.sign(data, ec.ECDSA(hashes.SHA256()))),
    "EdDSA": (ed25519.Ed25519PrivateKey.generate, cose.EdDSA, lambda key, data: key.sign(data)),
    "RS256": (lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048), cose.RS256,
              lambda key, data: key.sign(data, padding.PKCS1v15(), hashes.SHA256())),
}


class Authenticator:
    """One discoverable credential for `rp_id`, verifying its user unless told otherwise."""

    def __init__(self, rp_id, origin, algorithm="ES256"):
        make_key, self.cose_type, self.signer = ALGORITHMS[algorithm]
        self.key = make_key()
        self.rp_id = rp_id
        self.origin = origin
        self.credential_id = secrets.token_bytes(16)
        self.user_handle = None
        self.counter = 0

    def flags(self, user_verified=True, user_present=True):
        flags = FLAG(0)
        if user_present:
            flags |= FLAG.UP
        if user_verified:
            flags |= FLAG.UV
        return flags

    def create(self, options, origin=None):
        """navigator.credentials.create: RegistrationResponseJSON for `options` (PublicKeyCredentialCreationOptionsJSON)."""
        assert options["rp"]["id"] == self.rp_id
        self.user_handle = unb64(options["user"]["id"])
        client_data = CollectedClientData.create(type=CollectedClientData.TYPE.CREATE, challenge=unb64(options["challenge"]),
                                                 origin=origin or self.origin)
        public_key = self.cose_type.from_cryptography_key(self.key.public_key())
        credential = AttestedCredentialData.create(b"\0" * 16, self.credential_id, public_key)
        data = AuthenticatorData.create(hashlib.sha256(self.rp_id.encode()).digest(), self.flags() | FLAG.AT, self.counter,
                                        credential)
        attestation = AttestationObject.create("none", data, {})
        return {"id": b64(self.credential_id), "rawId": b64(self.credential_id), "type": "public-key",
                "response": {"clientDataJSON": b64(bytes(client_data)), "attestationObject": b64(bytes(attestation)),
                             "transports": ["internal"]}}

    def get(self, options, origin=None, rp_id=None, user_verified=True, user_present=True, challenge=None,
            tamper_signature=False):
        """navigator.credentials.get: AuthenticationResponseJSON for `options`, optionally wrong in one way."""
        self.counter += 1
        client_data = CollectedClientData.create(type=CollectedClientData.TYPE.GET,
                                                 challenge=challenge or unb64(options["challenge"]), origin=origin or self.origin)
        data = AuthenticatorData.create(hashlib.sha256((rp_id or self.rp_id).encode()).digest(),
                                        self.flags(user_verified, user_present), self.counter)
        signature = self.signer(self.key, bytes(data) + client_data.hash)
        if tamper_signature:
            signature = signature[:-1] + bytes([signature[-1] ^ 1])
        return {"id": b64(self.credential_id), "rawId": b64(self.credential_id), "type": "public-key",
                "response": {"clientDataJSON": b64(bytes(client_data)), "authenticatorData": b64(bytes(data)),
                             "signature": b64(signature), "userHandle": b64(self.user_handle) if self.user_handle else None}}
