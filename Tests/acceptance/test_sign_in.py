"""The whole passwordless sign-in, driven by a standard OAuth/OIDC client library (authlib) against the real binary."""
import json
import secrets
import time
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt
from authlib.oidc.core import CodeIDToken
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet

from browser import Person

REDIRECT = "http://127.0.0.1:9/callback"
SIGNED_OUT = "http://127.0.0.1:9/signed-out"


def discover(server):
    meta = requests.get(server.issuer + "/.well-known/openid-configuration").json()
    assert meta["issuer"] == server.issuer
    assert requests.get(server.issuer + "/.well-known/oauth-authorization-server").json() == meta
    return meta


def oauth_client(client_id, secret=None):
    return OAuth2Session(client_id, secret, redirect_uri=REDIRECT, scope="openid email offline_access",
                         code_challenge_method="S256", token_endpoint_auth_method="client_secret_basic" if secret else "none")


def query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_whole_flow_with_a_standard_client_library(server, smtp):
    meta = discover(server)
    assert meta["code_challenge_methods_supported"] == ["S256"]
    registered = server.add_client(post_logout=[SIGNED_OUT])
    client_id = registered["client_id"]
    assert registered["client_secret"] is None

    client = oauth_client(client_id)
    verifier, nonce = generate_token(48), generate_token(20)
    url, state = client.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier, nonce=nonce)
    person = Person(server, smtp)
    back = person.sign_in(url)
    params = query(back)
    assert back.startswith(REDIRECT) and params["state"] == state and params["iss"] == server.issuer

    message = smtp.wait_for(person.email)
    assert "code" not in message["Subject"].lower() or not any(ch.isdigit() for ch in message["Subject"])
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Acceptance" in body and "ignore" in body

    token = client.fetch_token(meta["token_endpoint"], authorization_response=back, code_verifier=verifier)
    assert token["token_type"] == "Bearer" and token["refresh_token"]

    jwks_json = requests.get(meta["jwks_uri"]).json()
    assert all(set(k) & {"d", "p", "q", "dp", "dq", "qi"} == set() for k in jwks_json["keys"])
    claims = jwt.decode(token["id_token"], JsonWebKey.import_key_set(jwks_json), claims_cls=CodeIDToken,
                        claims_options={"iss": {"essential": True, "value": server.issuer}},
                        claims_params={"nonce": nonce, "client_id": client_id, "access_token": token["access_token"]})
    claims.validate()
    assert claims["email"] == person.email and claims["email_verified"] is True and claims["sub"] != person.email

    access = jose_jwt.decode(token["access_token"], KeySet.import_key_set(jwks_json), algorithms=["RS256"])
    assert access.header["typ"] == "at+jwt"
    jose_jwt.JWTClaimsRegistry(iss={"essential": True, "value": server.issuer},
                               client_id={"essential": True, "value": client_id}).validate(access.claims)
    for claim in ("sub", "aud", "scope", "iat", "exp", "jti"):
        assert claim in access.claims

    info = requests.get(meta["userinfo_endpoint"], headers={"Authorization": "Bearer " + token["access_token"]})
    assert info.json() == {"sub": claims["sub"], "email": person.email, "email_verified": True}
    assert requests.get(meta["userinfo_endpoint"], headers={"Authorization": "Bearer " + token["id_token"]}).status_code == 401

    first_refresh = token["refresh_token"]
    refreshed = client.refresh_token(meta["token_endpoint"], refresh_token=first_refresh)
    assert refreshed["refresh_token"] != first_refresh
    time.sleep(11)  # past the 10 s grace for the immediate predecessor
    reuse = requests.post(meta["token_endpoint"], data={"grant_type": "refresh_token", "refresh_token": first_refresh,
                                                        "client_id": client_id})
    assert reuse.status_code == 400 and reuse.json()["error"] == "invalid_grant"
    family = requests.post(meta["token_endpoint"], data={"grant_type": "refresh_token", "client_id": client_id,
                                                         "refresh_token": refreshed["refresh_token"]})
    assert family.json()["error"] == "invalid_grant", "reuse revoked the whole family"

    # A new sign-in within the session skips the code; then revoke and log out.
    url2, _ = client.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier, nonce=nonce)
    sso = person.http.get(url2, allow_redirects=False)
    assert sso.status_code == 303 and sso.headers["Location"].startswith(REDIRECT + "?code=")
    token2 = client.fetch_token(meta["token_endpoint"], authorization_response=sso.headers["Location"], code_verifier=verifier)
    client.revoke_token(meta["revocation_endpoint"], token2["refresh_token"], token_type_hint="refresh_token")
    revoked = requests.post(meta["token_endpoint"], data={"grant_type": "refresh_token", "client_id": client_id,
                                                          "refresh_token": token2["refresh_token"]})
    assert revoked.json()["error"] == "invalid_grant"

    token3 = client.fetch_token(meta["token_endpoint"], code_verifier=verifier, authorization_response=person.http.get(
        client.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier, nonce=nonce)[0],
        allow_redirects=False).headers["Location"])
    logout = person.http.get(meta["end_session_endpoint"] + "?" + urlencode({
        "id_token_hint": token3["id_token"], "post_logout_redirect_uri": SIGNED_OUT, "state": "bye"}), allow_redirects=False)
    assert logout.status_code == 303 and logout.headers["Location"] == SIGNED_OUT + "?state=bye"
    after = requests.post(meta["token_endpoint"], data={"grant_type": "refresh_token", "client_id": client_id,
                                                        "refresh_token": token3["refresh_token"]})
    assert after.json()["error"] == "invalid_grant", "logout revokes the session's refresh tokens"
    silent = person.http.get(client.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier,
                                                             prompt="none")[0], allow_redirects=False)
    assert query(silent.headers["Location"])["error"] == "login_required"


