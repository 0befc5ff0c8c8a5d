"""Sign-in load driver: N virtual browsers, each signing in again and again through the real pages (or the peer's
REST login), reading every emailed code from a mailbox file, for a bounded time. Prints one JSON object:
completed sign-ins per second, p50/p99 latency of a whole sign-in, errors, and the server's CPU time per sign-in.

  signin.py logintoo|glewlwyd --base URL[,URL...] --client-id ID --redirect-uri URI --mailbox console:FILE|sink:FILE
            [--concurrency N] [--seconds S] [--mode full|exchange|passkey] [--server-pid PID[,PID...]] [--mint N]
            [--dpop-proofs FILE]

Modes: `full` is the whole passwordless sign-in (authorize, login page, email, code page, the code from the mailbox,
the code, the token exchange), each time in a fresh browser. `exchange` signs each browser in once, then repeats
what a returning visitor costs: authorize within the session and the code exchange. `passkey` (Logintoo only) signs
each visitor in once with a code and adds a passkey on the offer (a software authenticator,
Tests/acceptance/passkey_authenticator.py), then repeats a passkey sign-in in a fresh browser: authorize, login page,
the assertion's options, the assertion (ES256), the code exchange; no email.
Mailboxes: `console:` follows Logintoo's console mailer output (several files, comma-separated, for several instances);
`sink:` follows the JSON lines of mail_sink.py. With `--mint N` it only signs in N new accounts and prints one
`client_id refresh_token access_token` line for each; with `--dpop-proofs` (a file of benchmarks/dpop_proofs.py, a
proof for POST /token on each line) each code exchange sends the next proof, so the tokens are DPoP-bound to its key.
Several instances of one deployment: several base URLs (the visitors spread over them, each keeping to one) and the
PIDs of all of them (their CPU time summed).
"""
import argparse
import asyncio
import base64
import hashlib
import itertools
import json
import os
import re
import secrets
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

GROUPED_CODE = re.compile(r"^\s*(\d{3,5}) ?(\d{3,5})\s*$", re.M)
SIX_DIGITS = re.compile(r"\b(\d{6})\b")


class Failure(Exception):
    pass


class Connection:
    """One keep-alive HTTP/1.1 connection to a loopback server: just what a sign-in needs, cheap per request."""

    def __init__(self, host, port):
        self.host, self.port = host, port
        self.reader = self.writer = None

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method, target, headers, body=b""):
        reused = self.writer is not None
        if not reused:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = f"{method} {target} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Length: {len(body)}\r\n"
        self.writer.write((head + "".join(f"{k}: {v}\r\n" for k, v in headers) + "\r\n").encode() + body)
        try:
            return await self._response()
        except (ConnectionError, asyncio.IncompleteReadError):
            self.close()
            if not reused:
                raise
            return await self.request(method, target, headers, body)  # the server had closed an idle connection

    async def _response(self):
        line = await self.reader.readline()
        if not line:
            raise ConnectionError("closed")
        status = int(line.split()[1])
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers.setdefault(name.strip().lower(), []).append(value.strip())
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"][0]))
        elif "chunked" in headers.get("transfer-encoding", [""])[0]:
            body = b""
            while size := int((await self.reader.readline()).strip(), 16):
                body += await self.reader.readexactly(size)
                await self.reader.readline()
            await self.reader.readline()
        else:
            body = b""
        if "close" in headers.get("connection", [""])[0].lower():
            self.close()
        return status, headers, body


