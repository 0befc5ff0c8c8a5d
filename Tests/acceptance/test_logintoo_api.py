"""The Logintoo JSON API, replayed the way the original 2020-11 login page and a 2026-06 client call it."""
import base64
import hashlib
import http.server
import json
import re
import secrets
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from conftest import codes_in
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet

SITE_ORIGIN = "https://login.shop.example"
API_HEADERS = {"Access-Control-Allow-Origin": "*", "Cache-Control": "no-store", "Pragma": "no-cache",
               "Referrer-Policy": "no-referrer"}


class Callback:
    """The site's redirect target on loopback: answers every request, open to any origin, and remembers the paths."""

    def __init__(self):
        hits = self.hits = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                hits.append(self.path)
                self.send_response(200)
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/callback?site=shop"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


@pytest.fixture
def callback():
    target = Callback()
    yield target
    target.close()


def pkce():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def code_in(message):
    text = message.get_body(preferencelist=("plain",)).get_content()
    codes = codes_in(text)
    assert len(codes) == 1, text
    return codes[0]


def import_client(server, tmp_path, client_id, redirect_uri, **settings):
    """Registers a client the way an operator moves one over: a DynamoDB scan of the original's client table."""
    item = {"clientId": {"S": client_id}, "appDisplayName": {"S": "Old Shop"},
            "redirectURIs": {"L": [{"S": redirect_uri}]}, "tokenAud": {"S": "https://api.shop.example"},
            "otpEmailFrom": {"S": "help@shop.example"}, "otpEmailSubj": {"S": "Your Old Shop code"}}
    for name, value in settings.items():
        item[name] = {"N": str(value)} if isinstance(value, int) and not isinstance(value, bool) else (
            {"BOOL": value} if isinstance(value, bool) else {"S": value})
    path = tmp_path / "clients.json"
    path.write_text(json.dumps({"Items": [item], "Count": 1, "ScannedCount": 1}))
    out = server.cli("client", "import", str(path)).stdout
    assert f"imported {client_id}" in out
    return json.loads(server.cli("client", "show", client_id).stdout)


def call(server, method, path, body, origin=SITE_ORIGIN, **kwargs):
    headers = {"Origin": origin, "Content-Type": "application/json"}
    return requests.request(method, server.issuer + path, data=json.dumps(body), headers=headers, timeout=15, **kwargs)