def test_confidential_client_and_introspection(server, smtp):
    meta = discover(server)
    registered = server.add_client(name="Backend", confidential=True)
    client = oauth_client(registered["client_id"], registered["client_secret"])
    verifier = generate_token(48)
    url, _ = client.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier, nonce="n")
    back = Person(server, smtp, "bob@example.com").sign_in(url)
    token = client.fetch_token(meta["token_endpoint"], authorization_response=back, code_verifier=verifier)
    auth = (registered["client_id"], registered["client_secret"])
    active = requests.post(meta["introspection_endpoint"], data={"token": token["access_token"]}, auth=auth).json()
    assert active["active"] is True and active["client_id"] == registered["client_id"]
    inactive = requests.post(meta["introspection_endpoint"], data={"token": "nonsense"}, auth=auth).json()
    assert inactive == {"active": False}
    wrong = requests.post(meta["token_endpoint"], data={"grant_type": "refresh_token", "refresh_token": token["refresh_token"]},
                          auth=(registered["client_id"], "wrong"))
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client" and "WWW-Authenticate" in wrong.headers


def authorize_url(server, client_id, **overrides):
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT, "scope": "openid email",
              "state": "s1", "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method": "S256"}
    params.update(overrides)
    return server.issuer + "/authorize?" + urlencode({k: v for k, v in params.items() if v is not None})


def test_five_wrong_codes_burn_the_code(server, smtp):
    client_id = server.add_client()["client_id"]
    person = Person(server, smtp, "carol@example.com")
    person.submit_email(person.open(authorize_url(server, client_id)))
    code = smtp.code_for(person.email)
    wrong = "00000000" if code != "00000000" else "11111111"
    for _ in range(5):
        answer = person.submit_code(wrong)
        assert answer.status_code == 400 and "Location" not in answer.headers
    burned = person.submit_code(code)
    assert burned.status_code == 400 and "Location" not in burned.headers


def test_untrusted_client_or_redirect_gets_a_page_and_no_redirect(server):
    client_id = server.add_client()["client_id"]
    for url in (authorize_url(server, "no-such-client"),
                authorize_url(server, client_id, redirect_uri="http://127.0.0.1:9/elsewhere"),
                authorize_url(server, client_id, redirect_uri="https://evil.example.com/callback")):
        response = requests.get(url, allow_redirects=False)
        assert response.status_code == 400 and "Location" not in response.headers
        assert response.headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("overrides", [{"code_challenge": None, "code_challenge_method": None},
                                       {"code_challenge_method": "plain"}, {"code_challenge_method": None}])
def test_missing_or_plain_pkce_is_refused(server, overrides):
    client_id = server.add_client()["client_id"]
    response = requests.get(authorize_url(server, client_id, **overrides), allow_redirects=False)
    assert response.status_code == 303
    params = query(response.headers["Location"])
    assert params["error"] == "invalid_request" and params["state"] == "s1" and params["iss"] == server.issuer


def signed_in_code(server, smtp, client_id, email):
    verifier = generate_token(48)
    client = oauth_client(client_id)
    url, _ = client.create_authorization_url(server.issuer + "/authorize", code_verifier=verifier, nonce="n")
    back = Person(server, smtp, email).sign_in(url)
    return query(back)["code"], verifier


def exchange(server, client_id, code, verifier):
    return requests.post(server.issuer + "/token", data={"grant_type": "authorization_code", "code": code, "client_id": client_id,
                                                         "redirect_uri": REDIRECT, "code_verifier": verifier})


def test_wrong_verifier_and_code_replay(server, smtp):
    client_id = server.add_client()["client_id"]
    code, verifier = signed_in_code(server, smtp, client_id, "dave@example.com")
    wrong = exchange(server, client_id, code, generate_token(48))
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"

    code, verifier = signed_in_code(server, smtp, client_id, "erin@example.com")
    first = exchange(server, client_id, code, verifier)
    assert first.status_code == 200 and first.headers["Cache-Control"] == "no-store"
    replay = exchange(server, client_id, code, verifier)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    userinfo = requests.get(server.issuer + "/userinfo", headers={"Authorization": "Bearer " + first.json()["access_token"]})
    assert userinfo.status_code == 401, "the replay revoked the tokens of the first exchange"