class Browser:
    """A cookie jar over a connection; a fresh one is a new visitor."""

    def __init__(self, connection):
        self.connection = connection
        self.cookies = {}

    async def go(self, method, target, form=None, json_body=None, expect=(200,), extra_headers=()):
        headers = [("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))] if self.cookies else []
        headers += extra_headers
        body = b""
        if form is not None:
            body = urlencode(form).encode()
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        elif json_body is not None:
            body = json.dumps(json_body).encode()
            headers.append(("Content-Type", "application/json"))
        status, response_headers, data = await self.connection.request(method, target, headers, body)
        for cookie in response_headers.get("set-cookie", []):
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if value and "max-age=0" not in cookie.lower():
                self.cookies[name.strip()] = value
            else:
                self.cookies.pop(name.strip(), None)
        if status not in expect:
            raise Failure(f"{method} {target.split('?')[0]} answered {status}: {data[:200]!r}")
        return response_headers, data


def hidden_fields(page, *names):
    """The values of the page's hidden form fields `names`."""
    return {name: re.search(r'name="%s" value="([^"]+)"' % name, page).group(1) for name in names}


def location(headers):
    """The redirect target as a request target on the same server."""
    url = urlsplit(headers["location"][0])
    return url.path + ("?" + url.query if url.query else "")


def pkce():
    verifier = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


class Mailbox:
    """Codes as they arrive in a growing file, handed to whoever waits for that address."""

    def __init__(self, spec, pattern):
        self.kind, _, paths = spec.partition(":")
        self.paths = paths.split(",")
        self.pattern = pattern
        self.waiting, self.arrived = {}, {}

    def forget(self, address):
        self.arrived.pop(address, None)

    async def code_for(self, address, timeout=15):
        if address in self.arrived:
            return self.arrived.pop(address)
        future = asyncio.get_running_loop().create_future()
        self.waiting[address] = future
        try:
            return await asyncio.wait_for(future, timeout)
        finally:
            self.waiting.pop(address, None)

    def deliver(self, address, text):
        match = self.pattern.search(text)
        if not match:
            return
        code = "".join(match.groups())
        future = self.waiting.pop(address, None)
        if future is not None and not future.done():
            future.set_result(code)
        else:
            self.arrived[address] = code

    async def follow(self, path):
        while not os.path.exists(path):
            await asyncio.sleep(0.01)
        with open(path, encoding="utf-8", errors="replace") as file:
            file.seek(0, os.SEEK_END)
            pending = ""
            while True:
                chunk = file.read()
                if not chunk:
                    await asyncio.sleep(0.002)
                    continue
                pending += chunk
                pending = self.parse(pending)

    def parse(self, text):
        """Delivers every complete message in `text`; returns the incomplete rest."""
        if self.kind == "sink":
            *lines, rest = text.split("\n")
            for line in lines:
                message = json.loads(line)
                for address in message["to"]:
                    self.deliver(address.lower(), message["text"])
            return rest
        end = "\n----------------------------------------------\n"
        while (stop := text.find(end)) >= 0:
            message, text = text[:stop], text[stop + len(end):]
            to = re.search(r"^To: (.+)$", message, re.M)
            if to:
                self.deliver(to.group(1).strip().lower(), message)
        return text


class Logintoo:
    """The hosted pages, as a browser without JavaScript uses them."""

    def __init__(self, options, mailbox):
        self.options, self.mailbox = options, mailbox
        self.authenticators = {}

    def authorize_target(self):
        verifier, challenge = pkce()
        query = urlencode({"response_type": "code", "client_id": self.options.client_id,
                           "redirect_uri": self.options.redirect_uri, "scope": "openid email offline_access",
                           "state": secrets.token_urlsafe(12), "nonce": secrets.token_urlsafe(12),
                           "code_challenge": challenge, "code_challenge_method": "S256"})
        return verifier, "/authorize?" + query

    async def prepare(self, user):
        if self.options.mode == "passkey":
            await self.add_passkey(user)

    def address(self, visitor, visit):
        """A pool of addresses per visitor, so no address meets the per-address send limit during a run."""
        return f"bench{visitor}.{visit % 64}@example.com"

    async def login_page(self, browser, target):
        """The login page `target` (an authorize request) leads to: its hidden tx and csrf fields."""
        headers, _ = await browser.go("GET", target, expect=(302, 303))
        _, page = await browser.go("GET", location(headers))
        return hidden_fields(page.decode(), "tx", "csrf")

    async def sign_in(self, browser, user):
        verifier, target = self.authorize_target()
        fields = await self.login_page(browser, target)
        self.mailbox.forget(user)
        headers, _ = await browser.go("POST", "/login/email", form={**fields, "email": user}, expect=(303,))
        await browser.go("GET", location(headers))
        code = await self.mailbox.code_for(user)
        headers, _ = await browser.go("POST", "/login/code", form={**fields, "code": code}, expect=(303,))
        return await self.exchange(browser, headers, verifier)

    async def add_passkey(self, user):
        """A code sign-in that takes the passkey offer: the visitor's authenticator holds a passkey of the account."""
        from passkey_authenticator import Authenticator
        browser = Browser(Connection(*self.options.host_ports[0]))
        _, target = self.authorize_target()
        fields = await self.login_page(browser, target + "&prompt=login")
        self.mailbox.forget(user)
        headers, _ = await browser.go("POST", "/login/email", form={**fields, "email": user}, expect=(303,))
        await browser.go("GET", location(headers))
        code = await self.mailbox.code_for(user)
        _, offer = await browser.go("POST", "/login/code", form={**fields, "code": code, "passkey_capable": "1"})
        csrf = hidden_fields(offer.decode(), "csrf")["csrf"]
        _, options = await browser.go("POST", "/passkeys/registration/options", json_body={"csrf": csrf})
        base = self.options.base.split(",")[0]
        authenticator = Authenticator(urlsplit(base).hostname, base)
        await browser.go("POST", "/passkeys/registration", json_body={"csrf": csrf, "credential": authenticator.create(
            json.loads(options))}, expect=(201,))
        browser.connection.close()
        self.authenticators[user] = authenticator

    async def passkey_sign_in(self, browser, user):
        verifier, target = self.authorize_target()
        fields = await self.login_page(browser, target)
        _, options = await browser.go("POST", "/login/passkey/options", json_body=fields)
        credential = self.authenticators[user].get(json.loads(options))
        _, answer = await browser.go("POST", "/login/passkey", json_body={**fields, "credential": credential})
        redirect = urlsplit(json.loads(answer)["redirect"])
        return await self.exchange(browser, {"location": [f"{redirect.path}?{redirect.query}"]}, verifier)

    async def again(self, browser, user):
        verifier, target = self.authorize_target()
        headers, _ = await browser.go("GET", target, expect=(302, 303))
        return await self.exchange(browser, headers, verifier)

    async def exchange(self, browser, redirect, verifier):
        code = parse_qs(urlsplit(redirect["location"][0]).query)["code"][0]
        proof = [("DPoP", next(self.options.dpop_proofs).strip())] if self.options.dpop_proofs else []
        _, body = await browser.go("POST", "/token", form={
            "grant_type": "authorization_code", "code": code, "client_id": self.options.client_id,
            "redirect_uri": self.options.redirect_uri, "code_verifier": verifier}, extra_headers=proof)
        tokens = json.loads(body)
        if not tokens.get("id_token") or not tokens.get("refresh_token"):
            raise Failure(f"token response without an ID or refresh token: {sorted(tokens)}")
        return tokens


class Glewlwyd:
    """The peer's login through its REST API, as its login SPA makes the calls."""

    def __init__(self, options, mailbox):
        self.options, self.mailbox = options, mailbox
        self.api = urlsplit(options.base).path.rstrip("/") + "/api"

    def authorize_target(self, resume=False):
        verifier, challenge = pkce()
        query = urlencode({"response_type": "code", "client_id": self.options.client_id,
                           "redirect_uri": self.options.redirect_uri, "scope": "openid",
                           "state": secrets.token_urlsafe(12), "nonce": secrets.token_urlsafe(12),
                           "code_challenge": challenge, "code_challenge_method": "S256"})
        return verifier, f"{self.api}/oidc/auth?{query}" + ("&g_continue" if resume else "")

    def address(self, visitor, visit):
        return f"bench{visitor}@example.com"

    def scheme(self, user):
        return {"username": user.split("@")[0], "scheme_type": "email", "scheme_name": "email"}

    async def prepare(self, user):
        """Creates the user and grants the client once, as an administrator and the user's first visit would."""
        admin = Browser(Connection(*self.options.host_ports[0]))
        await admin.go("POST", f"{self.api}/auth/", json_body={"username": "admin", "password": "password"})
        await admin.go("DELETE", f"{self.api}/user/{user.split('@')[0]}", expect=(200, 404))
        await admin.go("POST", f"{self.api}/user/", json_body={"username": user.split("@")[0], "email": user,
                                                              "name": user, "scope": ["openid"], "enabled": True})
        admin.connection.close()
        browser = Browser(Connection(*self.options.host_ports[0]))
        await self.sign_in(browser, user, consent=True)
        browser.connection.close()

    async def sign_in(self, browser, user, consent=False):
        verifier, target = self.authorize_target()
        headers, _ = await browser.go("GET", target, expect=(302,))
        callback = parse_qs(urlsplit(headers["location"][0]).query)["callback_url"][0]
        self.mailbox.forget(user)
        await browser.go("POST", f"{self.api}/auth/scheme/trigger/", json_body={**self.scheme(user), "value": {}})
        code = await self.mailbox.code_for(user)
        await browser.go("POST", f"{self.api}/auth/", json_body={**self.scheme(user), "value": {"code": code}})
        if consent:
            await browser.go("PUT", f"{self.api}/auth/grant/{self.options.client_id}", json_body={"scope": "openid"})
        url = urlsplit(callback)
        headers, _ = await browser.go("GET", f"{url.path}?{url.query}&g_continue", expect=(302,))
        return await self.exchange(browser, headers, verifier)

    async def again(self, browser, user):
        verifier, target = self.authorize_target(resume=True)
        headers, _ = await browser.go("GET", target, expect=(302,))
        return await self.exchange(browser, headers, verifier)

    async def exchange(self, browser, redirect, verifier):
        code = parse_qs(urlsplit(redirect["location"][0]).query)["code"][0]
        _, body = await browser.go("POST", f"{self.api}/oidc/token", form={
            "grant_type": "authorization_code", "code": code, "client_id": self.options.client_id,
            "redirect_uri": self.options.redirect_uri, "code_verifier": verifier})
        tokens = json.loads(body)
        if not tokens.get("id_token") or not tokens.get("refresh_token"):
            raise Failure(f"token response without an ID or refresh token: {sorted(tokens)}")
        return tokens


def cpu_seconds(pids):
    total = 0.0
    for pid in pids:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


async def visitor(server, number, options, deadline, latencies, errors):
    user = options.users[number]
    connection = Connection(*options.host_ports[number % len(options.host_ports)])
    browser = Browser(connection)
    for attempt in range(3):  # warm-up, and the session for `exchange`
        try:
            await server.sign_in(browser, user)
            break
        except (Failure, KeyError, asyncio.TimeoutError, ConnectionError) as error:
            errors.append(repr(error))
            connection.close()
    for visit in itertools.count():
        if time.monotonic() >= deadline:
            break
        begin = time.perf_counter()
        try:
            if options.mode == "full":
                await server.sign_in(Browser(connection), server.address(number, visit))
            elif options.mode == "passkey":
                await server.passkey_sign_in(Browser(connection), user)
            else:
                await server.again(browser, user)
            latencies.append(time.perf_counter() - begin)
        except (Failure, KeyError, asyncio.TimeoutError, ConnectionError) as error:
            errors.append(repr(error))
            connection.close()


async def mint(server, options):
    """Signs in `options.mint` new accounts one after another and prints `client_id refresh_token access_token` for each:
    independent refresh families for the refresh and userinfo benchmarks."""
    for number in range(options.mint):
        user = f"mint{number}@example.com"
        await server.prepare(user)
        connection = Connection(*options.host_ports[0])
        tokens = await server.sign_in(Browser(connection), user)
        connection.close()
        print(options.client_id, tokens["refresh_token"], tokens["access_token"], flush=True)


async def run(options):
    pattern = SIX_DIGITS if options.server == "glewlwyd" else GROUPED_CODE
    mailbox = Mailbox(options.mailbox, pattern)
    followers = [asyncio.create_task(mailbox.follow(path)) for path in mailbox.paths]
    server = (Glewlwyd if options.server == "glewlwyd" else Logintoo)(options, mailbox)
    if options.mint:
        await mint(server, options)
        return
    # A passkey is offered only to an account without one, and each run's authenticators are new: new accounts.
    tag = f".{secrets.token_hex(4)}" if options.mode == "passkey" else ""
    users = options.users = [f"bench{n}{tag}@example.com" for n in range(options.concurrency)]
    for user in users:
        await server.prepare(user)
    latencies, errors = [], []
    cpu_before, wall_before = cpu_seconds(options.server_pids), time.monotonic()
    deadline = wall_before + options.seconds
    await asyncio.wait_for(asyncio.gather(*(visitor(server, n, options, deadline, latencies, errors)
                                            for n in range(options.concurrency))), options.seconds + 60)
    elapsed = time.monotonic() - wall_before
    cpu = cpu_seconds(options.server_pids) - cpu_before
    for follower in followers:
        follower.cancel()
    latencies.sort()
    done = len(latencies)
    percentile = lambda p: 1000 * latencies[min(done - 1, int(p * done))] if done else None  # noqa: E731
    print(json.dumps({"server": options.server, "mode": options.mode, "concurrency": options.concurrency,
                      "completed": done, "per_second": round(done / elapsed, 1),
                      "p50_ms": percentile(0.50), "p99_ms": percentile(0.99), "errors": len(errors),
                      "first_error": errors[0] if errors else None,
                      "cpu_ms_per_request": round(1000 * cpu / done, 3) if done and options.server_pids else None}))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("server", choices=("logintoo", "glewlwyd"))
    parser.add_argument("--base", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--redirect-uri", required=True)
    parser.add_argument("--mailbox", required=True)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--mode", choices=("full", "exchange", "passkey"), default="full")
    parser.add_argument("--server-pid", default="")
    parser.add_argument("--mint", type=int, help="only sign in this many new accounts and print their tokens")
    parser.add_argument("--dpop-proofs", type=argparse.FileType(), help="a DPoP proof for each code exchange, one per line")
    options = parser.parse_args()
    if options.mode == "passkey":
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "Tests" / "acceptance"))
    options.host_ports = [(url.hostname, url.port or 80) for url in map(urlsplit, options.base.split(","))]
    options.server_pids = [int(pid) for pid in options.server_pid.split(",") if pid]
    asyncio.run(run(options))


if __name__ == "__main__":
    main()
