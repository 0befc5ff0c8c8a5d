"""Attacks on the authorization endpoint (docs/security.md section C): redirect-URI bypasses, open redirects, response
types, PKCE downgrades at the front door, duplicated parameters, `iss`, `prompt=none`, CORS, registration rules."""
import pytest
import requests

from attack import REDIRECT, authorize_url, client_id, pkce, query, target  # noqa: F401 (fixtures)

# The client registered REDIRECT = http://127.0.0.1:9/callback; loopback http may change only its port.
REDIRECT_VARIANTS = [
    "http://127.0.0.1:9/Callback",
    "HTTP://127.0.0.1:9/callback",
    "http://127.0.0.1:9/callback/",
    "http://127.0.0.1:9/callback/extra",
    "http://127.0.0.1:9/callback/..;/admin",
    "http://127.0.0.1:9/callback/../callback",
    "http://127.0.0.1:9/callback?x=1",
    "http://127.0.0.1:9/callback#frag",
    "http://127.0.0.1:9/%63allback",
    "http://127.0.0.1:9%2Fcallback",
    "http://evil.example@127.0.0.1:9/callback",
    "http://127.0.0.1:9@evil.example/callback",
    "http://127.0.0.1.evil.example:9/callback",
    "http://localhost:9/callback",
    "http://[::1]:9/callback",
    "https://127.0.0.1:9/callback",
    "javascript:alert(document.domain)//http://127.0.0.1:9/callback",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/callback",
    "http://127.0.0.1:9/callback\t",
    "http://127.0.0.1:9/callback%00",
]


@pytest.mark.parametrize("redirect_uri", REDIRECT_VARIANTS)
def test_redirect_uri_variants_are_refused_without_a_redirect(target, client_id, redirect_uri):
    answer = requests.get(authorize_url(target, client_id, pkce()[1], redirect_uri=redirect_uri), allow_redirects=False)
    assert answer.status_code == 400 and "Location" not in answer.headers
    assert answer.headers["Content-Type"].startswith("text/html")


def test_a_loopback_redirect_may_change_only_its_port(target, client_id):
    answer = requests.get(authorize_url(target, client_id, pkce()[1], redirect_uri="http://127.0.0.1:51234/callback"),
                          allow_redirects=False)
    assert answer.status_code == 303 and answer.headers["Location"].startswith("/login")


@pytest.mark.parametrize("client", ["no-such-client", "", "../../etc/passwd"])
def test_an_unknown_client_gets_a_page_not_a_redirect(target, client):
    answer = requests.get(authorize_url(target, client, pkce()[1]), allow_redirects=False)
    assert answer.status_code == 400 and "Location" not in answer.headers


def error_redirect(target, client_id, **overrides):
    answer = requests.get(authorize_url(target, client_id, pkce()[1], **overrides), allow_redirects=False)
    assert answer.status_code == 303 and answer.headers["Location"].startswith(REDIRECT + "?")
    params = query(answer.headers["Location"])
    assert params["iss"] == target.issuer and params["state"] == "st"
    return params["error"]


@pytest.mark.parametrize("response_type", ["token", "id_token", "code id_token", "code token", "none"])
def test_only_the_code_flow_is_offered(target, client_id, response_type):
    assert error_redirect(target, client_id, response_type=response_type) == "unsupported_response_type"


@pytest.mark.parametrize("pkce_overrides", [
    {"code_challenge": None, "code_challenge_method": None},
    {"code_challenge_method": "plain"},
    {"code_challenge_method": None},
    {"code_challenge": "short"},
    {"code_challenge": "x" * 129},
    {"code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c+"},
])
def test_pkce_is_required_s256_and_well_formed(target, client_id, pkce_overrides):
    assert error_redirect(target, client_id, **pkce_overrides) == "invalid_request"


@pytest.mark.parametrize("name", ["client_id", "redirect_uri", "state", "code_challenge", "scope"])
def test_a_parameter_sent_twice_is_refused(target, client_id, name):
    url = authorize_url(target, client_id, pkce()[1])
    value = {"client_id": client_id, "redirect_uri": "https://evil.example/cb", "state": "other", "scope": "openid",
             "code_challenge": pkce()[1]}[name]
    answer = requests.get(url + "&" + requests.compat.urlencode({name: value}), allow_redirects=False)
    location = answer.headers.get("Location", "")
    assert not location.startswith("/login"), "the request goes no further"
    assert "evil.example" not in location
    if answer.status_code == 303:
        assert query(location)["error"] == "invalid_request"
    else:
        assert answer.status_code == 400


def test_prompt_none_without_a_session_answers_login_required(target, client_id):
    assert error_redirect(target, client_id, prompt="none") == "login_required"


def test_unknown_parameters_are_ignored(target, client_id):
    answer = requests.get(authorize_url(target, client_id, pkce()[1], foo="bar", request_uri_x="1"), allow_redirects=False)
    assert answer.status_code == 303 and answer.headers["Location"].startswith("/login")


def test_no_cors_on_the_authorization_endpoint(target, client_id):
    answer = requests.get(authorize_url(target, client_id, pkce()[1]), headers={"Origin": "https://evil.example"},
                          allow_redirects=False)
    assert "Access-Control-Allow-Origin" not in answer.headers


@pytest.mark.parametrize("uri", ["http://shop.example/cb", "JAVASCRIPT:alert(1)", "data:text/html,x",
                                 "https://shop.example/cb#x", "http://localhost.evil.example/cb", "https://*.example/cb",
                                 "https://user@shop.example/cb", "Https://shop.example/cb"])
def test_registration_refuses_unsafe_redirect_uris(target, uri):
    refused = target.cli("client", "add", "--name", "Bad", "--redirect-uri", uri, check=False)
    assert refused.returncode != 0 and "redirect URI" in refused.stderr
