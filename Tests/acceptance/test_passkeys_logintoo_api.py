"""Passkeys through the 2026-06 Logintoo JSON API, as a custom login page on the client's own origin runs them, with the
`fido2`-based authenticator: a code sign-in, a passkey added with that sign-in's refresh token (the account is emailed),
then a passkey sign-in that sends no mail and whose code only the PKCE verifier's holder can exchange."""
import secrets
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from passkey_authenticator import Authenticator
from test_logintoo_api import Callback, call, exchange_redirect, import_client, pkce, sign_in, verify_access_token


@pytest.fixture
def callback():
    target = Callback()
    yield target
    target.close()


def site_origin(callback):
    parts = urlsplit(callback.url)
    return f"{parts.scheme}://{parts.netloc}"


def test_a_custom_login_page_adds_a_passkey_then_signs_in_with_it_alone(server, smtp, callback, tmp_path):
    client_id = str(uuid.uuid4())
    import_client(server, tmp_path, client_id, callback.url)
    address = f"pat-{secrets.token_hex(3)}@example.org"
    first = sign_in(server, smtp, client_id, callback.url, address)
    origin = site_origin(callback)
    authenticator = Authenticator(urlsplit(server.issuer).hostname, origin)

    options = call(server, "POST", "/2026-06/webauthn/registration/options",
                   {"refresh_token": first["refresh_token"], "client_id": client_id})
    assert options.status_code == 200, options.text
    assert options.headers["Access-Control-Allow-Origin"] == "*"
    added = call(server, "POST", "/2026-06/webauthn/registration", {
        "refresh_token": first["refresh_token"], "client_id": client_id, "credential": authenticator.create(options.json()),
        "name": "Pat's laptop"})
    assert added.status_code == 201 and added.json()["name"] == "Pat's laptop", added.text
    notice = smtp.wait_for(address, count=2).get_body(preferencelist=("plain",)).get_content()
    assert "Pat's laptop" in notice and "Old Shop" in notice, "the notice names the passkey and the client that added it" 

    verifier, challenge = pkce()
    state = secrets.token_urlsafe(32)
    asked = call(server, "POST", "/2026-06/webauthn/authentication/options", {
        "client_id": client_id, "code_challenge": challenge, "code_challenge_method": "S256", "redirect_uri": callback.url,
        "response_type": "code", "state": state})
    assert asked.status_code == 200, asked.text
    assert asked.json()["rpId"] == urlsplit(server.issuer).hostname
    assertion = authenticator.get(asked.json())
    stranger = call(server, "POST", "/2026-06/webauthn/authentication",
                    {"client_id": client_id, "code_challenge": challenge, "credential": authenticator.get(
                        asked.json(), origin="https://phish.example")})
    assert stranger.status_code == 401 and stranger.json()["error"] == "unauthorized_client", stranger.text
    signed_in = call(server, "POST", "/2026-06/webauthn/authentication",
                     {"client_id": client_id, "code_challenge": challenge, "credential": assertion}, allow_redirects=False)
    assert signed_in.status_code == 302, signed_in.text
    assert parse_qs(urlsplit(signed_in.headers["Location"]).query)["state"] == [state]
    wrong_verifier = call(server, "POST", "/2026-06/token", {
        "grant_type": "authorization_code", "redirect_uri": callback.url, "client_id": client_id, "code_verifier": pkce()[0],
        "code": parse_qs(urlsplit(signed_in.headers["Location"]).query)["code"][0]})
    assert wrong_verifier.status_code in (401, 403), "only the holder of the PKCE verifier gets tokens"

    again = call(server, "POST", "/2026-06/webauthn/authentication/options", {
        "client_id": client_id, "code_challenge": challenge, "code_challenge_method": "S256", "redirect_uri": callback.url,
        "response_type": "code", "state": state})
    tokens = exchange_redirect(server, client_id, callback.url,
                      call(server, "POST", "/2026-06/webauthn/authentication",
                           {"client_id": client_id, "code_challenge": challenge, "credential": authenticator.get(again.json())},
                           allow_redirects=False), verifier)
    claims = verify_access_token(server, tokens["access_token"], "/2026-06/jwks")
    assert claims["sub"] == verify_access_token(server, first["access_token"], "/2026-06/jwks")["sub"]
    assert len([m for m in smtp.messages if address in m[0]]) == 2, "passkey sign-ins send no mail"
    assert requests.get(server.issuer + "/openapi.json").json()["paths"]["/2026-06/webauthn/authentication"]["post"]
