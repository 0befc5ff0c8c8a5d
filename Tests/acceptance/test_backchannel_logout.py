"""OpenID Connect Back-Channel Logout 1.0 against the built binary: a client registered with a backchannel_logout_uri (a
small receiver on 127.0.0.1 in the test) gets a logout token when a session it took part in ends, by logout, by "sign out
everywhere" at /account, and by the operator disabling the account; the token verifies against the JWKS (joserfc) and
names the ID token's sid and sub; a receiver that fails is tried again (docs/security.md N93)."""
import base64
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode

import requests
from authlib.common.security import generate_token
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet

import test_sign_in as flows
from browser import Person, hidden
from webhook_receiver import PostReceiver

EVENT = "http://schemas.openid.net/event/backchannel-logout"
SIGNED_OUT = "http://127.0.0.1:9/signed-out"


class Receiver(PostReceiver):
    """A relying party's back-channel logout endpoint: records every POST, answering the statuses it is given in turn
    (then 200)."""

    def __init__(self, statuses=()):
        super().__init__(statuses, path="/backchannel-logout")

    def next(self, timeout=10):
        delivery = self.received.get(timeout=timeout)
        assert delivery.headers["content-type"] == "application/x-www-form-urlencoded"
        form = parse_qs(delivery.body.decode())
        assert list(form) == ["logout_token"] and len(form["logout_token"]) == 1
        return form["logout_token"][0], delivery.at


def register(server, receiver):
    out = server.cli("client", "add", "--name", "Relying party", "--redirect-uri", flows.REDIRECT,
                     "--post-logout-redirect-uri", SIGNED_OUT, "--backchannel-logout-uri", receiver.url,
                     "--backchannel-logout-session-required", "--json").stdout
    client_id = json.loads(out)["client_id"]
    shown = json.loads(server.cli("client", "show", client_id).stdout)
    assert shown["settings"]["backchannelLogoutURI"] == receiver.url
    assert shown["settings"]["backchannelLogoutSessionRequired"] is True
    return client_id


def unique(name):
    """An address no other test signs in with: the SMTP sink is shared by the tests of a worker."""
    return f"{name}-{secrets.token_hex(4)}@example.com"


def sign_in(server, smtp, client_id, email):
    """Signs `email` in through the client; returns the person and the token answer."""
    meta = flows.discover(server)
    client = flows.oauth_client(client_id)
    verifier = generate_token(48)
    url, _ = client.create_authorization_url(meta["authorization_endpoint"], code_verifier=verifier, nonce="n1")
    person = Person(server, smtp, email)
    token = client.fetch_token(meta["token_endpoint"], authorization_response=person.sign_in(url), code_verifier=verifier)
    return person, token


def verified(server, logout_token, client_id):
    """The logout token's claims, checked as a relying party must (Back-Channel Logout 1.0 §2.6)."""
    keys = KeySet.import_key_set(requests.get(server.issuer + "/.well-known/jwks.json").json())
    token = jose_jwt.decode(logout_token, keys, algorithms=["RS256", "ES256", "EdDSA"])
    assert token.header["typ"] == "logout+jwt"
    claims = token.claims
    jose_jwt.JWTClaimsRegistry(iss={"essential": True, "value": server.issuer}, aud={"essential": True, "value": client_id},
                               jti={"essential": True}, iat={"essential": True}).validate(claims)
    assert claims["events"] == {EVENT: {}}
    assert "nonce" not in claims
    assert 0 < claims["exp"] - claims["iat"] <= 120 and abs(claims["iat"] - time.time()) < 30
    return claims


def id_claims(token):
    """The ID token's claims (its signature is checked by the sign-in tests)."""
    payload = token["id_token"].split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_logout_sends_a_logout_token_naming_the_id_tokens_session(server, smtp):
    receiver = Receiver()
    try:
        client_id = register(server, receiver)
        meta = flows.discover(server)
        assert meta["backchannel_logout_supported"] is True and meta["backchannel_logout_session_supported"] is True
        person, token = sign_in(server, smtp, client_id, unique("alice"))
        identity = id_claims(token)
        assert identity["sid"]
        logout = person.http.get(meta["end_session_endpoint"] + "?" + urlencode({
            "id_token_hint": token["id_token"], "post_logout_redirect_uri": SIGNED_OUT}), allow_redirects=False)
        assert logout.status_code == 303
        logout_token, _ = receiver.next()
        claims = verified(server, logout_token, client_id)
        assert claims["sid"] == identity["sid"] and claims["sub"] == identity["sub"]
        delivered = json.loads(server.cli("deliveries", "list", "--json").stdout)
        assert [(d["state"], d["kind"], d["target"]) for d in delivered] == [("delivered", "backchannel_logout", receiver.url)]
        assert logout_token not in json.dumps(delivered)
    finally:
        receiver.close()


