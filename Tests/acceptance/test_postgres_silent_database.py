"""A PostgreSQL server that stops answering (frozen, or cut off by the network) while connections to it stay open: a
request ends at its deadline with 503, and SIGTERM still stops the server promptly. The database is reached through a
proxy that can freeze: it keeps every connection open and holds the bytes."""
import base64
import os
import secrets
import socket
import subprocess
import threading
import time
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
import requests

from conftest import Server

POSTGRES = os.environ.get("LOGINTOO_TEST_POSTGRES_URL")
pytestmark = [pytest.mark.skipif(not POSTGRES, reason="LOGINTOO_TEST_POSTGRES_URL is not set"),
              pytest.mark.xdist_group("postgres")]
# PostgresEngine.defaultDeadline, and time to spare on a loaded machine.
DEADLINE = 8
MARGIN = 7


class FreezingProxy:
    """Forwards TCP to the database until frozen; then holds whatever arrives, in both directions, on open connections."""

    def __init__(self, host, port):
        self.upstream = (host, port)
        self.frozen = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.sockets = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
                upstream = socket.create_connection(self.upstream, timeout=5)
            except OSError:
                return
            upstream.settimeout(None)
            self.sockets += [client, upstream]
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pipe, args=(source, target), daemon=True).start()

    def pipe(self, source, target):
        try:
            while data := source.recv(65536):
                while self.frozen.is_set():
                    time.sleep(0.05)
                target.sendall(data)
        except OSError:
            pass
        for end in (source, target):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def close(self):
        self.frozen.clear()
        self.listener.close()
        for end in self.sockets:
            try:
                end.close()
            except OSError:
                pass


def database_through(proxy):
    """A new database on the test server, reached through `proxy`; its URL."""
    name = "silent_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", POSTGRES.split("?")[0], "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    parts = urlsplit(POSTGRES)
    credentials = parts.netloc.rsplit("@", 1)[0]
    return urlunsplit((parts.scheme, f"{credentials}@127.0.0.1:{proxy.port}", "/" + name, parts.query, ""))


def test_a_database_that_stops_answering_gets_503_at_the_deadline_and_sigterm_still_stops_the_server(binary, smtp, tmp_path):
    parts = urlsplit(POSTGRES)
    proxy = FreezingProxy(parts.hostname, parts.port)
    server = Server(binary, tmp_path / "server", f"smtp://127.0.0.1:{smtp.port}",
                    shared=["--database-url", database_through(proxy),
                            "--key-encryption-key", base64.b64encode(secrets.token_bytes(32)).decode()])
    try:
        server.start()
        assert requests.get(server.url + "/readyz", timeout=10).status_code == 200

        proxy.frozen.set()
        began = time.time()
        answer = requests.get(server.url + "/readyz", timeout=DEADLINE + MARGIN)
        assert answer.status_code == 503, answer.text
        assert time.time() - began < DEADLINE + MARGIN, "the statement the database never answered ended at the deadline"

        began = time.time()
        server.process.terminate()
        assert server.process.wait(timeout=DEADLINE + MARGIN) == 0, "SIGTERM stops the server, the database silent"
        assert time.time() - began < DEADLINE + MARGIN
    finally:
        if server.process and server.process.poll() is None:
            server.process.kill()
            server.process.wait(timeout=10)
        proxy.close()
