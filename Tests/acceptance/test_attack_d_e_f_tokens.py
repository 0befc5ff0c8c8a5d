"""Attacks on the authorization code (docs/security.md D), the token endpoint (E) and refresh tokens (F): replay, races,
binding, PKCE downgrade, client authentication, malformed and oversized input, refresh reuse and concurrent refresh."""
import base64
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from attack import (BACKEND_REDIRECT, REDIRECT, address, backend, client_id, exchange, pkce, refresh, sign_in,  # noqa: F401
                    target, tokens, userinfo)


# D. Authorization code

def test_a_replayed_code_is_refused_and_revokes_the_first_tokens(target, smtp, client_id):
    code, verifier, _ = sign_in(target, smtp, client_id)
    first = exchange(target, client_id, code, verifier).json()
    replay = exchange(target, client_id, code, verifier)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    assert userinfo(target, first["access_token"]).status_code == 401
    assert refresh(target, client_id, first["refresh_token"]).json()["error"] == "invalid_grant"


def test_one_code_redeemed_by_concurrent_requests_yields_one_token_response(target, smtp, client_id):
    code, verifier, _ = sign_in(target, smtp, client_id)
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: exchange(target, client_id, code, verifier).status_code, range(8)))
    assert statuses.count(200) == 1 and statuses.count(400) == 7, statuses


def test_a_code_is_bound_to_its_client(target, smtp, client_id):
    other = target.add_client(name="Other", redirect_uris=[REDIRECT])["client_id"]
    code, verifier, _ = sign_in(target, smtp, client_id)
    stolen = exchange(target, other, code, verifier)
    assert stolen.status_code == 400 and stolen.json()["error"] == "invalid_grant"


@pytest.mark.parametrize("redirect_uri", ["http://127.0.0.1:9/callback/", "http://127.0.0.1:10/callback", None])
def test_a_code_is_bound_to_its_redirect_uri(target, smtp, client_id, redirect_uri):
    code, verifier, _ = sign_in(target, smtp, client_id)
    answer = exchange(target, client_id, code, verifier, redirect_uri=redirect_uri)
    assert answer.status_code == 400 and answer.json()["error"] in ("invalid_grant", "invalid_request")


@pytest.mark.parametrize("verifier", ["missing", "wrong", "too short", "bad characters"])
def test_pkce_downgrade_at_the_token_endpoint_is_refused(target, smtp, client_id, verifier):
    code, real, _ = sign_in(target, smtp, client_id)
    presented = {"missing": None, "wrong": pkce()[0], "too short": "abc", "bad characters": real[:-1] + "+"}[verifier]
    answer = exchange(target, client_id, code, presented)
    if verifier in ("missing", "wrong"):
        assert answer.status_code == 400 and answer.json()["error"] == "invalid_grant"
        assert exchange(target, client_id, code, real).status_code == 400, "a stolen code cannot be tried twice"
    else:
        assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"
        assert exchange(target, client_id, code, real).status_code == 200, "a malformed request changes nothing"


def test_the_whole_verifier_alphabet_is_accepted(target, smtp, client_id):
    import hashlib
    verifier = "abcXYZ019-._~" * 4
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    code, _, _ = sign_in(target, smtp, client_id, code_challenge=challenge)
    assert exchange(target, client_id, code, verifier).status_code == 200


# E. Token endpoint

def test_token_answers_are_not_cached(target, smtp, client_id):
    code, verifier, _ = sign_in(target, smtp, client_id)
    answer = exchange(target, client_id, code, verifier)
    assert answer.headers["Cache-Control"] == "no-store" and answer.headers["Pragma"] == "no-cache"


