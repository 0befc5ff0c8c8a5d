"""DPoP (RFC 9449) over real HTTP against the built binary (docs/security.md F43, F44): a third-party client library
(requests-oauth2client) pushes its request (PAR), signs in and keeps every token bound to its key through /userinfo,
refreshes and the demo API; then proofs crafted by hand (joserfc) that the token endpoint and both resources refuse."""
import json
import os
import secrets
import time
from urllib.parse import urlencode

import pytest
import requests
from joserfc import jwt as jose_jwt
from joserfc.jwk import ECKey, KeySet, OctKey, OKPKey, RSAKey
from requests_oauth2client import BearerToken, DPoPToken, OAuth2Client

from attack import LENIENT, REDIRECT, address, compact, pkce, query, sign_in
from browser import Person
from conftest import Server
from dpop_proof import new_key, proof, public_jwk

ALGS = 'DPoP algs="ES256 EdDSA RS256 PS256"'


@pytest.fixture(scope="module")
def target(binary, smtp, tmp_path_factory):
    """A server with nonces on (the default) and the demo API."""
    server = Server(binary, tmp_path_factory.mktemp("dpop"), f"smtp://127.0.0.1:{smtp.port}",
                    extra=[*LENIENT, "--demo", "true"]).start()
    yield server
    assert server.stop() == 0


@pytest.fixture(scope="module")
def demo_api(target):
    return target.issuer + "/demo/api"


@pytest.fixture(scope="module")
def client_id(target, demo_api):
    """A public client (a single-page site) that may ask for tokens for the demo API."""
    return json.loads(target.cli("client", "add", "--name", "DPoP site", "--redirect-uri", REDIRECT, "--resource", demo_api,
                                 "--json").stdout)["client_id"]


def server_nonce(target):
    """Every answer of /token carries the current nonce while nonces are on."""
    return requests.post(target.issuer + "/token", timeout=30).headers["DPoP-Nonce"]


def token_request(target, form, proof_value=None):
    headers = {"DPoP": proof_value} if proof_value else {}
    return requests.post(target.issuer + "/token", data=form, headers=headers, timeout=30)


def token_proof(target, key, **claims):
    return proof(key, "POST", target.issuer + "/token", nonce=server_nonce(target), **claims)


def bound_tokens(target, smtp, client_id, key, **overrides):
    """A sign-in whose code is exchanged with a proof by `key`: the token response."""
    code, verifier, _ = sign_in(target, smtp, client_id, address("dpop"), **overrides)
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier,
            "client_id": client_id}
    answer = token_request(target, form, token_proof(target, key))
    assert answer.status_code == 200, answer.text
    assert answer.json()["token_type"] == "DPoP"
    return answer.json()