def test_a_receiver_that_fails_gets_the_notice_again_later(server, smtp):
    receiver = Receiver(statuses=[500])
    try:
        client_id = register(server, receiver)
        meta = flows.discover(server)
        person, token = sign_in(server, smtp, client_id, unique("carol"))
        person.http.get(meta["end_session_endpoint"] + "?" + urlencode({
            "id_token_hint": token["id_token"], "post_logout_redirect_uri": SIGNED_OUT}), allow_redirects=False)
        first, first_at = receiver.next()
        pending = json.loads(server.cli("deliveries", "list", "--json").stdout)
        assert pending[0]["state"] == "pending" and "500" in pending[0]["last_error"]
        second, second_at = receiver.next(timeout=15)
        assert second_at - first_at >= 4, "retried after the backoff, not at once"
        one, two = verified(server, first, client_id), verified(server, second, client_id)
        assert one["sid"] == two["sid"] == id_claims(token)["sid"] and one["jti"] != two["jti"]
        deadline = time.time() + 5
        while json.loads(server.cli("deliveries", "list", "--json").stdout)[0]["state"] != "delivered":
            assert time.time() < deadline
            time.sleep(0.2)
        assert json.loads(server.cli("deliveries", "list", "--json").stdout)[0]["attempts"] == 2
    finally:
        receiver.close()


def test_sign_out_everywhere_and_account_disable_notify(server, smtp):
    receiver = Receiver()
    try:
        client_id = register(server, receiver)
        person, token = sign_in(server, smtp, client_id, unique("dave"))
        page = person.http.get(server.issuer + "/account")
        everywhere = person.http.post(server.issuer + "/account/sessions/end-all", data={"csrf": hidden(page.text, "csrf")})
        assert everywhere.status_code == 200
        claims = verified(server, receiver.next()[0], client_id)
        assert claims["sid"] == id_claims(token)["sid"] and claims["sub"] == id_claims(token)["sub"]

        bob = unique("bob")
        _, bobs = sign_in(server, smtp, client_id, bob)
        server.cli("account", "disable", bob)
        claims = verified(server, receiver.next()[0], client_id)
        assert claims["sid"] == id_claims(bobs)["sid"] and claims["sub"] == id_claims(bobs)["sub"]
    finally:
        receiver.close()


class Answering:
    """A receiver that answers every POST with `answer(handler)`: a redirect elsewhere, or a body trickled slowly."""

    def __init__(self, answer):
        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                answer(self)

            def log_message(self, *args):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/backchannel-logout"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def close(self):
        self.http.shutdown()


def redirect_to(target):
    def answer(handler):
        handler.send_response(307)
        handler.send_header("Location", target)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return answer


def trickle(handler):
    """200 at once, then a byte of the body every 2 seconds: a receiver that would hold a worker for a minute."""
    handler.send_response(200)
    handler.send_header("Content-Length", "30")
    handler.end_headers()
    for _ in range(30):
        try:
            handler.wfile.write(b"x")
            handler.wfile.flush()
        except OSError:
            return
        time.sleep(2)


def test_a_redirect_is_not_followed_and_a_slow_receiver_holds_no_one_up(server, smtp):
    """Three clients of one session: one redirects its notice elsewhere (the redirect must not be followed), one
    trickles its answer, and the third must still get its notice at once."""
    trap, prompt = Receiver(), Receiver()
    redirecting, slow = Answering(redirect_to(trap.url.replace("backchannel-logout", "stolen"))), Answering(trickle)
    try:
        prompt_id = register(server, prompt)
        others = [json.loads(server.cli("client", "add", "--name", name, "--redirect-uri", flows.REDIRECT,
                                        "--backchannel-logout-uri", receiver.url, "--json").stdout)["client_id"]
                  for name, receiver in (("Redirecting", redirecting), ("Slow", slow))]
        meta = flows.discover(server)
        person, token = sign_in(server, smtp, prompt_id, unique("erin"))
        for client_id in others:
            url, _ = flows.oauth_client(client_id).create_authorization_url(
                meta["authorization_endpoint"], code_verifier=generate_token(48), nonce="n2")
            assert person.http.get(url, allow_redirects=False).status_code in (302, 303), "the session gives it a code"
        started = time.monotonic()
        person.http.get(meta["end_session_endpoint"] + "?" + urlencode({
            "id_token_hint": token["id_token"], "post_logout_redirect_uri": SIGNED_OUT}), allow_redirects=False)
        _, at = prompt.next(timeout=10)
        assert at - started < 8, "the slow receiver held the others up"
        time.sleep(7)
        assert trap.received.empty(), "a redirect was followed"
        states = {d["target"]: d for d in json.loads(server.cli("deliveries", "list", "--json").stdout)}
        assert states[prompt.url]["state"] == "delivered"
        assert states[redirecting.url]["state"] == "pending" and "307" in states[redirecting.url]["last_error"]
        assert states[slow.url]["state"] == "pending", "a trickled answer is a failure, tried again later"
    finally:
        for receiver in (trap, prompt, redirecting, slow):
            receiver.close()
