"""Forged and misused JWTs at userinfo and introspection (docs/security.md section G): `alg: none`, HS256 keyed with the
public key, `kid` injection, `jku`/`x5u`/`jwk` headers, foreign keys, tampering, wrong `aud`/`iss`, ID tokens posing
as access tokens, and expiry."""
import hashlib
import hmac
import json
import time

import pytest
import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from attack import (API, b64, backend, client_id, compact, jwt_parts, sign_in, exchange, target, tokens,  # noqa: F401
                    userinfo)

ATTACKER = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def attacker_jwk():
    numbers = ATTACKER.public_key().public_numbers()
    as_bytes = lambda n: n.to_bytes((n.bit_length() + 7) // 8, "big")
    return {"kty": "RSA", "n": b64(as_bytes(numbers.n)), "e": b64(as_bytes(numbers.e)), "kid": "attacker", "alg": "RS256"}


def signed_by_attacker(header, payload):
    unsigned = compact(header, payload).rsplit(".", 1)[0]
    return unsigned + "." + b64(ATTACKER.sign(unsigned.encode(), padding.PKCS1v15(), hashes.SHA256()))


def server_public_pem(target, kid):
    key = next(k for k in requests.get(target.issuer + "/.well-known/jwks.json").json()["keys"] if k["kid"] == kid)
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers
    from attack import unb64
    number = lambda text: int.from_bytes(unb64(text), "big")
    public = RSAPublicNumbers(number(key["e"]), number(key["n"])).public_key()
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo), key


def forge(kind, target, genuine, id_token):
    header, payload, signature = jwt_parts(genuine)
    if kind == "alg none":
        return compact({**header, "alg": "none"}, payload)
    if kind == "alg none, no signature part":
        return compact({**header, "alg": "none"}, payload).rstrip(".")
    if kind == "HS256 keyed with the public key (PEM)" or kind == "HS256 keyed with the public key (JWK)":
        pem, jwk = server_public_pem(target, header["kid"])
        secret = pem if "PEM" in kind else json.dumps(jwk).encode()
        unsigned = compact({**header, "alg": "HS256"}, payload).rsplit(".", 1)[0]
        return unsigned + "." + b64(hmac.new(secret, unsigned.encode(), hashlib.sha256).digest())
    if kind == "kid injection":
        return signed_by_attacker({**header, "kid": "../../../../../dev/null"}, payload)
    if kind == "unknown kid, foreign key":
        return signed_by_attacker({**header, "kid": "attacker"}, payload)
    if kind == "jku to the attacker's keys":
        return signed_by_attacker({**header, "kid": "attacker", "jku": "http://127.0.0.1:9/jwks.json"}, payload)
    if kind == "x5u to the attacker's certificate":
        return signed_by_attacker({**header, "kid": "attacker", "x5u": "http://127.0.0.1:9/cert.pem"}, payload)
    if kind == "embedded jwk":
        return signed_by_attacker({**header, "jwk": attacker_jwk()}, payload)
    if kind == "server's kid, foreign signature":
        return signed_by_attacker(header, payload)
    if kind == "tampered subject":
        return compact(header, {**payload, "sub": "someone-else"}).rsplit(".", 1)[0] + "." + signature
    if kind == "unknown crit header":
        return signed_by_attacker({**header, "kid": "attacker", "crit": ["x-ignore-expiry"], "x-ignore-expiry": True}, payload)
    if kind == "wrong iss":
        return signed_by_attacker({**header, "kid": "attacker"}, {**payload, "iss": "https://evil.example"})
    if kind == "wrong aud":
        return signed_by_attacker({**header, "kid": "attacker"}, {**payload, "aud": "https://evil.example"})
    if kind == "id token as access token":
        return id_token
    if kind == "truncated":
        return genuine[: len(genuine) // 2]
    raise AssertionError(kind)


FORGERIES = ["alg none", "alg none, no signature part", "HS256 keyed with the public key (PEM)",
             "HS256 keyed with the public key (JWK)", "kid injection", "unknown kid, foreign key", "jku to the attacker's keys",
             "x5u to the attacker's certificate", "embedded jwk", "server's kid, foreign signature", "tampered subject",
             "unknown crit header", "wrong iss", "wrong aud", "id token as access token", "truncated"]


@pytest.fixture(scope="module")
def genuine(target, smtp, client_id):
    issued = tokens(target, smtp, client_id)
    assert userinfo(target, issued["access_token"]).status_code == 200
    return issued


def introspect(target, backend, token):
    return requests.post(target.issuer + "/introspect", data={"token": token}, auth=backend)


@pytest.mark.parametrize("kind", FORGERIES)
def test_forged_tokens_are_refused_at_userinfo(target, genuine, kind):
    answer = userinfo(target, forge(kind, target, genuine["access_token"], genuine["id_token"]))
    assert answer.status_code == 401 and 'error="invalid_token"' in answer.headers["WWW-Authenticate"]


@pytest.mark.parametrize("kind", FORGERIES)
def test_forged_tokens_are_inactive_at_introspection(target, genuine, backend, kind):
    answer = introspect(target, backend, forge(kind, target, genuine["access_token"], genuine["id_token"]))
    assert answer.status_code == 200 and answer.json() == {"active": False}


def test_introspection_requires_a_confidential_client(target, genuine, client_id):
    anonymous = requests.post(target.issuer + "/introspect", data={"token": genuine["access_token"]})
    assert anonymous.status_code == 401
    public = requests.post(target.issuer + "/introspect", data={"token": genuine["access_token"], "client_id": client_id})
    assert public.status_code == 401 and "active" not in public.text


def test_a_token_made_for_an_api_is_refused_at_userinfo(target, smtp):
    api_client = json.loads(target.cli("client", "add", "--name", "With API", "--redirect-uri", "http://127.0.0.1:9/callback",
                                       "--resource", API, "--json").stdout)["client_id"]
    issued = tokens(target, smtp, api_client, resource=API)
    assert jwt_parts(issued["access_token"])[1]["aud"] == API
    assert userinfo(target, issued["access_token"]).status_code == 401


def test_expired_codes_and_access_tokens_are_refused(target, smtp, backend):
    """One minute is the shortest access-token lifetime a client can have, and the code lifetime; both run out together."""
    short = target.add_client(name="Short", redirect_uris=["http://127.0.0.1:9/callback"])["client_id"]
    target.cli("client", "set", short, "accessTokenExp=60")
    issued = tokens(target, smtp, short)
    code, verifier, _ = sign_in(target, smtp, short)
    assert userinfo(target, issued["access_token"]).status_code == 200
    time.sleep(61)
    assert userinfo(target, issued["access_token"]).status_code == 401
    assert introspect(target, backend, issued["access_token"]).json() == {"active": False}
    expired = exchange(target, short, code, verifier)
    assert expired.status_code == 400 and expired.json()["error"] == "invalid_grant"