def refresh_form(client_id, refresh_token):
    return {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": client_id}


def access_claims(target, token):
    keys = KeySet.import_key_set(requests.get(target.issuer + "/.well-known/jwks.json", timeout=30).json())
    return jose_jwt.decode(token, keys, algorithms=["RS256", "ES256", "EdDSA"]).claims


def present(url, token, proof_value=None, scheme="DPoP"):
    """A GET of a resource with `token` in the `scheme` of `Authorization`, and `proof_value` as `DPoP` if given."""
    headers = {"Authorization": f"{scheme} {token}", **({"DPoP": proof_value} if proof_value else {})}
    return requests.get(url, headers=headers, timeout=30)


def refused(answer, status, error):
    assert answer.status_code == status, (answer.status_code, answer.text)
    assert answer.json()["error"] == error, answer.text


def challenged(answer, error):
    assert answer.status_code == 401, (answer.status_code, answer.text)
    assert answer.headers["WWW-Authenticate"].startswith(f'{ALGS}, error="{error}"'), answer.headers["WWW-Authenticate"]


# The whole flow with a third-party client library

def test_a_client_library_pushes_signs_in_and_keeps_every_token_bound(target, smtp, client_id, demo_api):
    meta = requests.get(target.issuer + "/.well-known/openid-configuration", timeout=30).json()
    assert meta["dpop_signing_alg_values_supported"] == ["ES256", "EdDSA", "RS256", "PS256"]
    client = OAuth2Client.from_discovery_endpoint(issuer=target.issuer, client_id=client_id, redirect_uri=REDIRECT,
                                                  dpop_bound_access_tokens=True, testing=True)
    assert client.pushed_authorization_request_endpoint == target.issuer + "/par"

    # PAR with dpop_jkt: the code is bound to the library's key before the browser ever sees the request.
    request = client.authorization_request(scope="openid email offline_access")
    key = request.dpop_key
    pushed = client.pushed_authorization_request(request)
    assert pushed.request_uri.startswith("urn:ietf:params:oauth:request_uri:")
    person = Person(target, smtp, address("library"))
    back = person.sign_in(pushed.uri)
    response = request.validate_callback(back)
    # The library's own ID token check re-creates a DPoPToken without its key (a TypeError in 1.8.0), so the ID token is
    # checked by the same code on a Bearer copy of the answer.
    token = client.authorization_code(response, validate=False)
    BearerToken(token.access_token, id_token=token.id_token).validate_id_token(client, response)
    assert isinstance(token, DPoPToken) and token.token_type == "DPoP" and token.dpop_key is key
    assert key.as_nonce, "the library met use_dpop_nonce and retried with the server's nonce"
    assert access_claims(target, token.access_token)["cnf"] == {"jkt": key.dpop_jkt}

    assert client.userinfo(token)["email"] == person.email
    assert key.rs_nonce, "/userinfo asked for a nonce too, and the library retried with it"
    refreshed = client.refresh_token(token)
    assert isinstance(refreshed, DPoPToken) and refreshed.refresh_token != token.refresh_token
    assert access_claims(target, refreshed.access_token)["cnf"] == {"jkt": key.dpop_jkt}
    assert client.userinfo(refreshed)["email"] == person.email

    # A second authorization, for the demo API, in the same browser session (no new code) and with the same key.
    for_api = client.authorization_request(scope="openid email offline_access", resource=demo_api, dpop_key=key)
    location = person.http.get(client.pushed_authorization_request(for_api).uri, allow_redirects=False).headers["Location"]
    api_token = client.authorization_code(for_api.validate_callback(location), validate=False)
    assert access_claims(target, api_token.access_token)["aud"] == demo_api
    me = requests.get(demo_api + "/me", auth=api_token, timeout=30)
    assert me.status_code == 200, me.headers
    assert me.json()["email"] == person.email and me.json()["client_id"] == client_id
    api_refreshed = client.refresh_token(api_token)
    assert access_claims(target, api_refreshed.access_token)["cnf"] == {"jkt": key.dpop_jkt}
    assert requests.get(demo_api + "/me", auth=api_refreshed, timeout=30).json()["email"] == person.email

    # Copied out of the library, without its key, neither token is worth anything.
    challenged(present(demo_api + "/me", api_refreshed.access_token, scheme="Bearer"), "invalid_token")
    refused(token_request(target, refresh_form(client_id, api_refreshed.refresh_token)), 400, "invalid_dpop_proof")


# Proofs the token endpoint refuses

def junk_refresh(target, client_id, proof_value):
    """A refresh with an unknown refresh token: the proof is checked first, so a refused proof shows in the error."""
    return token_request(target, refresh_form(client_id, "not-a-refresh-token"), proof_value)


@pytest.mark.filterwarnings("ignore:EdDSA is deprecated")  # RFC 9864 names Ed25519 apart; DPoP servers list EdDSA
@pytest.mark.parametrize("alg, key", [("ES256", ECKey.generate_key("P-256")), ("EdDSA", OKPKey.generate_key("Ed25519")),
                                      ("RS256", RSAKey.generate_key(2048)), ("PS256", RSAKey.generate_key(2048))])
def test_a_valid_proof_by_each_algorithm_reaches_the_grant(target, client_id, alg, key):
    answer = junk_refresh(target, client_id, token_proof(target, key, alg=alg))
    refused(answer, 400, "invalid_grant")
    assert answer.headers["DPoP-Nonce"]


def hs256_with_the_public_key_as_secret(target, key, nonce):
    """The algorithm confusion: an HMAC keyed with the public key's own JSON."""
    secret = OctKey.import_key(json.dumps(public_jwk(key)).encode())
    return proof(key, "POST", target.issuer + "/token", nonce=nonce, alg="HS256", signer=secret)


def alg_none(target, key, nonce):
    return compact({"typ": "dpop+jwt", "alg": "none", "jwk": public_jwk(key)},
                   {"jti": secrets.token_urlsafe(16), "htm": "POST", "htu": target.issuer + "/token", "iat": int(time.time()),
                    "nonce": nonce})


REFUSED_PROOFS = {
    "wrong htm": lambda t, k, n: proof(k, "GET", t.issuer + "/token", nonce=n),
    "wrong htu path": lambda t, k, n: proof(k, "POST", t.issuer + "/userinfo", nonce=n),
    "wrong htu host": lambda t, k, n: proof(k, "POST", "https://attacker.example/token", nonce=n),
    "old iat": lambda t, k, n: proof(k, "POST", t.issuer + "/token", nonce=n, iat=int(time.time()) - 301),
    "iat far ahead": lambda t, k, n: proof(k, "POST", t.issuer + "/token", nonce=n, iat=int(time.time()) + 120),
    "no jti": lambda t, k, n: proof(k, "POST", t.issuer + "/token", nonce=n, jti=None),
    "private key in jwk": lambda t, k, n: proof(k, "POST", t.issuer + "/token", nonce=n, jwk=k.as_dict(private=True)),
    "signed by another key": lambda t, k, n: proof(new_key(), "POST", t.issuer + "/token", nonce=n, jwk=public_jwk(k)),
    "alg none": alg_none,
    "HS256": hs256_with_the_public_key_as_secret,
}


@pytest.mark.parametrize("case", REFUSED_PROOFS)
def test_a_bad_proof_is_invalid_dpop_proof(target, client_id, case):
    answer = junk_refresh(target, client_id, REFUSED_PROOFS[case](target, new_key(), server_nonce(target)))
    refused(answer, 400, "invalid_dpop_proof")


@pytest.mark.parametrize("nonce", [None, "not-the-servers-nonce"])
def test_a_missing_or_wrong_nonce_is_use_dpop_nonce_with_the_nonce_to_use(target, client_id, nonce):
    key = new_key()
    answer = junk_refresh(target, client_id, proof(key, "POST", target.issuer + "/token", nonce=nonce))
    refused(answer, 400, "use_dpop_nonce")
    retried = junk_refresh(target, client_id, proof(key, "POST", target.issuer + "/token", nonce=answer.headers["DPoP-Nonce"]))
    refused(retried, 400, "invalid_grant")


def test_a_replayed_proof_is_refused_and_rotates_nothing(target, smtp, client_id):
    key = new_key()
    issued = bound_tokens(target, smtp, client_id, key)
    used = token_proof(target, key)
    first = token_request(target, refresh_form(client_id, issued["refresh_token"]), used)
    assert first.status_code == 200, first.text
    successor = first.json()["refresh_token"]
    refused(token_request(target, refresh_form(client_id, successor), used), 400, "invalid_dpop_proof")
    again = token_request(target, refresh_form(client_id, successor), token_proof(target, key))
    assert again.status_code == 200, "the refused replay did not spend the refresh token"


def test_a_bound_refresh_token_needs_a_proof_by_its_key(target, smtp, client_id):
    key = new_key()
    issued = bound_tokens(target, smtp, client_id, key)
    assert access_claims(target, issued["access_token"])["cnf"] == {"jkt": key.thumbprint()}
    form = refresh_form(client_id, issued["refresh_token"])
    refused(token_request(target, form), 400, "invalid_dpop_proof")
    refused(token_request(target, form, token_proof(target, new_key())), 400, "invalid_grant")
    kept = token_request(target, form, token_proof(target, key))
    assert kept.status_code == 200 and kept.json()["token_type"] == "DPoP", "neither refusal spent the refresh token"
    assert access_claims(target, kept.json()["access_token"])["cnf"] == {"jkt": key.thumbprint()}


def test_a_public_clients_first_refresh_with_a_proof_binds_its_unbound_grant(target, smtp, client_id):
    """RFC 9449 §5: a refresh token issued to a public client that sent a proof is bound to the proof's key, even when
    the grant began without DPoP."""
    code, verifier, _ = sign_in(target, smtp, client_id, address("upgrade"))
    issued = token_request(target, {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                                    "code_verifier": verifier, "client_id": client_id}).json()
    assert issued["token_type"] == "Bearer"
    key = new_key()
    upgraded = token_request(target, refresh_form(client_id, issued["refresh_token"]), token_proof(target, key))
    assert upgraded.status_code == 200 and upgraded.json()["token_type"] == "DPoP", upgraded.text
    refused(token_request(target, refresh_form(client_id, upgraded.json()["refresh_token"])), 400, "invalid_dpop_proof")

def test_a_code_bound_with_dpop_jkt_is_exchanged_only_with_that_key(target, smtp, client_id):
    key = new_key()
    code, verifier, _ = sign_in(target, smtp, client_id, address("jkt"), dpop_jkt=key.thumbprint())
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "code_verifier": verifier,
            "client_id": client_id}
    refused(token_request(target, form, token_proof(target, new_key())), 400, "invalid_grant")


