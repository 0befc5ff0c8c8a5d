"""The command line, configuration errors, restarts and SMTP transport security, against the real binary."""
import json
import os
import socket
import subprocess
import time

import pytest
import requests

from browser import Person
from conftest import Server, free_port


def test_client_commands(server):
    created = server.add_client(name="Shop", redirect_uris=["https://shop.example.com/cb"], confidential=True)
    assert created["client_secret"]
    listed = json.loads(server.cli("client", "list", "--json").stdout)
    assert {c["client_id"] for c in listed} == {created["client_id"], "logintoo-admin"}, "and the built-in console's client"
    shown = json.loads(server.cli("client", "show", created["client_id"]).stdout)
    assert shown["type"] == "confidential" and shown["redirect_uris"] == ["https://shop.example.com/cb"]
    assert "client_secret" not in shown or shown["client_secret"] is None
    for bad in ("http://shop.example.com/cb", "javascript:alert(1)", "https://shop.example.com/cb#x"):
        refused = server.cli("client", "add", "--name", "Bad", "--redirect-uri", bad, check=False)
        assert refused.returncode != 0 and "redirect URI" in refused.stderr
    assert server.cli("client", "remove", created["client_id"]).returncode == 0
    assert [c["client_id"] for c in json.loads(server.cli("client", "list", "--json").stdout)] == ["logintoo-admin"]


@pytest.mark.parametrize("flag, value, named", [
    ("--listen", "nonsense", "LOGINTOO_LISTEN"),
    ("--issuer", "http://login.example.com", "LOGINTOO_ISSUER"),
    ("--smtp-url", "ftp://x", "LOGINTOO_SMTP_URL"),
    ("--signing-alg", "HS256", "LOGINTOO_SIGNING_ALG"),
    ("--sends-per-address-per-hour", "0", "LOGINTOO_SENDS_PER_ADDRESS_PER_HOUR"),
])
def test_a_wrong_setting_stops_the_start_and_is_named(binary, tmp_path, flag, value, named):
    result = subprocess.run([binary, "serve", "--data-dir", str(tmp_path), flag, value], capture_output=True, text=True, timeout=30)
    assert result.returncode != 0 and named in result.stderr


