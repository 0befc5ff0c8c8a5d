"""Admin API access: a client registered with `logintoo client add --confidential --admin` gets a short-lived admin token
by client_credentials (RFC 6749 §4.4), through a standard OAuth client library, verified against the published JWKS."""
import json
import time

import requests
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet


def add_admin_client(server):
    return json.loads(server.cli("client", "add", "--name", "Admin script", "--confidential", "--admin", "--json").stdout)


def test_an_admin_client_gets_an_admin_token_by_client_credentials(server):
    admin = add_admin_client(server)
    shown = json.loads(server.cli("client", "show", admin["client_id"]).stdout)
    assert shown["type"] == "confidential" and shown["settings"]["admin"] is True and shown["redirect_uris"] == []
    assert "confidential admin" in server.cli("client", "list").stdout

    meta = requests.get(server.url + "/.well-known/openid-configuration").json()
    assert "client_credentials" in meta["grant_types_supported"]
    session = OAuth2Session(admin["client_id"], admin["client_secret"], scope="admin",
                            token_endpoint_auth_method="client_secret_basic")
    token = session.fetch_token(meta["token_endpoint"], grant_type="client_credentials")
    assert token["token_type"] == "Bearer" and token["expires_in"] == 300 and token["scope"] == "admin"
    assert "refresh_token" not in token and "id_token" not in token

    decoded = jose_jwt.decode(token["access_token"], KeySet.import_key_set(requests.get(meta["jwks_uri"]).json()))
    claims = decoded.claims
    assert decoded.header["typ"] == "at+jwt"
    assert claims["aud"] == server.issuer + "/admin/api" and claims["scope"] == "admin"
    assert claims["sub"] == admin["client_id"] and claims["client_id"] == admin["client_id"]
    assert claims["iss"] == server.issuer and claims["exp"] - claims["iat"] == 300 and claims["exp"] > time.time()
    assert "email" not in claims and claims["jti"]

    bearer = {"Authorization": "Bearer " + token["access_token"]}
    assert requests.get(server.url + "/userinfo", headers=bearer).status_code == 401, "not a person's token"


def test_client_credentials_refuses_clients_that_are_not_admin_clients_and_other_scopes(server):
    ordinary = server.add_client(confidential=True)
    answer = requests.post(server.url + "/token", auth=(ordinary["client_id"], ordinary["client_secret"]),
                           data={"grant_type": "client_credentials", "scope": "admin"})
    assert answer.status_code == 400 and answer.json()["error"] == "unauthorized_client"
    admin = add_admin_client(server)
    answer = requests.post(server.url + "/token", auth=(admin["client_id"], admin["client_secret"]),
                           data={"grant_type": "client_credentials", "scope": "openid admin"})
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_scope"
    answer = requests.post(server.url + "/token", auth=(admin["client_id"], "wrong"),
                           data={"grant_type": "client_credentials", "scope": "admin"})
    assert answer.status_code == 401 and answer.json()["error"] == "invalid_client"


def test_admin_needs_confidential(server):
    refused = server.cli("client", "add", "--name", "Public admin", "--admin", "--redirect-uri", "http://127.0.0.1:9/cb",
                         check=False)
    assert refused.returncode != 0
    assert "an admin client must be confidential: add --confidential to --admin" in refused.stderr
    listed = json.loads(server.cli("client", "list", "--json").stdout)
    assert [client["client_id"] for client in listed] == ["logintoo-admin"], "nothing but the built-in console client"