def test_a_proof_sent_to_par_binds_the_code_as_dpop_jkt_would(target, smtp, client_id):
    """RFC 9449 §10.1: a DPoP header at /par is checked as at /token, and the code is bound to its key."""
    key, (verifier, challenge) = new_key(), pkce()
    par = target.issuer + "/par"
    form = {"response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT, "scope": "openid email",
            "state": "st", "code_challenge": challenge, "code_challenge_method": "S256"}
    pushed = requests.post(par, data=form, headers={"DPoP": proof(key, "POST", par, nonce=server_nonce(target))}, timeout=30)
    assert pushed.status_code == 201, pushed.text
    back = Person(target, smtp, address("par-proof")).sign_in(
        target.issuer + "/authorize?" + urlencode({"client_id": client_id, "request_uri": pushed.json()["request_uri"]}))
    exchange = {"grant_type": "authorization_code", "code": query(back)["code"], "redirect_uri": REDIRECT,
                "code_verifier": verifier, "client_id": client_id}
    refused(token_request(target, exchange, token_proof(target, new_key())), 400, "invalid_grant")
    wrong_url = proof(key, "POST", target.issuer + "/token", nonce=server_nonce(target))
    refused(requests.post(par, data=form, headers={"DPoP": wrong_url}, timeout=30), 400, "invalid_dpop_proof")
    other_jkt = {**form, "dpop_jkt": new_key().thumbprint()}
    refused(requests.post(par, data=other_jkt, headers={"DPoP": proof(key, "POST", par, nonce=server_nonce(target))}, timeout=30),
            400, "invalid_dpop_proof")


