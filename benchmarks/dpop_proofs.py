"""DPoP proofs (RFC 9449 §4) made ahead of a benchmark run: wrk's Lua cannot sign ES256, so every request takes the
next line of a file of proofs, each used once, as a client makes one per request. They carry the server's current
nonce (RFC 9449 §8: it lasts at least five minutes) and the time they are made (`iat`: accepted for 300 seconds), so
a file is made just before the run that uses it.

  dpop_proofs.py key FILE                                  a new P-256 key, PEM, in FILE
  dpop_proofs.py proofs FILE COUNT METHOD URL [TOKEN]      COUNT proofs by FILE's key for METHOD URL, with `ath` for
                                                           the access token TOKEN; one per line
"""
import base64
import hashlib
import json
import secrets
import sys
import time
import urllib.request
from urllib.error import HTTPError
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def server_nonce(url):
    """The nonce the server hands out with every answer of its token endpoint, if nonces are on."""
    parts = urlsplit(url)
    try:
        with urllib.request.urlopen(urllib.request.Request(f"{parts.scheme}://{parts.netloc}/token", data=b"")) as answer:
            return answer.headers.get("DPoP-Nonce")
    except HTTPError as refused:
        return refused.headers.get("DPoP-Nonce")


def proofs(key, count, method, url, token=None):
    numbers = key.public_key().public_numbers()
    jwk = {"kty": "EC", "crv": "P-256", "x": b64(numbers.x.to_bytes(32, "big")), "y": b64(numbers.y.to_bytes(32, "big"))}
    header = b64(json.dumps({"typ": "dpop+jwt", "alg": "ES256", "jwk": jwk}, separators=(",", ":")).encode())
    fixed = {"htm": method, "htu": url, "iat": int(time.time())}
    if nonce := server_nonce(url):
        fixed["nonce"] = nonce
    if token:
        fixed["ath"] = b64(hashlib.sha256(token.encode()).digest())
    for _ in range(count):
        claims = b64(json.dumps({"jti": secrets.token_urlsafe(12), **fixed}, separators=(",", ":")).encode())
        signing_input = f"{header}.{claims}".encode()
        r, s = decode_dss_signature(key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        yield f"{header}.{claims}.{b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


def main():
    command, path, *rest = sys.argv[1:]
    if command == "key":
        key = ec.generate_private_key(ec.SECP256R1())
        with open(path, "wb") as file:
            file.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption()))
        return
    with open(path, "rb") as file:
        key = serialization.load_pem_private_key(file.read(), password=None)
    count, method, url, *token = rest
    sys.stdout.writelines(proof + "\n" for proof in proofs(key, int(count), method, url, *token))


if __name__ == "__main__":
    main()
