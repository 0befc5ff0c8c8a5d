"""Hostile input and what the server leaves behind (docs/security.md sections A10, E36, K): Host and X-Forwarded-Host
headers, open redirects through logout, malformed JSON, UTF-8 and oversized bodies at the JSON API, no stack traces,
and an audit trail and log that never hold a code or a token."""
import json
import os

import pytest
import requests

from attack import REDIRECT, address, begin, client_id, exchange, pkce, sign_in, target, tokens  # noqa: F401
from browser import Person


@pytest.mark.parametrize("header", ["Host", "X-Forwarded-Host", "Forwarded"])
def test_host_headers_change_neither_iss_nor_emailed_links(target, smtp, client_id, header):
    value = "evil.example" if header != "Forwarded" else "host=evil.example;proto=https"
    meta = requests.get(target.url + "/.well-known/openid-configuration", headers={header: value}).json()
    assert meta["issuer"] == target.issuer and all("evil" not in str(v) for v in meta.values())
    person = Person(target, smtp, address("host"))
    person.http.headers[header] = value
    page = person.open(target.issuer + "/authorize?" + requests.compat.urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT, "scope": "openid", "state": "st",
        "code_challenge": pkce()[1], "code_challenge_method": "S256"}))
    person.submit_email(page)
    message = smtp.wait_for(person.email)
    assert "evil.example" not in message.as_string()
    done = person.submit_code(smtp.code_for(person.email))
    assert "iss=" + requests.compat.quote(target.issuer, safe="") in done.headers["Location"]


@pytest.mark.parametrize("params", [
    {"post_logout_redirect_uri": "https://evil.example/"},
    {"post_logout_redirect_uri": "https://evil.example/", "client_id": "CLIENT"},
    {"post_logout_redirect_uri": "http://127.0.0.1:9/signed-out/../../evil", "client_id": "CLIENT"},
    {"post_logout_redirect_uri": "//evil.example", "client_id": "CLIENT"},
    {"id_token_hint": "not.a.token", "post_logout_redirect_uri": "http://127.0.0.1:9/signed-out"},
])
def test_logout_is_no_open_redirect(target, client_id, params):
    params = {k: (client_id if v == "CLIENT" else v) for k, v in params.items()}
    answer = requests.get(target.issuer + "/logout", params=params, allow_redirects=False)
    assert answer.status_code == 400 and "Location" not in answer.headers


def test_logout_redirects_only_to_a_registered_uri_of_the_hinted_client(target, smtp, client_id):
    other = target.add_client(name="Other", redirect_uris=[REDIRECT], post_logout=["https://other.example/bye"])["client_id"]
    issued = tokens(target, smtp, client_id)
    answer = requests.get(target.issuer + "/logout", allow_redirects=False, params={
        "id_token_hint": issued["id_token"], "post_logout_redirect_uri": "https://other.example/bye", "client_id": other})
    assert answer.status_code == 400 and "Location" not in answer.headers


JSON_API_BODIES = [
    (b"{", "application/json"),
    (b'{"client_id": "\xff\xfe"}', "application/json"),
    (b"[]", "application/json"),
    (b'"just a string"', "application/json"),
    (b'{"email": {"$ne": null}}', "application/json"),
    (b'{"client_id": 5, "email": ["a@example.com"]}', "application/json"),
    (b"\x00\x01\x02", "text/plain"),
    (b'{"a":' * 5000 + b"1" + b"}" * 5000, "application/json"),
    (b'{"email": "' + b"a" * 200_000 + b'@example.com"}', "application/json"),
]


@pytest.mark.parametrize("resource", ["auth", "otp", "token"])
@pytest.mark.parametrize("body, content_type", JSON_API_BODIES, ids=[f"body{n}" for n in range(len(JSON_API_BODIES))])
def test_the_json_api_answers_garbage_with_a_4xx(target, resource, body, content_type):
    answer = requests.post(f"{target.issuer}/2026-06/{resource}", data=body, headers={"Content-Type": content_type})
    assert 400 <= answer.status_code < 500, answer.status_code
    assert answer.headers["Access-Control-Allow-Origin"] == "*"
    assert "Swift" not in answer.text and "/Sources/" not in answer.text and "Fatal" not in answer.text


def test_duplicated_parameters_at_the_json_api_are_refused(target, client_id):
    fields = {"client_id": client_id, "code_challenge": pkce()[1], "code_challenge_method": "S256", "email": address("dup"),
              "redirect_uri": REDIRECT, "response_type": "code", "state": pkce()[0]}
    body = json.dumps(fields)
    post = lambda text: requests.post(f"{target.issuer}/2026-06/auth", data=text, headers={"Content-Type": "application/json"})
    assert post(body).status_code == 200
    duplicated = body[:-1] + ', "redirect_uri": "https://evil.example/cb"}'
    assert post(duplicated).status_code == 400


def test_the_audit_trail_and_the_log_hold_no_code_and_no_token(target, smtp, client_id):
    person, verifier = begin(target, smtp, client_id, address("audited"))
    code = smtp.code_for(person.email)
    wrong = "0" * len(code) if code != "0" * len(code) else "1" * len(code)
    person.submit_code(wrong)
    done = person.submit_code(code)
    from attack import query
    issued = exchange(target, client_id, query(done.headers["Location"])["code"], verifier).json()
    audit = json.loads(target.cli("audit", "--json", "--email", person.email).stdout)
    assert [event["kind"] for event in audit] == ["code_sent", "code_failed", "signed_in"]
    assert audit[1]["detail"] == "attempts_left=4"
    failures = json.loads(target.cli("audit", "--json", "--kind", "code_failed").stdout)
    assert any(event["email"] == person.email for event in failures)
    log = open(os.path.join(target.data_dir, "server.log")).read()
    everything = json.dumps(audit) + log
    for secret in (code, wrong, issued["access_token"], issued["refresh_token"], issued["id_token"],
                   query(done.headers["Location"])["code"]):
        assert secret not in everything


def test_lockouts_revocations_and_key_rotations_are_audited(target, smtp, client_id):
    """docs/security.md K57: besides code failures, a spent failure budget, a revocation and a key rotation are recorded."""
    from attack import query
    person, verifier = begin(target, smtp, client_id, address("audit-more"))
    code = smtp.code_for(person.email)
    wrong = "0" * len(code) if code != "0" * len(code) else "1" * len(code)
    for _ in range(5):
        person.submit_code(wrong)
    person.http.post(target.issuer + "/login/resend", data={"tx": person.tx, "csrf": person.csrf})
    second = smtp.code_for(person.email, 2)
    for _ in range(5):
        person.submit_code("0" * len(second) if second != "0" * len(second) else "1" * len(second))
    person.http.post(target.issuer + "/login/resend", data={"tx": person.tx, "csrf": person.csrf})
    assert person.submit_code(smtp.code_for(person.email, 3)).status_code == 429
    kinds = [event["kind"] for event in json.loads(target.cli("audit", "--json", "--email", person.email).stdout)]
    assert "verification_throttled" in kinds

    issued = tokens(target, smtp, client_id)
    requests.post(target.issuer + "/revoke", data={"token": issued["refresh_token"], "client_id": client_id})
    revoked = json.loads(target.cli("audit", "--json", "--kind", "grant_revoked").stdout)
    assert revoked and revoked[-1]["client_id"] == client_id

    published = target.cli("key", "rotate", "--activate-in", "3600").stdout
    kid = published.split()[1]
    rotations = json.loads(target.cli("audit", "--json", "--kind", "key_published").stdout)
    assert [event["subject"] for event in rotations][-1] == kid