# A bound access token at the resources

@pytest.fixture(scope="module")
def bound(target, smtp, client_id):
    """A DPoP-bound access token for /userinfo and its key."""
    key = new_key()
    return key, bound_tokens(target, smtp, client_id, key)["access_token"]


@pytest.fixture(scope="module")
def bound_for_api(target, smtp, client_id, demo_api):
    """A DPoP-bound access token for the demo API and its key."""
    key = new_key()
    return key, bound_tokens(target, smtp, client_id, key, resource=demo_api)["access_token"]


def test_userinfo_takes_a_bound_token_with_a_fresh_proof_only(target, bound):
    key, token = bound
    url = target.issuer + "/userinfo"
    nonce = server_nonce(target)
    good = proof(key, "GET", url, token=token, nonce=nonce)
    answer = present(url, token, good)
    assert answer.status_code == 200 and answer.json()["email"], answer.text
    assert answer.headers["DPoP-Nonce"], "a DPoP answer hands out the nonce for the next proof"
    challenged(present(url, token, good), "invalid_dpop_proof")  # replayed

    challenged(present(url, token, scheme="Bearer"), "invalid_token")
    challenged(present(url, token), "invalid_dpop_proof")
    challenged(present(url, token, proof(key, "GET", url, token=token)), "use_dpop_nonce")
    challenged(present(url, token, proof(key, "GET", url, token=token + "x", nonce=nonce)), "invalid_dpop_proof")
    challenged(present(url, token, proof(key, "GET", url, nonce=nonce)), "invalid_dpop_proof")  # no ath
    challenged(present(url, token, proof(key, "POST", url, token=token, nonce=nonce)), "invalid_dpop_proof")
    challenged(present(url, token, proof(key, "GET", target.issuer + "/token", token=token, nonce=nonce)), "invalid_dpop_proof")
    challenged(present(url, token, proof(new_key(), "GET", url, token=token, nonce=nonce)), "invalid_token")


