"""Logintoo as operators deploy it: an https issuer behind a real TLS-terminating reverse proxy (nginx), per-client
budgets that see through the proxy and not through a spoofed header, a public issuer that refuses to print codes in
its log or show its metrics, and slow or idle clients that cannot hold sockets for good."""
import datetime
import hashlib
import base64
import ipaddress
import json
import secrets
import shutil
import socket
import subprocess
import time
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import pytest
import requests
from requests.adapters import HTTPAdapter
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from browser import Person
from conftest import Server, free_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIRECT = "http://127.0.0.1:9/callback"
# nginx connects to Logintoo from this address, the only one Logintoo trusts; test clients connect from others.
PROXY_ADDRESS = "127.0.0.2"


def write_test_pki(folder):
    """A test CA and a certificate it signed for localhost and 127.0.0.1; returns (ca, cert, key) paths."""
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Logintoo test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
          .not_valid_after(now + datetime.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    paths = folder / "ca.pem", folder / "server.pem", folder / "server.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return paths


class Nginx:
    """nginx terminating TLS on a loopback port and proxying to Logintoo as operators configure it (docs/deploy-vm.md)."""

    def __init__(self, folder, upstream_port):
        self.folder = folder
        self.port = free_port()
        self.ca, cert, key = write_test_pki(folder)
        for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (folder / temp).mkdir(exist_ok=True)
        config = f"""
daemon off;
master_process off;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    server {{
        listen 127.0.0.1:{self.port} ssl;
        ssl_certificate {cert};
        ssl_certificate_key {key};
        location / {{
            proxy_pass http://127.0.0.1:{upstream_port};
            proxy_bind {PROXY_ADDRESS};
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
        }}
    }}
}}
"""
        (folder / "nginx.conf").write_text(config)
        self.process = subprocess.Popen([NGINX, "-c", str(folder / "nginx.conf"), "-p", str(folder)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                assert self.process.poll() is None, (folder / "error.log").read_text()
                time.sleep(0.05)
        raise RuntimeError("nginx did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


class FromAddress(HTTPAdapter):
    """Connects from a given loopback address, so one machine can play several clients."""

    def __init__(self, address):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def session_from(address, ca):
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE would override the test CA
    session.verify = str(ca)
    for scheme in ("http://", "https://"):
        session.mount(scheme, FromAddress(address))
    return session


@pytest.fixture
def proxied(binary, smtp, tmp_path):
    """Logintoo with an https issuer behind nginx, trusting only nginx's address for forwarding headers."""
    upstream = Server(binary, tmp_path / "logintoo", f"smtp://127.0.0.1:{smtp.port}",
                      extra=["--trusted-proxies", f"{PROXY_ADDRESS}/32", "--sends-per-ip-per-hour", "2"])
    nginx = Nginx(tmp_path, upstream.port)
    upstream.issuer = f"https://localhost:{nginx.port}"
    upstream.start()
    yield upstream, nginx
    nginx.stop()
    assert upstream.stop() == 0


def audit(server, kind):
    return json.loads(server.cli("audit", "--kind", kind, "--json").stdout)


def set_cookies(response):
    return response.raw.headers.getlist("Set-Cookie")


def test_whole_sign_in_behind_a_tls_terminating_proxy_sets_only_host_locked_secure_cookies(proxied, smtp):
    server, nginx = proxied
    client_id = server.add_client(redirect_uris=[REDIRECT])["client_id"]
    person = Person(server, smtp, email="proxied@example.com")
    person.http.trust_env = False  # REQUESTS_CA_BUNDLE would override the test CA
    person.http.verify = str(nginx.ca)
    cookies = []
    person.http.hooks["response"].append(lambda response, *args, **kwargs: cookies.extend(
        (urlsplit(response.url).path, header) for header in set_cookies(response)))

    meta = person.http.get(server.issuer + "/.well-known/openid-configuration",
                           headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "http"}).json()
    assert meta["issuer"] == server.issuer and meta["authorization_endpoint"] == server.issuer + "/authorize", \
        "the issuer stays the configured one, whatever the forwarding headers say"

    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    url = server.issuer + "/authorize?" + urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT, "scope": "openid email",
        "state": "s1", "nonce": "n1", "code_challenge": challenge, "code_challenge_method": "S256"})
    back = person.sign_in(url)
    params = {k: v[0] for k, v in parse_qs(urlsplit(back).query).items()}
    assert back.startswith(REDIRECT) and params["iss"] == server.issuer

    token = person.http.post(server.issuer + "/token", data={
        "grant_type": "authorization_code", "code": params["code"], "redirect_uri": REDIRECT, "client_id": client_id,
        "code_verifier": verifier})
    assert token.status_code == 200, token.text

    assert any(path == "/authorize" and header.startswith("__Host-logintoo-browser=") for path, header in cookies), \
        f"the browser-binding cookie is set at /authorize: {cookies}"
    assert any(header.startswith("__Host-logintoo-session=") for _, header in cookies), cookies
    for path, header in cookies:
        attributes = [part.strip().lower() for part in header.split(";")]
        assert header.startswith("__Host-"), (path, header)
        assert "secure" in attributes and "httponly" in attributes and "path=/" in attributes, (path, header)
        assert not any(part.startswith("domain=") for part in attributes), (path, header)

    sent = [event for event in audit(server, "code_sent") if event["email"] == "proxied@example.com"]
    assert [event["ip"] for event in sent] == ["127.0.0.1"], "the client nginx saw, not nginx itself"


def start_sign_in(session, base, client_id, address):
    answer = session.post(base + "/2020-11/auth", json={
        "client_id": client_id, "email": address, "redirect_uri": REDIRECT, "response_type": "code", "state": secrets.token_urlsafe(32),
        "code_challenge": "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "code_challenge_method": "S256"}, timeout=15)
    assert answer.status_code == 200, answer.text


def test_each_client_behind_the_proxy_has_its_own_budget_and_a_spoofed_header_opens_none(proxied):
    server, nginx = proxied
    client_id = server.add_client(redirect_uris=[REDIRECT])["client_id"]
    first, second = session_from("127.0.0.3", nginx.ca), session_from("127.0.0.4", nginx.ca)
    for n in range(3):
        start_sign_in(first, server.issuer, client_id, f"first-{n}@example.com")
    start_sign_in(second, server.issuer, client_id, "second-0@example.com")

    # Straight to Logintoo, not through nginx: the peer is not trusted, so a forged header changes nothing.
    spoofer = session_from("127.0.0.5", nginx.ca)
    for n in range(3):
        spoofer.headers["X-Forwarded-For"] = f"198.51.100.{n}"
        start_sign_in(spoofer, server.url, client_id, f"spoofer-{n}@example.com")

    # A trusted proxy forwarding for IPv6 clients: one /64 is one client.
    ipv6 = session_from(PROXY_ADDRESS, nginx.ca)
    for n in range(3):
        ipv6.headers["X-Forwarded-For"] = f"2001:db8:1:2::{n + 1}"
        start_sign_in(ipv6, server.url, client_id, f"ipv6-{n}@example.com")
    ipv6.headers["X-Forwarded-For"] = "2001:db8:1:3::1"
    start_sign_in(ipv6, server.url, client_id, "ipv6-other@example.com")

    sent = {event["email"]: event["ip"] for event in audit(server, "code_sent")}
    throttled = {event["email"]: event["ip"] for event in audit(server, "code_send_throttled")}
    assert sent == {"first-0@example.com": "127.0.0.3", "first-1@example.com": "127.0.0.3",
                    "second-0@example.com": "127.0.0.4",
                    "spoofer-0@example.com": "127.0.0.5", "spoofer-1@example.com": "127.0.0.5",
                    "ipv6-0@example.com": "2001:db8:1:2::1", "ipv6-1@example.com": "2001:db8:1:2::2",
                    "ipv6-other@example.com": "2001:db8:1:3::1"}
    assert throttled == {"first-2@example.com": "127.0.0.3", "spoofer-2@example.com": "127.0.0.5",
                         "ipv6-2@example.com": "2001:db8:1:2::3"}
    log = open(server.data_dir + "/server.log").read()
    assert "client_ip=127.0.0.3" in log and f"client_ip={PROXY_ADDRESS}" not in log, "log lines name the client, not the proxy"


def run_serve(binary, tmp_path, *args, timeout=10):
    return subprocess.run([binary, "serve", "--data-dir", str(tmp_path), "--listen", f"127.0.0.1:{free_port()}", *args],
                          capture_output=True, text=True, timeout=timeout)


def test_a_public_issuer_without_a_mail_provider_refuses_to_start(binary, tmp_path):
    refused = run_serve(binary, tmp_path, "--issuer", "https://login.example.com")
    assert refused.returncode != 0
    assert "LOGINTOO_MAIL_URL" in refused.stderr and "console" in refused.stderr, refused.stderr


def test_a_public_issuer_serves_metrics_only_on_the_admin_listener_and_console_mail_only_when_asked(binary, tmp_path):
    admin_port = free_port()
    server = Server(binary, tmp_path, "", issuer="https://login.example.com",
                    extra=["--mail-url", "console", "--admin-listen", f"127.0.0.1:{admin_port}"]).start()
    try:
        assert requests.get(server.url + "/metrics").status_code == 404
        assert requests.get(server.url + "/healthz").status_code == 200
        assert requests.get(server.url + "/readyz").status_code == 200
        metrics = requests.get(f"http://127.0.0.1:{admin_port}/metrics")
        assert metrics.status_code == 200 and "logintoo" in metrics.text
        assert requests.get(f"http://127.0.0.1:{admin_port}/readyz").status_code == 200
    finally:
        assert server.stop() == 0
    log = open(server.data_dir + "/server.log").read()
    assert "printed in this console" in log

    bare = Server(binary, tmp_path / "bare", "", issuer="https://login.example.com",
                  extra=["--mail-url", "console"]).start()
    try:
        assert requests.get(bare.url + "/metrics").status_code == 404, "no admin listener: no metrics at all"
    finally:
        assert bare.stop() == 0


@pytest.fixture
def strict(binary, smtp, tmp_path):
    server = Server(binary, tmp_path, f"smtp://127.0.0.1:{smtp.port}",
                    extra=["--request-timeout", "2", "--idle-timeout", "4", "--max-connections", "4",
                           "--max-connections-per-client", "3"]).start()
    yield server
    assert server.stop() == 0


def read_until_closed(connection, limit):
    """Everything the server sends until it closes the connection, and how long that took; fails after `limit` s."""
    started, received = time.monotonic(), b""
    connection.settimeout(limit)
    while True:
        chunk = connection.recv(4096)
        if not chunk:
            return received, time.monotonic() - started
        received += chunk


def test_a_request_that_arrives_too_slowly_is_cut_off(strict):
    head = socket.create_connection(("127.0.0.1", strict.port))
    head.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    answer, waited = read_until_closed(head, 8)
    assert answer.startswith(b"HTTP/1.1 408") and 1.5 < waited < 5, (answer, waited)

    body = socket.create_connection(("127.0.0.1", strict.port))
    body.sendall(b"POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                 b"Content-Length: 100\r\n\r\ngrant_type")
    started = time.monotonic()
    answer = b""
    body.settimeout(0.4)
    while time.monotonic() - started < 6:  # trickling a byte every 0.4 s, longer than the timeout, buys no time
        try:
            body.sendall(b"&")
            chunk = body.recv(4096)
        except socket.timeout:
            continue
        except OSError:
            break
        if not chunk:
            break
        answer += chunk
    waited = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408") and 1.5 < waited < 3.5, (answer, waited)


def test_each_request_on_a_connection_gets_the_whole_request_timeout(strict):
    """The connection's one request timer, set for the first request, gives a later request its own deadline."""
    connection = socket.create_connection(("127.0.0.1", strict.port))
    connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    assert connection.recv(4096).startswith(b"HTTP/1.1 200")
    time.sleep(1.5)
    connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    answer, waited = read_until_closed(connection, 8)
    assert answer.startswith(b"HTTP/1.1 408") and 1.5 < waited < 3.5, (answer, waited)


def test_a_request_answered_before_its_body_arrived_is_closed_at_the_deadline_without_a_second_answer(strict):
    early = socket.create_connection(("127.0.0.1", strict.port))
    early.sendall(b"POST /no-such-page HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\nabc")
    answer, waited = read_until_closed(early, 8)
    assert answer.startswith(b"HTTP/1.1 404") and answer.count(b"HTTP/1.1") == 1, answer
    assert 1.5 < waited < 3.5, f"closed by the request deadline (2 s), not the idle timeout (4 s): {waited:.1f} s"


def test_an_idle_keep_alive_connection_is_closed_and_connections_are_capped(strict):
    idle = socket.create_connection(("127.0.0.1", strict.port))
    idle.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    answer, waited = read_until_closed(idle, 10)
    assert answer.startswith(b"HTTP/1.1 200") and 3.5 < waited < 7, (answer, waited)

    # Three clients (loopback addresses) hold the instance's four connections between them.
    held = [socket.create_connection(("127.0.0.1", strict.port), source_address=(f"127.0.0.{3 + n % 3}", 0))
            for n in range(4)]
    time.sleep(0.3)
    waiting = socket.create_connection(("127.0.0.1", strict.port), source_address=("127.0.0.6", 0))
    started = time.monotonic()
    waiting.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    answer, _ = read_until_closed(waiting, 10)
    waited = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 200"), answer
    assert waited > 2.5, f"the fifth connection waits until an idle one is closed ({waited:.1f} s)"
    for connection in held:
        connection.close()


def read_one_answer(connection):
    """One whole answer with a Content-Length, read off a connection that stays open."""
    def more():
        chunk = connection.recv(4096)
        assert chunk, "the server closed the connection"
        return chunk

    received = b""
    while b"\r\n\r\n" not in received:
        received += more()
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
    while len(body) < length:
        body += more()
    return head


def test_a_connection_busy_with_the_answers_it_gives_itself_is_not_idle(strict):
    """Discovery and the JWKS are answered by the connection, before the router: the idle timeout (4 s) still sees
    them, and closes the connection only once they stop."""
    connection = socket.create_connection(("127.0.0.1", strict.port))
    connection.settimeout(3)
    for n in range(7):  # one a second, past the idle timeout
        path = b"/.well-known/jwks.json" if n % 2 else b"/.well-known/openid-configuration"
        connection.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert read_one_answer(connection).startswith(b"HTTP/1.1 200"), f"answer {n} on the open connection"
        time.sleep(1)
    answer, waited = read_until_closed(connection, 10)
    assert answer == b"" and 2.5 < waited < 6, f"closed {waited:.1f} s after the last answer (4 s timeout, 1 s slept)"


def test_a_client_that_keeps_its_side_open_after_connection_close_loses_the_socket(strict):
    """The server answers `Connection: close` and closes its side; a client that keeps its own side open loses the
    connection after the idle timeout (4 s)."""
    connection = socket.create_connection(("127.0.0.1", strict.port))
    connection.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    answer, _ = read_until_closed(connection, 10)  # to the server's half-closure
    assert answer.startswith(b"HTTP/1.1 200") and answer.count(b"HTTP/1.1") == 1, answer
    time.sleep(6)
    try:  # a socket the server has closed whole answers the first write with a reset, and the second fails
        connection.sendall(b"x")
        time.sleep(0.3)
        connection.sendall(b"x")
        still_open = True
    except OSError:
        still_open = False
    assert not still_open, "half-closed by the server 6 s ago, past the idle timeout, but still held"


def test_one_client_cannot_hold_more_than_its_share_of_connections(strict):
    mine = [socket.create_connection(("127.0.0.1", strict.port), source_address=("127.0.0.7", 0)) for _ in range(3)]
    time.sleep(0.3)
    extra = socket.create_connection(("127.0.0.1", strict.port), source_address=("127.0.0.7", 0))
    answer, waited = read_until_closed(extra, 3)
    assert answer == b"" and waited < 1, "the client's fourth connection is closed at once"
    other = socket.create_connection(("127.0.0.1", strict.port), source_address=("127.0.0.8", 0))
    other.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    answer, _ = read_until_closed(other, 3)
    assert answer.startswith(b"HTTP/1.1 200"), "another client is served"
    for connection in mine:
        connection.close()
    time.sleep(0.3)
    again = socket.create_connection(("127.0.0.1", strict.port), source_address=("127.0.0.7", 0))
    again.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    answer, _ = read_until_closed(again, 3)
    assert answer.startswith(b"HTTP/1.1 200"), "a closed connection gives its place back"


def test_a_client_that_pipelines_requests_and_never_reads_the_answers_is_cut_off(strict):
    greedy = socket.socket()
    greedy.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    greedy.connect(("127.0.0.1", strict.port))
    greedy.sendall(b"GET /.well-known/openid-configuration HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" * 3000)
    # Unread, the answers fill every buffer and the server can write no more; it cuts the client off once it has not
    # read for the idle timeout (4 s). Read only afterwards: had the server waited, the answers would flow again now
    # and the connection would still be open when they end.
    time.sleep(7)
    greedy.settimeout(1)
    received, closed = 0, False
    try:
        while chunk := greedy.recv(1 << 20):
            received += len(chunk)
        closed = True
    except ConnectionResetError:
        closed = True
    except socket.timeout:
        pass
    assert closed, f"still open after 7 s of unread answers ({received} bytes read afterwards)"
    assert received < 3000 * 1000, "cut off, not answered in full"
