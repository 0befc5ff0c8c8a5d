"""DPoP proofs (RFC 9449 §4) made by hand with joserfc, for the tests that send good and bad ones."""
import hashlib
import secrets
import time

from joserfc import jwt
from joserfc.jwk import ECKey

from attack import b64


def new_key():
    return ECKey.generate_key("P-256")


def public_jwk(key):
    return {name: value for name, value in key.as_dict(private=False).items() if name in ("kty", "crv", "x", "y", "n", "e")}


def proof(key, method, url, *, token=None, nonce=None, alg="ES256", jwk=None, signer=None, **claims):
    """A proof by `key` for `method` and `url`, with `ath` for `token`; `claims` replace the standard ones (None drops
    one), `jwk` the header's key and `signer` the key that signs."""
    payload = {"jti": secrets.token_urlsafe(16), "htm": method, "htu": url, "iat": int(time.time())}
    if nonce:
        payload["nonce"] = nonce
    if token:
        payload["ath"] = b64(hashlib.sha256(token.encode()).digest())
    payload.update(claims)
    payload = {name: value for name, value in payload.items() if value is not None}
    header = {"typ": "dpop+jwt", "alg": alg, "jwk": jwk or public_jwk(key)}
    return jwt.encode(header, payload, signer or key, algorithms=[alg])
