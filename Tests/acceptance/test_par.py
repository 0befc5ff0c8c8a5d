"""Pushed authorization requests (RFC 9126) over real HTTP against the built binary: push, authorize with the request_uri,
sign in with the emailed code, exchange the code; and the refusals docs/security.md (C92) promises."""
import base64
import hashlib
import json
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import requests

from browser import Person
from conftest import Server

REDIRECT = "http://127.0.0.1:9/callback"


def query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def pkce():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorization_parameters(client_id, challenge, **extra):
    return {"response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT, "scope": "openid email",
            "state": "pushed-state", "nonce": "n-1", "code_challenge": challenge, "code_challenge_method": "S256", **extra}


def authorize_url(server, client_id, request_uri, **extra):
    return server.issuer + "/authorize?" + urlencode({"client_id": client_id, "request_uri": request_uri, **extra})


def test_push_then_authorize_sign_in_and_exchange_the_code(server, smtp):
    meta = requests.get(server.issuer + "/.well-known/openid-configuration").json()
    assert meta["pushed_authorization_request_endpoint"] == server.issuer + "/par"
    assert meta["require_pushed_authorization_requests"] is False
    client_id = server.add_client()["client_id"]
    verifier, challenge = pkce()

    pushed = requests.post(meta["pushed_authorization_request_endpoint"], data=authorization_parameters(client_id, challenge))
    assert pushed.status_code == 201, pushed.text
    assert pushed.headers["Cache-Control"] == "no-store"
    body = pushed.json()
    assert body["expires_in"] == 60 and body["request_uri"].startswith("urn:ietf:params:oauth:request_uri:")

    # What the browser's URL says beside the request_uri does not count: the pushed request does.
    url = authorize_url(server, client_id, body["request_uri"], redirect_uri="http://127.0.0.1:9/elsewhere",
                        state="query-state", scope="openid email offline_access")
    back = Person(server, smtp, f"par-{secrets.token_hex(4)}@example.com").sign_in(url)
    assert back.startswith(REDIRECT + "?") and query(back)["state"] == "pushed-state"

    token = requests.post(meta["token_endpoint"], data={
        "grant_type": "authorization_code", "code": query(back)["code"], "redirect_uri": REDIRECT, "client_id": client_id,
        "code_verifier": verifier})
    assert token.status_code == 200, token.text
    assert token.json()["scope"] == "openid email" and "refresh_token" not in token.json()

    again = requests.get(authorize_url(server, client_id, body["request_uri"]), allow_redirects=False)
    assert again.status_code == 400 and "Location" not in again.headers, "a request_uri is used once"


def test_refusals_are_json_errors_and_client_authentication_is_the_token_endpoints(server):
    public_id = server.add_client()["client_id"]
    confidential = server.add_client(name="Backend", confidential=True)
    _, challenge = pkce()
    par = server.issuer + "/par"

    wrong = requests.post(par, data=authorization_parameters(confidential["client_id"], challenge, client_secret="wrong"))
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client"
    basic = requests.post(par, data=authorization_parameters(confidential["client_id"], challenge),
                          auth=(confidential["client_id"], confidential["client_secret"]))
    assert basic.status_code == 201, basic.text

    cases = [
        (authorization_parameters(public_id, challenge, request="eyJhbGciOiJub25lIn0.e30."), "request_not_supported"),
        (authorization_parameters(public_id, challenge, request_uri="urn:ietf:params:oauth:request_uri:x"), "invalid_request"),
        (authorization_parameters(public_id, challenge, redirect_uri="https://evil.example.com/cb"), "invalid_request"),
        ({k: v for k, v in authorization_parameters(public_id, challenge).items() if not k.startswith("code_challenge")},
         "invalid_request"),
    ]
    for form, error in cases:
        refused = requests.post(par, data=form, allow_redirects=False)
        assert refused.status_code == 400 and refused.json()["error"] == error, (form, refused.text)
        assert "Location" not in refused.headers

    theirs = basic.json()["request_uri"]
    other = requests.get(authorize_url(server, public_id, theirs), allow_redirects=False)
    assert other.status_code == 400 and "Location" not in other.headers, "only the client that pushed it may use it"


def test_a_client_registered_with_require_par_must_push(server):
    strict = json.loads(server.cli("client", "add", "--name", "Strict", "--redirect-uri", REDIRECT, "--require-par",
                                   "--json").stdout)["client_id"]
    shown = json.loads(server.cli("client", "show", strict).stdout)
    assert shown["settings"]["requirePushedAuthorizationRequests"] is True
    _, challenge = pkce()
    direct = server.issuer + "/authorize?" + urlencode(authorization_parameters(strict, challenge))
    refused = requests.get(direct, allow_redirects=False)
    assert refused.status_code == 303 and refused.headers["Location"].startswith(REDIRECT + "?")
    assert query(refused.headers["Location"])["error"] == "invalid_request"

    pushed = requests.post(server.issuer + "/par", data=authorization_parameters(strict, challenge)).json()
    served = requests.get(authorize_url(server, strict, pushed["request_uri"]), allow_redirects=False)
    assert served.status_code == 303 and served.headers["Location"].startswith("/login?tx=")

    server.cli("client", "set", strict, "--no-require-par")
    assert requests.get(direct, allow_redirects=False).headers["Location"].startswith("/login?tx=")


def test_the_server_wide_setting_requires_par_of_every_client(binary, smtp, tmp_path):
    server = Server(binary, tmp_path, f"smtp://127.0.0.1:{smtp.port}", extra=["--require-par-for-all", "true"]).start()
    try:
        meta = requests.get(server.issuer + "/.well-known/oauth-authorization-server").json()
        assert meta["require_pushed_authorization_requests"] is True
        client_id = server.add_client()["client_id"]
        _, challenge = pkce()
        refused = requests.get(server.issuer + "/authorize?" + urlencode(authorization_parameters(client_id, challenge)),
                               allow_redirects=False)
        assert query(refused.headers["Location"])["error"] == "invalid_request"
        pushed = requests.post(server.issuer + "/par", data=authorization_parameters(client_id, challenge)).json()
        served = requests.get(authorize_url(server, client_id, pushed["request_uri"]), allow_redirects=False)
        assert served.headers["Location"].startswith("/login?tx=")
    finally:
        assert server.stop() == 0