def test_settings_from_environment_and_config_file(binary, tmp_path):
    config = tmp_path / "logintoo.conf"
    config.write_text("# comment\nLOGINTOO_LISTEN=nonsense-from-file\n")
    result = subprocess.run([binary, "serve", "--data-dir", str(tmp_path), "--config", str(config)], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode != 0 and "LOGINTOO_LISTEN" in result.stderr
    env = dict(os.environ, LOGINTOO_SIGNING_ALG="none")
    result = subprocess.run([binary, "serve", "--data-dir", str(tmp_path)], capture_output=True, text=True, timeout=30, env=env)
    assert result.returncode != 0 and "LOGINTOO_SIGNING_ALG" in result.stderr


def test_restart_keeps_keys_accounts_and_tokens(binary, smtp, tmp_path):
    server = Server(binary, tmp_path, f"smtp://127.0.0.1:{smtp.port}").start()
    try:
        client_id = server.add_client()["client_id"]
        jwks_before = requests.get(server.issuer + "/.well-known/jwks.json").json()
        from test_sign_in import signed_in_code, exchange
        code, verifier = signed_in_code(server, smtp, client_id, "grace@example.com")
        tokens = exchange(server, client_id, code, verifier).json()
        sub = requests.get(server.issuer + "/userinfo", headers={"Authorization": "Bearer " + tokens["access_token"]}).json()["sub"]
    finally:
        assert server.stop() == 0
    server.start()
    try:
        assert requests.get(server.issuer + "/.well-known/jwks.json").json() == jwks_before
        refreshed = requests.post(server.issuer + "/token", data={"grant_type": "refresh_token", "client_id": client_id,
                                                                  "refresh_token": tokens["refresh_token"]})
        assert refreshed.status_code == 200
        info = requests.get(server.issuer + "/userinfo", headers={"Authorization": "Bearer " + refreshed.json()["access_token"]})
        assert info.json()["sub"] == sub
    finally:
        assert server.stop() == 0


def test_zero_configuration_start_serves_the_demo(binary, tmp_path):
    port = free_port()
    process = subprocess.Popen([binary, "serve", "--listen", f"127.0.0.1:{port}"], cwd=tmp_path, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True)
    try:
        banner = ""
        deadline = time.time() + 30
        while "console" not in banner and time.time() < deadline:
            banner += process.stdout.readline()
        assert f"http://127.0.0.1:{port}/demo" in banner and "console" in banner
        demo = requests.get(f"http://127.0.0.1:{port}/demo")
        assert demo.status_code == 200 and "/demo/app.js" in demo.text
        assert "script-src 'self'" in demo.headers["Content-Security-Policy"]
        assert requests.get(f"http://127.0.0.1:{port}/demo/app.js").status_code == 200
        assert (tmp_path / "logintoo-data" / "logintoo.sqlite").exists()
        assert oct((tmp_path / "logintoo-data" / "server.secret").stat().st_mode & 0o777) == "0o600"

        person = Person(type("S", (), {"issuer": f"http://127.0.0.1:{port}"})(), None)
        page = person.open(f"http://127.0.0.1:{port}/authorize?response_type=code&client_id=logintoo-demo"
                           f"&redirect_uri=http%3A%2F%2F127.0.0.1%3A{port}%2Fdemo&scope=openid"
                           "&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256")
        assert page.status_code == 200
        person.submit_email(page)
        printed = ""
        while "ignore this email" not in printed and time.time() < deadline + 15:
            printed += process.stdout.readline()
        assert "To: alice@example.com" in printed and "Subject: Your sign-in code for Logintoo demo" in printed
    finally:
        process.terminate()
        assert process.wait(timeout=30) == 0


def test_key_rotation_from_the_command_line(server):
    before = requests.get(server.issuer + "/.well-known/jwks.json").json()["keys"]
    assert len(before) == 1
    scheduled = server.cli("key", "rotate").stdout
    assert "published" in scheduled and "signs from" in scheduled
    keys = {k["kid"]: k for k in json.loads(server.cli("key", "list", "--json").stdout)}
    assert sorted(k["state"] for k in keys.values()) == ["active", "next"]
    immediate = server.cli("key", "rotate", "--activate-in", "0").stdout.split()[1]
    keys = {k["kid"]: k for k in json.loads(server.cli("key", "list", "--json").stdout)}
    assert keys[immediate]["state"] == "active" and keys[before[0]["kid"]]["state"] == "retiring"
    assert server.cli("key", "rotate", "--activate-in", "-5", check=False).returncode != 0

    server.stop()
    server.start()
    published = {k["kid"] for k in requests.get(server.issuer + "/.well-known/jwks.json").json()["keys"]}
    assert published == set(keys), "the next key and the retiring one are published beside the signing key"


def test_metrics_on_a_separate_admin_listener(binary, smtp, tmp_path):
    admin = free_port()
    server = Server(binary, tmp_path, f"smtp://127.0.0.1:{smtp.port}", extra=["--admin-listen", f"127.0.0.1:{admin}"]).start()
    try:
        requests.get(server.issuer + "/.well-known/openid-configuration").raise_for_status()
        metrics = requests.get(f"http://127.0.0.1:{admin}/metrics")
        assert metrics.status_code == 200
        assert 'logintoo_http_requests_total{route="/.well-known/openid-configuration",method="GET",status="200"} 1' in metrics.text
        assert requests.get(f"http://127.0.0.1:{admin}/readyz").status_code == 200
        assert requests.get(server.issuer + "/metrics").status_code == 404, "not on the public listener"
    finally:
        assert server.stop() == 0


def test_json_logs_carry_the_request_id(binary, smtp, tmp_path):
    server = Server(binary, tmp_path, f"smtp://127.0.0.1:{smtp.port}", extra=["--log-format", "json"]).start()
    try:
        refused = requests.post(server.issuer + "/token", headers={"X-Request-Id": "req-from-proxy-42"},
                                data={"grant_type": "authorization_code", "code": "x" * 43, "client_id": "nobody"})
        assert refused.status_code == 401 and refused.headers["X-Request-Id"] == "req-from-proxy-42"
        generated = requests.get(server.issuer + "/healthz", headers={"X-Request-Id": "bad id with spaces"})
        assert generated.headers["X-Request-Id"] != "bad id with spaces" and len(generated.headers["X-Request-Id"]) == 16
    finally:
        assert server.stop() == 0
    lines = [json.loads(line) for line in open(tmp_path / "server.log") if line.startswith("{")]
    assert lines and all({"time", "level", "message"} <= set(line) for line in lines)
    assert any(line.get("request_id") == "req-from-proxy-42" and "token endpoint refused" in line["message"] for line in lines)


def _start_request(server, body):
    """Opens a connection and sends a token request's head and the first bytes of its body: a request in flight."""
    connection = socket.create_connection(("127.0.0.1", server.port), timeout=30)
    connection.sendall(b"POST /token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                       b"Content-Length: %d\r\n\r\n" % len(body) + body[:10])
    return connection


def test_the_main_thread_waits_for_the_command_instead_of_ending(server):
    """The command runs off the main thread, which waits for it on a semaphore (futex). Dispatch's main queue would
    call pthread_exit on the main thread, which unwinds its stack through the binary's unwind tables at every start
    (docs/performance.md) before a thread-local destructor parks it in rt_sigsuspend."""
    numbers = {"x86_64": (202, 130), "aarch64": (98, 133)}.get(os.uname().machine)
    if numbers is None:
        pytest.skip(f"system call numbers not known for {os.uname().machine}")
    futex, rt_sigsuspend = numbers
    pid = server.process.pid
    try:
        with open(f"/proc/{pid}/task/{pid}/syscall") as syscall:
            waiting_in = int(syscall.read().split()[0])
    except (OSError, ValueError):
        pytest.skip("this system does not show a thread's system call")
    assert waiting_in != rt_sigsuspend, "the main thread was handed to dispatch's main queue"
    assert waiting_in == futex, "the main thread waits on the command's semaphore"


def test_sigterm_reports_not_ready_then_finishes_requests_in_flight_and_exits_0(binary, smtp, tmp_path):
    server = Server(binary, tmp_path, f"smtp://127.0.0.1:{smtp.port}", extra=["--shutdown-delay", "2"]).start()
    body = b"grant_type=refresh_token&client_id=nobody&refresh_token=unknown"
    in_flight = _start_request(server, body)
    time.sleep(0.3)
    server.process.terminate()
    time.sleep(0.5)
    assert requests.get(server.url + "/readyz", timeout=5).status_code == 503, "not ready while draining"
    assert requests.get(server.url + "/healthz", timeout=5).status_code == 200, "still alive while draining"
    time.sleep(2)
    with pytest.raises(requests.ConnectionError):
        requests.get(server.url + "/healthz", timeout=5)
    in_flight.sendall(body[10:])
    answer = in_flight.recv(65536)
    assert answer.startswith(b"HTTP/1.1 401") and b"invalid_client" in answer, "the request in flight got its answer"
    assert server.process.wait(timeout=30) == 0


def test_sigterm_cuts_off_a_stalled_request_after_the_shutdown_timeout(binary, smtp, tmp_path):
    server = Server(binary, tmp_path, f"smtp://127.0.0.1:{smtp.port}", extra=["--shutdown-timeout", "3"]).start()
    stalled = _start_request(server, b"grant_type=refresh_token&client_id=nobody&refresh_token=unknown")
    time.sleep(0.3)
    began = time.monotonic()
    server.process.terminate()
    assert server.process.wait(timeout=30) == 0
    assert 2.5 < time.monotonic() - began < 10, "the stalled request held the shutdown for the timeout, no longer"
    assert stalled.recv(65536) == b"", "its connection was closed"