@pytest.mark.parametrize("grant_type", ["password", "implicit", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code"])
def test_unoffered_grant_types_are_refused(target, client_id, grant_type):
    answer = requests.post(target.issuer + "/token", data={"grant_type": grant_type, "client_id": client_id,
                                                           "username": "a", "password": "b"})
    assert answer.status_code == 400 and answer.json()["error"] in ("unsupported_grant_type", "unauthorized_client")


@pytest.mark.parametrize("authorization", ["Basic !!!", "Basic " + base64.b64encode(b"no-colon").decode(), "Basic ",
                                           "Bearer abc", "Basic " + base64.b64encode(b"\xff\xfe:\xff").decode()])
def test_malformed_client_authentication_is_a_401_never_a_500(target, authorization):
    answer = requests.post(target.issuer + "/token", headers={"Authorization": authorization},
                           data={"grant_type": "authorization_code", "code": "x", "redirect_uri": BACKEND_REDIRECT})
    assert answer.status_code in (400, 401) and answer.json()["error"] in ("invalid_client", "invalid_request")


def test_a_confidential_client_must_authenticate(target, smtp, backend):
    backend_id, secret = backend
    code, verifier, _ = sign_in(target, smtp, backend_id, redirect_uri=BACKEND_REDIRECT)
    wrong = exchange(target, backend_id, code, verifier, redirect_uri=BACKEND_REDIRECT, auth=(backend_id, secret + "x"))
    assert wrong.status_code == 401 and wrong.json()["error"] == "invalid_client" and "WWW-Authenticate" in wrong.headers
    unauthenticated = exchange(target, backend_id, code, verifier, redirect_uri=BACKEND_REDIRECT)
    assert unauthenticated.status_code == 401 and unauthenticated.json()["error"] == "invalid_client"


@pytest.mark.parametrize("body, content_type", [
    ('{"grant_type": "refresh_token", "refresh_token": "x"}', "application/json"),
    ("grant_type=refresh_token&refresh_token=%zz", "application/x-www-form-urlencoded"),
    (b"grant_type=refresh_token&refresh_token=\xff\xfe", "application/x-www-form-urlencoded"),
    ("grant_type=refresh_token&refresh_token=%C3%28", "application/x-www-form-urlencoded"),
    ("=&&==&", "application/x-www-form-urlencoded"),
    ("grant_type=refresh_token&refresh_token=x", "text/plain"),
])
def test_malformed_token_requests_are_a_400(target, client_id, body, content_type):
    answer = requests.post(target.issuer + "/token?client_id=" + client_id, data=body, headers={"Content-Type": content_type})
    assert 400 <= answer.status_code < 500 and answer.json()["error"] in ("invalid_request", "invalid_client")


def test_an_oversized_token_request_is_refused_without_reading_it_all(target, client_id):
    answer = requests.post(target.issuer + "/token", data={"grant_type": "refresh_token", "client_id": client_id,
                                                           "refresh_token": "x" * 200_000})
    assert answer.status_code in (400, 413)


@pytest.mark.parametrize("name", ["grant_type", "code", "client_id", "code_verifier"])
def test_a_token_parameter_sent_twice_is_refused(target, smtp, client_id, name):
    code, verifier, _ = sign_in(target, smtp, client_id)
    form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", REDIRECT), ("client_id", client_id),
            ("code_verifier", verifier)]
    form.append((name, dict(form)[name]))
    answer = requests.post(target.issuer + "/token", data=form)
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_request"


def test_token_cors_never_reflects_an_unregistered_origin(target, client_id):
    answer = requests.post(target.issuer + "/token", headers={"Origin": "https://evil.example"},
                           data={"grant_type": "refresh_token", "client_id": client_id, "refresh_token": "x"})
    assert answer.headers.get("Access-Control-Allow-Origin") not in ("https://evil.example", "*")


# F. Refresh tokens

def test_a_reused_refresh_token_revokes_the_family(target, smtp, client_id):
    issued = tokens(target, smtp, client_id)
    successor = refresh(target, client_id, issued["refresh_token"]).json()["refresh_token"]
    reused = refresh(target, client_id, issued["refresh_token"])
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    assert refresh(target, client_id, successor).json()["error"] == "invalid_grant", "the thief's successor is dead too"


def test_concurrent_refreshes_with_one_token_mint_once(target, smtp, client_id):
    issued = tokens(target, smtp, client_id)
    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda _: refresh(target, client_id, issued["refresh_token"]), range(6)))
    assert [a.status_code for a in answers].count(200) == 1