def preflight(server, path, method):
    response = requests.options(server.issuer + path, headers={
        "Origin": SITE_ORIGIN, "Access-Control-Request-Method": method, "Access-Control-Request-Headers": "content-type"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert method in response.headers["Access-Control-Allow-Methods"]
    assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()


def assert_api_headers(response):
    for name, value in API_HEADERS.items():
        assert response.headers.get(name) == value, (name, response.headers)


def assert_error(response, status, error, *secrets_sent):
    assert response.status_code == status, response.text
    reasons = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden"}
    body = response.json()
    assert body["statusMessage"] == f"{status} {reasons[status]}"
    assert body["error"] == error
    assert body["error_description"]
    for secret in secrets_sent:
        assert secret.lower() not in response.text.lower()
    assert_api_headers(response)


def verify_access_token(server, token, jwks_path):
    keys = KeySet.import_key_set(requests.get(server.issuer + jwks_path).json())
    decoded = jose_jwt.decode(token, keys)
    assert decoded.header["typ"] == "at+jwt"
    return decoded.claims


def test_original_2020_11_login_page_sequence(server, smtp, callback, tmp_path):
    client_id = str(uuid.uuid4())
    shown = import_client(server, tmp_path, client_id, callback.url, otpLength=4, otpAttempts=3, accessTokenExp=900,
                          refreshTokenExp=7200, extendRefreshToken=False)
    assert shown["name"] == "Old Shop" and shown["type"] == "public"
    verifier, challenge = pkce()
    state = secrets.token_urlsafe(32)
    address = "Jane.Doe+shop@gmail.com"

    preflight(server, "/2020-11/auth", "POST")
    auth = call(server, "POST", "/2020-11/auth", {
        "client_id": client_id, "code_challenge": challenge, "code_challenge_method": "S256", "email": address,
        "redirect_uri": callback.url, "response_type": "code", "state": state, "language": "de", "locale": "de-CH"})
    assert auth.status_code == 200 and auth.json() == {"statusCode": 200, "statusMessage": "200 OK"}
    assert_api_headers(auth)

    message = smtp.wait_for("jane.doe+shop@gmail.com")
    assert message["Subject"] == "Your Old Shop code" and message["Reply-To"] == "help@shop.example"
    otp = code_in(message)
    assert len(otp) == 6, "otpLength below 6 is raised to 6"

    preflight(server, "/2020-11/otp", "POST")
    otp_body = {"client_id": client_id, "code_challenge": challenge, "email": address, "otp": otp}
    redirect = call(server, "POST", "/2020-11/otp", otp_body, allow_redirects=False)
    assert redirect.status_code == 302 and redirect.json() == {}
    assert_api_headers(redirect)
    location = redirect.headers["Location"]
    assert location.startswith(callback.url + "&code=")
    params = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    assert params["site"] == "shop" and params["state"] == state and params["language"] == "de" and params["locale"] == "de-CH"
    assert "iss" not in params

    followed = call(server, "POST", "/2020-11/otp", otp_body)
    assert followed.status_code == 403, "the code was used"

    preflight(server, "/2020-11/token", "POST")
    before = int(time.time())
    token = call(server, "POST", "/2020-11/token", {
        "grant_type": "authorization_code", "code": params["code"], "redirect_uri": callback.url, "client_id": client_id,
        "code_verifier": verifier})
    after = int(time.time())
    assert token.status_code == 200, token.text
    assert_api_headers(token)
    body = token.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token", "exp", "rt_exp", "state", "language",
                         "locale", "statusMessage"}
    assert body["token_type"] == "Bearer" and body["statusMessage"] == "200 OK" and body["expires_in"] == 900
    assert before + 900 <= body["exp"] <= after + 900
    assert before + 7200 <= body["rt_exp"] <= after + 7200
    assert body["state"] == state and body["language"] == "de" and body["locale"] == "de-CH"
    claims = verify_access_token(server, body["access_token"], "/.well-known/jwks.json")
    assert claims["iss"] == server.issuer and claims["aud"] == "https://api.shop.example"
    assert claims["client_id"] == client_id and claims["exp"] == body["exp"]
    assert claims["email"] == "jane.doe+shop@gmail.com" and claims["email_verified"] is True
    assert claims["email_normalized"] == "janedoe@gmail.com" and claims["hd"] == "gmail.com"
    assert claims["language"] == "de" and claims["locale"] == "de-CH"

    preflight(server, "/2020-11/token", "PATCH")
    rotated = call(server, "PATCH", "/2020-11/token", {"grant_type": "refresh_token", "refresh_token": body["refresh_token"]})
    assert rotated.status_code == 200, rotated.text
    assert_api_headers(rotated)
    fresh = rotated.json()
    assert fresh["refresh_token"] != body["refresh_token"] and fresh["statusMessage"] == "200 OK"
    assert fresh["rt_exp"] == body["rt_exp"], "extendRefreshToken=false keeps the family's end"
    assert verify_access_token(server, fresh["access_token"], "/.well-known/jwks.json")["sub"] == claims["sub"]

    preflight(server, "/2020-11/token", "DELETE")
    for _ in range(2):
        ended = call(server, "DELETE", "/2020-11/token", {"refresh_token": fresh["refresh_token"]})
        assert ended.status_code == 200 and ended.json() == {"statusMessage": "200 OK"}
        assert_api_headers(ended)
    assert_error(call(server, "PATCH", "/2020-11/token", {"grant_type": "refresh_token",
                                                          "refresh_token": fresh["refresh_token"]}), 401, "unauthorized_client")


def test_2026_06_client_gets_iss_and_the_jwks(server, smtp, callback, tmp_path):
    client_id = str(uuid.uuid4())
    import_client(server, tmp_path, client_id, callback.url)
    verifier, challenge = pkce()
    state = secrets.token_urlsafe(32)
    call(server, "POST", "/2026-06/auth", {
        "client_id": client_id, "code_challenge": challenge, "code_challenge_method": "S256", "email": "sam@example.org",
        "redirect_uri": callback.url, "response_type": "code", "state": state}).raise_for_status()
    otp = code_in(smtp.wait_for("sam@example.org"))
    done = call(server, "POST", "/2026-06/otp",
                {"client_id": client_id, "code_challenge": challenge, "email": "sam@example.org", "otp": otp})
    assert done.status_code == 200 and callback.hits, "the 302 is followed to the site, with CORS"
    assert done.history[0].status_code == 302
    assert done.history[0].headers["Access-Control-Allow-Origin"] == "*"
    params = {k: v[0] for k, v in parse_qs(urlsplit(done.url).query).items()}
    assert params["iss"] == server.issuer and params["state"] == state and "language" not in params

    jwks = requests.get(server.issuer + "/2026-06/jwks")
    assert jwks.status_code == 200 and jwks.headers["Access-Control-Allow-Origin"] == "*"
    assert "max-age" in jwks.headers["Cache-Control"]
    assert jwks.json() == requests.get(server.issuer + "/.well-known/jwks.json").json()

    form = {"grant_type": "authorization_code", "code": params["code"], "redirect_uri": callback.url, "client_id": client_id,
            "code_verifier": verifier}
    token = requests.post(server.issuer + "/2026-06/token", data=form)
    assert token.status_code == 200, token.text
    body = token.json()
    assert body["expires_in"] == 3600 and "language" not in body, "Logintoo's default access-token lifetime"
    claims = verify_access_token(server, body["access_token"], "/2026-06/jwks")
    assert claims["email_normalized"] == "sam@example.org" and claims["hd"] == "example.org"


def test_every_error_mapping(server, smtp, callback, tmp_path):
    client_id = str(uuid.uuid4())
    import_client(server, tmp_path, client_id, callback.url, otpAttempts=2)
    verifier, challenge = pkce()
    state = secrets.token_urlsafe(32)
    address = "lee@example.net"
    start = {"client_id": client_id, "code_challenge": challenge, "code_challenge_method": "S256", "email": address,
             "redirect_uri": callback.url, "response_type": "code", "state": state}

    for broken in ({"client_id": "12345"}, {"code_challenge": "short"}, {"code_challenge_method": "plain"},
                   {"state": "x" * 20}, {"language": "deu"}, {"locale": "de_CH"}, {"email": "lee@@example.net"},
                   {"redirect_uri": "callback"}, {"response_type": "token"}, {"email": 7}):
        assert_error(call(server, "POST", "/2026-06/auth", {**start, **broken}), 400, "invalid_request",
                     str(list(broken.values())[0]))
    raw = requests.post(server.issuer + "/2026-06/auth", data="{not json", headers={"Content-Type": "application/json"})
    assert_error(raw, 400, "invalid_request")

    otp_body = {"client_id": client_id, "code_challenge": challenge, "email": address}
    assert_error(call(server, "POST", "/2026-06/otp", {**otp_body, "otp": "123456"}), 403, "access_denied", address)
    call(server, "POST", "/2026-06/auth", {**start, "unknown_property": True}).raise_for_status()
    code = code_in(smtp.wait_for(address))
    wrong = "0" * len(code) if code != "0" * len(code) else "1" * len(code)
    assert_error(call(server, "POST", "/2026-06/otp", {**otp_body, "otp": "12ab"}), 400, "invalid_request", "12ab")
    assert_error(call(server, "POST", "/2026-06/otp", {**otp_body, "otp": wrong}), 401, "unauthorized_client", wrong, address)
    done = call(server, "POST", "/2026-06/otp", {**otp_body, "otp": code}, allow_redirects=False)
    assert done.status_code == 302
    issued = {k: v[0] for k, v in parse_qs(urlsplit(done.headers["Location"]).query).items()}["code"]

    exchange = {"grant_type": "authorization_code", "code": issued, "redirect_uri": callback.url, "client_id": client_id,
                "code_verifier": verifier}
    wrong_verifier = secrets.token_urlsafe(48)
    assert_error(call(server, "POST", "/2026-06/token", {**exchange, "code_verifier": wrong_verifier}), 401,
                 "unauthorized_client", wrong_verifier, issued)
    assert_error(call(server, "POST", "/2026-06/token", exchange), 403, "access_denied", issued, verifier)
    assert_error(call(server, "POST", "/2026-06/token", {**exchange, "code": secrets.token_urlsafe(32)}), 403, "access_denied")
    assert_error(call(server, "POST", "/2026-06/token", {**exchange, "client_id": str(uuid.uuid4())}), 403, "access_denied")
    assert_error(call(server, "POST", "/2026-06/token", {**exchange, "grant_type": "password"}), 400, "invalid_request")
    assert_error(call(server, "PATCH", "/2026-06/token", {"grant_type": "refresh_token", "refresh_token": "nope"}), 401,
                 "unauthorized_client", "nope")
    assert_error(call(server, "PATCH", "/2026-06/token", {"grant_type": "refresh_token"}), 400, "invalid_request")
    assert_error(call(server, "DELETE", "/2026-06/token", {}), 400, "invalid_request")


def sign_in(server, smtp, client_id, redirect_uri, address, version="2026-06", count=1):
    verifier, challenge = pkce()
    call(server, "POST", f"/{version}/auth", {
        "client_id": client_id, "code_challenge": challenge, "code_challenge_method": "S256", "email": address,
        "redirect_uri": redirect_uri, "response_type": "code", "state": secrets.token_urlsafe(32)}).raise_for_status()
    otp = code_in(smtp.wait_for(address, count))
    done = call(server, "POST", f"/{version}/otp",
                {"client_id": client_id, "code_challenge": challenge, "email": address, "otp": otp}, allow_redirects=False)
    return exchange_redirect(server, client_id, redirect_uri, done, verifier, version)


def exchange_redirect(server, client_id, redirect_uri, done, verifier, version="2026-06"):
    """The tokens for the code of a signed-in answer (`302` to the client), exchanged with the PKCE verifier."""
    assert done.status_code == 302, done.text
    params = {k: v[0] for k, v in parse_qs(urlsplit(done.headers["Location"]).query).items()}
    assert version == "2020-11" or params["iss"] == server.issuer
    token = call(server, "POST", f"/{version}/token", {"grant_type": "authorization_code", "code": params["code"],
                                                       "redirect_uri": redirect_uri, "client_id": client_id,
                                                       "code_verifier": verifier})
    assert token.status_code == 200, token.text
    return token.json()


def test_refresh_reuse_revokes_the_family(server, smtp, callback, tmp_path):
    client_id = str(uuid.uuid4())
    import_client(server, tmp_path, client_id, callback.url)
    first = sign_in(server, smtp, client_id, callback.url, "reuse@example.com")["refresh_token"]
    second = call(server, "PATCH", "/2026-06/token", {"grant_type": "refresh_token", "refresh_token": first}).json()
    third = call(server, "PATCH", "/2026-06/token", {"grant_type": "refresh_token", "refresh_token": second["refresh_token"]})
    assert third.status_code == 200
    assert_error(call(server, "PATCH", "/2026-06/token", {"grant_type": "refresh_token", "refresh_token": first}), 403,
                 "access_denied", first)
    assert_error(call(server, "PATCH", "/2026-06/token", {"grant_type": "refresh_token",
                                                          "refresh_token": third.json()["refresh_token"]}),
                 401, "unauthorized_client")


def test_what_the_original_got_wrong(server, smtp, callback, tmp_path):
    """Racing attempts and single use, repeated sends, and the redirect URI checked again at /otp."""
    client_id = str(uuid.uuid4())
    import_client(server, tmp_path, client_id, callback.url, otpAttempts=3)
    address = "race@example.com"
    verifier, challenge = pkce()
    start = {"client_id": client_id, "code_challenge": challenge, "code_challenge_method": "S256", "email": address,
             "redirect_uri": callback.url, "response_type": "code", "state": secrets.token_urlsafe(32)}
    for _ in range(3):
        call(server, "POST", "/2026-06/auth", start).raise_for_status()
    code = code_in(smtp.wait_for(address))
    time.sleep(1)
    assert len([m for rcpt, m, _ in smtp.messages if address in rcpt]) == 1, "repeating /auth sends no second code"

    for _ in range(3):
        _, other_challenge = pkce()
        call(server, "POST", "/2026-06/auth", {**start, "code_challenge": other_challenge}).raise_for_status()
    time.sleep(1)
    assert len([m for rcpt, m, _ in smtp.messages if address in rcpt]) == 1, "sends to one address are throttled"

    wrong = "0" * len(code) if code != "0" * len(code) else "1" * len(code)
    body = {"client_id": client_id, "code_challenge": challenge, "email": address}
    with ThreadPoolExecutor(12) as pool:
        statuses = list(pool.map(lambda _: call(server, "POST", "/2026-06/otp", {**body, "otp": wrong}).status_code, range(12)))
    assert statuses.count(401) == 3 and statuses.count(403) == 9, "no more wrong tries than otpAttempts, however parallel"
    assert call(server, "POST", "/2026-06/otp", {**body, "otp": code}).status_code == 403, "the burned code stays burned"

    verifier, challenge = pkce()
    start.update(code_challenge=challenge, email="race2@example.com")
    body.update(code_challenge=challenge, email="race2@example.com")
    call(server, "POST", "/2026-06/auth", start).raise_for_status()
    code = code_in(smtp.wait_for("race2@example.com"))
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: call(server, "POST", "/2026-06/otp", {**body, "otp": code}, allow_redirects=False),
                                range(8)))
    assert [a.status_code for a in answers].count(302) == 1, "one code, one sign-in"

    verifier, challenge = pkce()
    call(server, "POST", "/2026-06/auth", {**start, "code_challenge": challenge, "email": "moved@example.com"}).raise_for_status()
    code = code_in(smtp.wait_for("moved@example.com"))
    server.cli("client", "set", client_id, "redirectURIs=https://new.shop.example/callback")
    moved = call(server, "POST", "/2026-06/otp",
                 {"client_id": client_id, "code_challenge": challenge, "email": "moved@example.com", "otp": code},
                 allow_redirects=False)
    assert_error(moved, 403, "access_denied")
    assert "Location" not in moved.headers