def test_the_demo_api_takes_a_bound_token_with_a_fresh_proof_only(target, bound_for_api, demo_api):
    key, token = bound_for_api
    url = demo_api + "/me"
    good = proof(key, "GET", url, token=token)
    answer = present(url, token, good)
    assert answer.status_code == 200 and answer.json()["email"], answer.text
    challenged(present(url, token, good), "invalid_dpop_proof")  # replayed

    challenged(present(url, token, scheme="Bearer"), "invalid_token")
    challenged(present(url, token), "invalid_dpop_proof")
    challenged(present(url, token, proof(key, "GET", url, token=token + "x")), "invalid_dpop_proof")
    challenged(present(url, token, proof(key, "GET", demo_api + "/notes", token=token)), "invalid_dpop_proof")
    challenged(present(url, token, proof(key, "GET", url, token=token, iat=int(time.time()) - 301)), "invalid_dpop_proof")
    challenged(present(url, token, proof(new_key(), "GET", url, token=token)), "invalid_token")


def test_an_unbound_token_is_not_taken_with_the_dpop_scheme(target, smtp, client_id):
    code, verifier, _ = sign_in(target, smtp, client_id, address("bearer"))
    issued = token_request(target, {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                                    "code_verifier": verifier, "client_id": client_id}).json()
    assert issued["token_type"] == "Bearer" and "cnf" not in access_claims(target, issued["access_token"])
    token, key = issued["access_token"], new_key()
    url = target.issuer + "/userinfo"
    challenged(present(url, token, proof(key, "GET", url, token=token, nonce=server_nonce(target))), "invalid_token")
    assert present(url, token, scheme="Bearer").status_code == 200


# Who must send proofs

def test_a_client_registered_for_dpop_must_send_a_proof(target):
    admin = json.loads(target.cli("client", "add", "--name", "Admin script", "--confidential", "--admin", "--json").stdout)
    granted = requests.post(target.issuer + "/token", data={"grant_type": "client_credentials", "scope": "admin"},
                            auth=(admin["client_id"], admin["client_secret"]), timeout=30)
    assert granted.json()["token_type"] == "Bearer", "admin API tokens stay Bearer tokens"
    site = target.add_client(name="Strict site")["client_id"]
    changed = requests.patch(target.issuer + f"/admin/api/clients/{site}", json={"dpop_bound_access_tokens": True}, timeout=30,
                             headers={"Authorization": "Bearer " + granted.json()["access_token"]})
    assert changed.status_code == 200, changed.text
    refused(junk_refresh(target, site, None), 400, "invalid_dpop_proof")
    refused(junk_refresh(target, site, token_proof(target, new_key())), 400, "invalid_grant")


def test_the_command_line_requires_proofs_of_one_client_and_exempts_it_again(target):
    strict = json.loads(target.cli("client", "add", "--name", "CLI strict", "--redirect-uri", REDIRECT, "--dpop-required",
                                   "--json").stdout)["client_id"]
    assert json.loads(target.cli("client", "show", strict).stdout)["settings"]["dpopBoundAccessTokens"] is True
    refused(junk_refresh(target, strict, None), 400, "invalid_dpop_proof")
    target.cli("client", "set", strict, "--no-dpop-required")
    refused(junk_refresh(target, strict, None), 400, "invalid_grant")


def test_the_server_wide_settings_require_proofs_and_switch_nonces_off(binary, smtp, tmp_path):
    server = Server(binary, tmp_path, f"smtp://127.0.0.1:{smtp.port}")
    server.environment = {**os.environ, "LOGINTOO_DPOP_REQUIRED": "true", "LOGINTOO_DPOP_NONCE": "false"}
    server.start()
    try:
        site = server.add_client()["client_id"]
        refused(junk_refresh(server, site, None), 400, "invalid_dpop_proof")
        answer = junk_refresh(server, site, proof(new_key(), "POST", server.issuer + "/token"))
        refused(answer, 400, "invalid_grant")
        assert "DPoP-Nonce" not in answer.headers
    finally:
        assert server.stop() == 0