def test_a_refresh_token_is_bound_to_its_client(target, smtp, client_id):
    issued = tokens(target, smtp, client_id)
    other = target.add_client(name="Thief", redirect_uris=[REDIRECT])["client_id"]
    stolen = refresh(target, other, issued["refresh_token"])
    assert stolen.status_code == 400 and stolen.json()["error"] == "invalid_grant"
    assert refresh(target, client_id, issued["refresh_token"]).status_code == 200


def test_a_refresh_cannot_widen_the_scope(target, smtp, client_id):
    issued = tokens(target, smtp, client_id, scope="openid offline_access")
    wider = refresh(target, client_id, issued["refresh_token"], scope="openid email offline_access")
    assert wider.status_code == 400 and wider.json()["error"] == "invalid_scope"


@pytest.mark.parametrize("token", ["", "x", "A" * 43, "../" * 20, "' OR 1=1 --"])
def test_garbage_refresh_tokens_are_invalid_grant(target, client_id, token):
    answer = refresh(target, client_id, token)
    assert answer.status_code == 400 and answer.json()["error"] in ("invalid_grant", "invalid_request")


# F. One live head per refresh family (docs/security.md F38, F40): a server whose retry grace is 2 s, so that a test
# can wait it out. Times are whole seconds: a token retired at second s is past the grace from second s + 3.
GRACE = 2


@pytest.fixture(scope="module")
def graceful(binary, smtp, tmp_path_factory):
    """A server with a short retry grace, and a confidential client on it (introspection shows a token's state without
    spending it): (server, client_id, client_secret)."""
    from attack import LENIENT
    from conftest import Server
    options = dict(zip(LENIENT[::2], LENIENT[1::2])) | {"--refresh-grace": str(GRACE)}
    server = Server(binary, tmp_path_factory.mktemp("graceful"), f"smtp://127.0.0.1:{smtp.port}",
                    extra=[part for pair in options.items() for part in pair]).start()
    registered = server.add_client(name="Graceful", redirect_uris=[BACKEND_REDIRECT], confidential=True)
    yield server, registered["client_id"], registered["client_secret"]
    assert server.stop() == 0


def confidential_tokens(graceful, smtp):
    server, client, secret = graceful
    code, verifier, _ = sign_in(server, smtp, client, redirect_uri=BACKEND_REDIRECT)
    answer = exchange(server, client, code, verifier, redirect_uri=BACKEND_REDIRECT, auth=(client, secret))
    assert answer.status_code == 200, answer.text
    return answer.json()


def confidential_refresh(graceful, token):
    server, client, secret = graceful
    return requests.post(server.issuer + "/token", auth=(client, secret), timeout=30,
                         data={"grant_type": "refresh_token", "refresh_token": token})


def is_live(graceful, token):
    server, client, secret = graceful
    answer = requests.post(server.issuer + "/introspect", auth=(client, secret), data={"token": token}, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()["active"]


def test_a_retry_within_the_grace_replaces_its_successor_and_the_replaced_one_is_reuse(graceful, smtp):
    import time
    first = confidential_tokens(graceful, smtp)["refresh_token"]
    second = confidential_refresh(graceful, first)
    retry = confidential_refresh(graceful, first)
    assert second.status_code == 200 and retry.status_code == 200, (second.text, retry.text)
    second, third = second.json()["refresh_token"], retry.json()["refresh_token"]
    assert not is_live(graceful, second), "the retry retired the successor it duplicates"
    assert is_live(graceful, third)
    time.sleep(GRACE + 1.1)
    replaced = confidential_refresh(graceful, second)
    assert replaced.status_code == 400 and replaced.json()["error"] == "invalid_grant", replaced.text
    assert confidential_refresh(graceful, third).json()["error"] == "invalid_grant", "reuse revoked the whole family"


def test_concurrent_refreshes_of_one_token_within_the_grace_leave_one_usable_token(graceful, smtp):
    first = confidential_tokens(graceful, smtp)["refresh_token"]
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: confidential_refresh(graceful, first), range(8)))
    assert [a.status_code for a in answers] == [200] * 8, [a.text for a in answers]
    issued = [a.json()["refresh_token"] for a in answers]
    live = [token for token in issued if is_live(graceful, token)]
    assert len(live) == 1, f"{len(live)} of 8 tokens are live"
    assert confidential_refresh(graceful, live[0]).status_code == 200
