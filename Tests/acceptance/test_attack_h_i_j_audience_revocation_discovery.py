"""Audiences (docs/security.md H), revocation and introspection (I), discovery and keys (J): resources a client may not
ask for, revoking other clients' tokens, what introspection tells, and what the metadata and JWKS promise."""
import json

import pytest
import requests

from attack import (API, BACKEND_REDIRECT, REDIRECT, backend, client_id, exchange, jwt_parts, refresh, sign_in,  # noqa: F401
                    target, tokens, userinfo)


@pytest.fixture(scope="module")
def api_client(target):
    return json.loads(target.cli("client", "add", "--name", "With API", "--redirect-uri", REDIRECT, "--resource", API,
                                 "--json").stdout)["client_id"]


@pytest.mark.parametrize("resource", ["https://other-api.example.com", API + "#fragment", API + "/", "not a uri"])
def test_a_resource_the_client_is_not_registered_for_is_invalid_target(target, smtp, api_client, resource):
    answer = requests.get(target.issuer + "/authorize", allow_redirects=False, params={
        "response_type": "code", "client_id": api_client, "redirect_uri": REDIRECT, "scope": "openid", "state": "st",
        "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method": "S256", "resource": resource})
    assert answer.status_code == 303 and "error=invalid_target" in answer.headers["Location"]


def test_the_token_endpoint_cannot_switch_the_resource(target, smtp, api_client):
    code, verifier, _ = sign_in(target, smtp, api_client, resource=API)
    switched = exchange(target, api_client, code, verifier, resource="https://other-api.example.com")
    assert switched.status_code == 400 and switched.json()["error"] == "invalid_target"


def test_a_refresh_cannot_switch_the_resource(target, smtp, api_client):
    issued = tokens(target, smtp, api_client, resource=API)
    assert jwt_parts(issued["access_token"])[1]["aud"] == API
    switched = refresh(target, api_client, issued["refresh_token"], resource="https://other-api.example.com")
    assert switched.status_code == 400 and switched.json()["error"] == "invalid_target"


def test_subjects_and_client_ids_do_not_collide(target, smtp, client_id):
    issued = tokens(target, smtp, client_id)
    claims = jwt_parts(issued["access_token"])[1]
    assert claims["sub"] != claims["client_id"]
    listed = [c["client_id"] for c in json.loads(target.cli("client", "list", "--json").stdout)]
    assert claims["sub"] not in listed


def revoke(target, token, **auth):
    return requests.post(target.issuer + "/revoke", data={"token": token, **auth.get("form", {})}, auth=auth.get("basic"))


def test_a_client_cannot_revoke_another_clients_token(target, smtp, client_id, backend):
    issued = tokens(target, smtp, client_id)
    answer = revoke(target, issued["refresh_token"], basic=backend)
    assert answer.status_code == 200, "RFC 7009: the answer does not say whose token it was"
    assert refresh(target, client_id, issued["refresh_token"]).status_code == 200, "and nothing was revoked"


def test_revoking_a_refresh_token_revokes_the_grant_and_its_access_tokens(target, smtp, client_id):
    issued = tokens(target, smtp, client_id)
    assert revoke(target, issued["refresh_token"], form={"client_id": client_id}).status_code == 200
    assert refresh(target, client_id, issued["refresh_token"]).json()["error"] == "invalid_grant"
    assert userinfo(target, issued["access_token"]).status_code == 401


@pytest.mark.parametrize("token", ["unknown", "a.b.c", "x" * 5000])
def test_revoking_unknown_tokens_answers_200(target, client_id, token):
    assert revoke(target, token, form={"client_id": client_id}).status_code == 200


def test_revoking_without_a_token_is_invalid_request(target, client_id):
    answer = revoke(target, "", form={"client_id": client_id})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"


def test_introspection_of_dead_tokens_says_only_inactive(target, smtp, client_id, backend):
    issued = tokens(target, smtp, client_id)
    revoke(target, issued["refresh_token"], form={"client_id": client_id})
    for token in (issued["refresh_token"], issued["access_token"], "nonsense"):
        answer = requests.post(target.issuer + "/introspect", data={"token": token}, auth=backend)
        assert answer.json() == {"active": False}


