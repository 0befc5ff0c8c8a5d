"""Discovery and the JWKS against the real binary: strong ETags, 304 on If-None-Match, a new tag after a key rotation;
answered by the connection itself, in order with the other answers on it."""
import email.utils
import json
import socket
import time

import requests

PATHS = ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server", "/.well-known/jwks.json",
         "/2026-06/jwks"]


def test_revalidation_with_if_none_match(server):
    for path in PATHS:
        full = requests.get(server.issuer + path)
        tag = full.headers["ETag"]
        assert full.status_code == 200 and tag.startswith('"') and tag.endswith('"')
        assert requests.get(server.issuer + path).headers["ETag"] == tag, "stable between requests"
        cached = requests.get(server.issuer + path, headers={"If-None-Match": tag})
        assert cached.status_code == 304 and cached.content == b""
        assert cached.headers["ETag"] == tag and cached.headers["Cache-Control"] == "public, max-age=300"
        assert cached.headers["Access-Control-Allow-Origin"] == "*"
        assert requests.get(server.issuer + path, headers={"If-None-Match": '"other"'}).content == full.content


def test_a_key_rotation_changes_the_jwks_tag(server):
    tags = {path: requests.get(server.issuer + path).headers["ETag"] for path in PATHS}
    assert tags["/.well-known/jwks.json"] == tags["/2026-06/jwks"]
    server.cli("key", "rotate")
    server.stop()
    server.start()
    for path in PATHS:
        revalidated = requests.get(server.issuer + path, headers={"If-None-Match": tags[path]})
        if "jwks" in path:
            assert revalidated.status_code == 200 and len(revalidated.json()["keys"]) == 2
            assert revalidated.headers["ETag"] != tags[path]
        else:
            assert revalidated.status_code == 304, "the metadata names no key: the same bytes, the same tag after a restart"


def exchange_raw(server, requests_bytes):
    """Sends `requests_bytes` at once on one connection and reads until the server closes it."""
    port = int(server.issuer.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(requests_bytes)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    answers = []
    while received:
        head, _, rest = received.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        fields = {k.strip().lower(): v.strip() for k, v in (line.split(b":", 1) for line in lines[1:])}
        length = int(fields.get(b"content-length", b"0"))
        answers.append((int(lines[0].split()[1]), fields, rest[:length]))
        received = rest[length:]
    return answers


def test_pipelined_requests_are_answered_in_order(server):
    """A static answer never overtakes the answer to a request before it on the same connection."""
    pipelined = (b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"
                 b"GET /.well-known/jwks.json HTTP/1.1\r\nHost: x\r\n\r\n"
                 b"GET /.well-known/openid-configuration?q=1 HTTP/1.1\r\nHost: x\r\n\r\n"
                 b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    answers = exchange_raw(server, pipelined)
    assert [status for status, _, _ in answers] == [200, 200, 200, 200]
    assert answers[0][2].strip() == answers[3][2].strip() == b"ok"
    assert "keys" in json.loads(answers[1][2]) and json.loads(answers[2][2])["issuer"] == server.issuer


def test_a_static_answer_on_a_closing_connection_closes_it(server):
    answers = exchange_raw(server, b"GET /.well-known/jwks.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    assert len(answers) == 1 and answers[0][0] == 200 and "keys" in json.loads(answers[0][2])


def test_one_connection_takes_many_static_answers_with_a_date(server):
    with requests.Session() as session:
        for n in range(40):
            path = PATHS[n % len(PATHS)]
            answer = session.get(server.issuer + path)
            assert answer.status_code == 200, path
            sent = email.utils.parsedate_to_datetime(answer.headers["Date"])
            assert abs(sent.timestamp() - time.time()) < 5 and answer.headers["Date"].endswith(" GMT")


def test_the_date_moves_with_the_clock_on_one_connection(server):
    """The connection dates its heads once a second per answer: a 304 in the same second keeps its own head, and an
    answer a second later carries the later date."""
    with requests.Session() as session:
        first = session.get(server.issuer + "/.well-known/jwks.json")
        cached = session.get(server.issuer + "/.well-known/jwks.json", headers={"If-None-Match": first.headers["ETag"]})
        assert first.status_code == 200 and cached.status_code == 304 and cached.content == b""
        assert "Content-Type" not in cached.headers and cached.headers["ETag"] == first.headers["ETag"]
        time.sleep(1.1)
        later = session.get(server.issuer + "/.well-known/jwks.json")
        assert later.status_code == 200 and later.content == first.content
        sent = [email.utils.parsedate_to_datetime(answer.headers["Date"]) for answer in (first, later)]
        assert sent[1] > sent[0], [answer.headers["Date"] for answer in (first, later)]