def test_login_page_url_of_the_original(server, smtp, callback, tmp_path):
    client_id = str(uuid.uuid4())
    import_client(server, tmp_path, client_id, callback.url)
    verifier, challenge = pkce()
    state = secrets.token_urlsafe(32)
    query = {"client_id": client_id, "redirect_uri": callback.url, "response_type": "code", "state": state,
             "code_challenge": challenge, "code_challenge_method": "S256", "language": "fr", "locale": "fr-BE"}
    page = requests.get(server.issuer + "/", params=query)
    assert page.status_code == 200 and "<form" in page.text and 'name="email"' in page.text
    assert urlsplit(page.history[0].headers["Location"]).path == "/authorize"


def test_client_set_refuses_bad_values_and_import_survives_them(server, tmp_path):
    client_id = str(uuid.uuid4())
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([{"clientId": client_id, "redirectURIs": ["https://shop.example/cb"], "otpAttempts": "many",
                                 "accessTokenExp": 10, "otpTimeout": 2.5, "extendRefreshToken": "sometimes"}]))
    out = server.cli("client", "import", str(path)).stdout
    assert out.count("warning:") == 4
    settings = json.loads(server.cli("client", "show", client_id).stdout)["settings"]
    assert settings["codeMaxAttempts"] == 4 and settings["accessTokenLifetime"] == 3600 and settings["codeLifetime"] == 600
    refused = server.cli("client", "set", client_id, "otpAttempts=11", check=False)
    assert refused.returncode != 0 and "otpAttempts" in refused.stderr
    assert json.loads(server.cli("client", "set", client_id, "otpAttempts=7").stdout)["settings"]["codeMaxAttempts"] == 7