def test_metadata_promises_only_what_is_safe(target):
    meta = requests.get(target.issuer + "/.well-known/openid-configuration").json()
    assert meta["issuer"] == target.issuer
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert meta["response_types_supported"] == ["code"]
    assert not {"password", "implicit"} & set(meta["grant_types_supported"])
    assert "RS256" in meta["id_token_signing_alg_values_supported"]
    assert meta["request_parameter_supported"] is False and meta["request_uri_parameter_supported"] is False
    assert meta["authorization_response_iss_parameter_supported"] is True
    assert "none" not in meta.get("token_endpoint_auth_signing_alg_values_supported", [])


def test_the_jwks_holds_public_keys_only(target):
    keys = requests.get(target.issuer + "/.well-known/jwks.json").json()["keys"]
    assert keys
    for key in keys:
        assert not {"d", "p", "q", "dp", "dq", "qi", "k"} & set(key)
        assert key["kid"] and key["use"] == "sig" and key["alg"] in ("RS256", "ES256", "EdDSA")
        if key["kty"] == "RSA":
            from attack import unb64
            assert len(unb64(key["n"])) * 8 >= 2048


def introspect(target, token, auth):
    return requests.post(target.issuer + "/introspect", data={"token": token}, auth=auth, timeout=30)


def backend_tokens(target, smtp, backend):
    """Tokens of the confidential client, exchanged with its secret."""
    code, verifier, _ = sign_in(target, smtp, backend[0], redirect_uri=BACKEND_REDIRECT)
    answer = exchange(target, backend[0], code, verifier, redirect_uri=BACKEND_REDIRECT, auth=backend)
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_a_client_introspecting_another_clients_token_learns_only_that_it_is_inactive(target, smtp, client_id, backend):
    issued = tokens(target, smtp, client_id)
    for token in (issued["access_token"], issued["refresh_token"]):
        answer = introspect(target, token, backend)
        assert answer.status_code == 200 and answer.json() == {"active": False}
    own = backend_tokens(target, smtp, backend)
    assert introspect(target, own["access_token"], backend).json()["active"] is True, "its own tokens it sees"


def test_a_client_registered_for_the_tokens_resource_sees_it_active(target, smtp, api_client):
    registered = json.loads(target.cli("client", "add", "--name", "Resource server", "--redirect-uri", "https://rs.example/cb",
                                       "--resource", API, "--confidential", "--json").stdout)
    resource_server = registered["client_id"], registered["client_secret"]
    issued = tokens(target, smtp, api_client, resource=API)
    answer = introspect(target, issued["access_token"], resource_server).json()
    assert answer["active"] is True and answer["aud"] == API and answer["client_id"] == api_client
    assert introspect(target, issued["refresh_token"], resource_server).json() == {"active": False}


def logintoo_delete(target, body, auth=None):
    return requests.delete(target.issuer + "/2020-11/token", json=body, auth=auth, timeout=30)


def test_the_logintoo_api_revokes_a_confidential_clients_token_only_with_its_secret(target, smtp, backend):
    token = backend_tokens(target, smtp, backend)["refresh_token"]
    unauthenticated = requests.patch(target.issuer + "/2020-11/token", json={"grant_type": "refresh_token", "refresh_token": token},
                                     timeout=30)
    assert unauthenticated.status_code == 401 and unauthenticated.json()["error"] == "unauthorized_client"
    attempts = [({"refresh_token": token}, None), ({"refresh_token": token}, (backend[0], "wrong")),
                ({"refresh_token": token, "client_id": backend[0], "client_secret": "wrong"}, None)]
    for body, auth in attempts:
        answer = logintoo_delete(target, body, auth)
        assert answer.status_code == unauthenticated.status_code
        assert answer.json()["error"] == unauthenticated.json()["error"]
        assert answer.json()["statusMessage"] == "401 Unauthorized"
    assert introspect(target, token, backend).json()["active"] is True, "nothing was revoked"
    assert logintoo_delete(target, {"refresh_token": token}, backend).json() == {"statusMessage": "200 OK"}
    assert introspect(target, token, backend).json() == {"active": False}
    rotated = requests.post(target.issuer + "/token", data={"grant_type": "refresh_token", "refresh_token": token}, auth=backend)
    assert rotated.status_code == 400 and rotated.json()["error"] == "invalid_grant"


def test_the_logintoo_api_accepts_the_secret_in_the_body(target, smtp, backend):
    token = backend_tokens(target, smtp, backend)["refresh_token"]
    answer = logintoo_delete(target, {"refresh_token": token, "client_id": backend[0], "client_secret": backend[1]})
    assert answer.status_code == 200
    assert introspect(target, token, backend).json() == {"active": False}
