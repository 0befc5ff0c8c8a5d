"""The admin API against the built binary: an admin script (client_credentials) finds a person, disables them (their
refresh fails at once), enables and erases them; schemathesis over the admin part of the OpenAPI document, with an
admin token, finds no 5xx and no answer off the schema."""
import json
import os
import shutil
import subprocess

import pytest
import requests

from attack import address, exchange, sign_in
from conftest import Server


@pytest.fixture(scope="module")
def live(binary, smtp, tmp_path_factory):
    server = Server(binary, tmp_path_factory.mktemp("admin"), f"smtp://127.0.0.1:{smtp.port}", extra=["--demo", "true"]).start()
    yield server
    assert server.stop() == 0


def admin_token(server):
    admin = json.loads(server.cli("client", "add", "--name", "Admin script", "--confidential", "--admin", "--json").stdout)
    answer = requests.post(server.issuer + "/token", data={"grant_type": "client_credentials", "scope": "admin"},
                           auth=(admin["client_id"], admin["client_secret"]), timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()["access_token"]


def admin(server, token, method, path, **kwargs):
    return requests.request(method, server.issuer + "/admin/api" + path, headers={"Authorization": "Bearer " + token},
                            timeout=10, **kwargs)


def test_an_admin_script_disables_enables_and_erases_a_person(live, smtp):
    email = address("admin-target")
    code, verifier, _ = sign_in(live, smtp, "logintoo-demo", email=email, redirect_uri=live.issuer + "/demo")
    tokens = exchange(live, "logintoo-demo", code, verifier, redirect_uri=live.issuer + "/demo").json()
    token = admin_token(live)

    assert requests.get(live.issuer + "/admin/api/accounts", timeout=10).status_code == 401
    assert admin(live, tokens["access_token"], "GET", "/accounts").status_code == 401, "a person's token is refused"

    found = admin(live, token, "GET", "/accounts", params={"q": email[:12].upper()})
    assert found.status_code == 200, found.text
    account = next(a for a in found.json()["accounts"] if a["email"] == email)
    assert account["disabled"] is False

    assert admin(live, token, "POST", f"/accounts/{account['id']}/disable").json()["disabled"] is True
    refreshed = requests.post(live.issuer + "/token", data={"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"],
                                                            "client_id": "logintoo-demo"}, timeout=10)
    assert refreshed.status_code == 400 and refreshed.json()["error"] == "invalid_grant", "refresh fails at once"
    assert requests.get(live.issuer + "/userinfo", headers={"Authorization": "Bearer " + tokens["access_token"]},
                        timeout=10).status_code == 401
    assert admin(live, token, "POST", f"/accounts/{account['id']}/enable").json()["disabled"] is False

    erased = admin(live, token, "DELETE", f"/accounts/{account['id']}")
    assert erased.status_code == 200 and erased.json()["erased"] is True
    export = admin(live, token, "GET", "/audit", params={"account": account["id"], "format": "jsonl"})
    assert export.headers["Content-Type"] == "application/jsonl"
    lines = [json.loads(line) for line in export.text.splitlines()]
    assert {"account_disabled", "account_enabled", "account_erased"} <= {line["kind"] for line in lines}
    assert email not in export.text, "the erased address is not in the trail"
    assert admin(live, token, "GET", "/accounts", params={"q": email}).json()["accounts"] == []


SCHEMATHESIS = shutil.which("schemathesis") or shutil.which("st")


@pytest.mark.skipif(SCHEMATHESIS is None and not os.environ.get("CI"), reason="schemathesis is not installed")
def test_schemathesis_over_the_admin_api_finds_no_server_error_and_no_undocumented_answer(live, smtp, tmp_path):
    code, verifier, _ = sign_in(live, smtp, "logintoo-demo", email=address("fuzzed"), redirect_uri=live.issuer + "/demo")
    exchange(live, "logintoo-demo", code, verifier, redirect_uri=live.issuer + "/demo")
    result = subprocess.run(
        [SCHEMATHESIS, "run", live.issuer + "/openapi.json", "--include-path-regex", "^/admin/api/", "--checks",
         "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,"
         "response_headers_conformance", "--max-examples", os.environ.get("LOGINTOO_SCHEMATHESIS_EXAMPLES", "25"),
         "--seed", os.environ.get("LOGINTOO_SCHEMATHESIS_SEED", "1"), "--continue-on-failure", "--request-timeout", "10",
         "--header", "Authorization: Bearer " + admin_token(live)],
        capture_output=True, text=True, timeout=900, cwd=tmp_path)
    print(result.stdout[-6000:])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_an_admin_script_registers_a_client_rotates_its_secret_and_the_client_signs_people_in(live, smtp):
    token = admin_token(live)
    redirect = "https://shop.example.com/callback"
    created = admin(live, token, "POST", "/clients", json={"name": "Shop", "redirect_uris": [redirect], "confidential": True,
                                                           "code_max_attempts": 3, "sender_name": "Shop"})
    assert created.status_code == 201, created.text
    client = created.json()
    assert client["confidential"] is True and client["code_max_attempts"] == 3 and client["client_secret"]
    shown = admin(live, token, "GET", f"/clients/{client['id']}").json()
    assert "client_secret" not in shown and shown["sender_name"] == "Shop"

    rotated = admin(live, token, "POST", f"/clients/{client['id']}/secret")
    assert rotated.status_code == 200, rotated.text
    secret = rotated.json()["client_secret"]
    assert secret != client["client_secret"]

    code, verifier, _ = sign_in(live, smtp, client["id"], email=address("shop-person"), redirect_uri=redirect)
    refused = exchange(live, client["id"], code, verifier, redirect_uri=redirect, auth=(client["id"], client["client_secret"]))
    assert refused.status_code == 401, "the old secret stops working"
    tokens = exchange(live, client["id"], code, verifier, redirect_uri=redirect, auth=(client["id"], secret))
    assert tokens.status_code == 200, tokens.text

    assert admin(live, token, "PATCH", f"/clients/{client['id']}", json={"colour": "#000000"}).json()["error"] == "invalid_request"
    assert admin(live, token, "DELETE", f"/clients/{client['id']}").json()["removed"] is True
    refreshed = requests.post(live.issuer + "/token", data={"grant_type": "refresh_token", "refresh_token": tokens.json()["refresh_token"]},
                              auth=(client["id"], secret), timeout=10)
    assert refreshed.status_code in (400, 401), "a removed client's refresh tokens stop"
    trail = admin(live, token, "GET", "/audit", params={"client": client["id"]}).json()["events"]
    kinds = [event["kind"] for event in trail]
    assert kinds[0] == "client_removed" and {"client_created", "client_secret_rotated", "signed_in"} <= set(kinds)
    assert "client_updated" not in kinds, "a refused change changes nothing"


def test_an_admin_script_lists_and_rotates_signing_keys(live):
    token = admin_token(live)
    rotated = admin(live, token, "POST", "/keys/rotate", json={"activate_in": 0})
    assert rotated.status_code == 201, rotated.text
    kid = rotated.json()["kid"]
    states = {key["kid"]: key["state"] for key in admin(live, token, "GET", "/keys").json()["keys"]}
    assert states[kid] == "active"
    assert kid in requests.get(live.issuer + "/.well-known/jwks.json", timeout=10).text
