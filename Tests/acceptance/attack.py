"""Shared pieces of the attack suite (test_attack_*.py, one file per docs/security.md section): a target server per module,
its clients, sign-in helpers and token forgery. Every attack runs over HTTP against the built binary, with the codes
read from a real SMTP server."""
import base64
import hashlib
import json
import secrets
import uuid
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests

from base64url import b64, unb64  # noqa: F401 (the tests import them from here)
from browser import Person
from conftest import Server

REDIRECT = "http://127.0.0.1:9/callback"
BACKEND_REDIRECT = "https://backend.example/cb"
API = "https://api.example.com"
# Throttles out of the way, so that each attack meets the defence it is about; throttles have tests of their own.
LENIENT = ["--send-interval", "0", "--sends-per-address-per-hour", "1000", "--sends-per-ip-per-hour", "1000000",
           "--refresh-grace", "0"]
RUN = uuid.uuid4().hex[:6]


def address(name):
    """An address used by no other test of the session."""
    return f"{name}-{RUN}-{secrets.token_hex(3)}@example.com"


@pytest.fixture(scope="module")
def target(binary, smtp, tmp_path_factory):
    server = Server(binary, tmp_path_factory.mktemp("target"), f"smtp://127.0.0.1:{smtp.port}", extra=LENIENT).start()
    yield server
    assert server.stop() == 0


@pytest.fixture(scope="module")
def client_id(target):
    """A public client (a single-page site)."""
    registered = target.add_client(name="Site", redirect_uris=[REDIRECT], post_logout=["http://127.0.0.1:9/signed-out"])
    return registered["client_id"]


@pytest.fixture(scope="module")
def backend(target):
    """A confidential client: (client_id, client_secret)."""
    registered = target.add_client(name="Backend", redirect_uris=[BACKEND_REDIRECT], confidential=True)
    return registered["client_id"], registered["client_secret"]


def pkce():
    verifier = secrets.token_urlsafe(48)
    return verifier, base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


def authorize_url(target, client_id, challenge, **overrides):
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT, "scope": "openid email offline_access",
              "state": "st", "nonce": "n", "code_challenge": challenge, "code_challenge_method": "S256"}
    params.update(overrides)
    return target.issuer + "/authorize?" + urlencode({k: v for k, v in params.items() if v is not None})


def query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def begin(target, smtp, client_id, email, **overrides):
    """A person who asked for a code: (person, verifier); the code is in `smtp`."""
    verifier, challenge = pkce()
    person = Person(target, smtp, email)
    page = person.open(authorize_url(target, client_id, challenge, **overrides))
    assert page.status_code == 200, page.text
    person.submit_email(page)
    return person, verifier


def sign_in(target, smtp, client_id, email=None, **overrides):
    """Signs a person in; (authorization code, verifier, person)."""
    person, verifier = begin(target, smtp, client_id, email or address("user"), **overrides)
    done = person.submit_code(smtp.code_for(person.email))
    assert done.status_code == 303, done.text
    return query(done.headers["Location"])["code"], verifier, person


def exchange(target, client_id, code, verifier, redirect_uri=REDIRECT, auth=None, **extra):
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri, "code_verifier": verifier, **extra}
    if auth is None:
        form["client_id"] = client_id
    return requests.post(target.issuer + "/token", data=form, auth=auth, timeout=30)


def tokens(target, smtp, client_id, email=None, **overrides):
    code, verifier, _ = sign_in(target, smtp, client_id, email, **overrides)
    answer = exchange(target, client_id, code, verifier, **({"resource": overrides["resource"]} if "resource" in overrides else {}))
    assert answer.status_code == 200, answer.text
    return answer.json()


def refresh(target, client_id, token, **extra):
    return requests.post(target.issuer + "/token", timeout=30,
                         data={"grant_type": "refresh_token", "client_id": client_id, "refresh_token": token, **extra})


def userinfo(target, token):
    return requests.get(target.issuer + "/userinfo", headers={"Authorization": "Bearer " + token}, timeout=30)


def verdict(answer):
    """What a code submission at the login page came to: signed in, throttled, a dead code, or a wrong one."""
    if answer.status_code == 303:
        return "signed_in"
    if answer.status_code == 429:
        return "throttled"
    assert answer.status_code == 400 and "Location" not in answer.headers, answer.status_code
    return "dead" if "expired or was replaced" in answer.text else "wrong"


def jwt_parts(token):
    header, payload, signature = token.split(".")
    return json.loads(unb64(header)), json.loads(unb64(payload)), signature


def compact(header, payload, signature=b""):
    encode = lambda value: b64(json.dumps(value, separators=(",", ":")).encode())
    return f"{encode(header)}.{encode(payload)}.{b64(signature)}"
