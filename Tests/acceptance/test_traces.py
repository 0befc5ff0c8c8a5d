"""Traces (docs/security.md K94): an OTLP/HTTP receiver collects the spans of one sign-in from a binary built with trace
export (`swift build --traits OTLP`, named by LOGINTOO_OTLP_BIN; skipped without it, since CI builds the default binary)
and checks the tree, the caller's trace continued through the outbox, and that no span carries the address, the code or
a token. The default binary refuses LOGINTOO_OTLP_ENDPOINT rather than silently export nothing."""
import http.server
import os
import secrets
import subprocess
import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session

from browser import Person
from conftest import Server, free_port

REDIRECT = "http://127.0.0.1:9/callback"
OTLP_BINARY = os.environ.get("LOGINTOO_OTLP_BIN")


def fields(message):
    """A protobuf message's fields in wire format: {number: [value, …]}, length-delimited values as bytes."""
    found, at = {}, 0
    while at < len(message):
        key, at = varint(message, at)
        number, kind = key >> 3, key & 7
        if kind == 0:
            value, at = varint(message, at)
        elif kind == 1:
            value, at = message[at:at + 8], at + 8
        elif kind == 2:
            length, at = varint(message, at)
            value, at = message[at:at + length], at + length
        elif kind == 5:
            value, at = message[at:at + 4], at + 4
        else:
            raise ValueError(f"wire type {kind}")
        found.setdefault(number, []).append(value)
    return found


def varint(data, at):
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def spans_in(export):
    """The spans of an ExportTraceServiceRequest (opentelemetry-proto trace/v1): resource_spans(1) → scope_spans(2) →
    spans(2), each as trace id, span id, parent span id (hex), name, kind and its attributes' key=value texts."""
    spans = []
    for resource in fields(export).get(1, []):
        for scope in fields(resource).get(2, []):
            for raw in fields(scope).get(2, []):
                span = fields(raw)
                attributes = []
                for pair in span.get(9, []):
                    pair = fields(pair)
                    value = fields(pair.get(2, [b""])[0])
                    text = value[1][0].decode() if 1 in value else str(next(iter(value.values()), [""])[0])
                    attributes.append(pair[1][0].decode() + "=" + text)
                spans.append({"trace": span[1][0].hex(), "id": span[2][0].hex(),
                              "parent": span.get(4, [b""])[0].hex(), "name": span[5][0].decode(),
                              "kind": span.get(6, [0])[0], "attributes": attributes})
    return spans


class Collector:
    """An OTLP/HTTP receiver: keeps every POST to /v1/traces."""

    def __init__(self):
        self.exports = []
        collector = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.path == "/v1/traces":
                    collector.exports.append(body)
                self.send_response(200)
                self.send_header("Content-Type", "application/x-protobuf")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.http = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_port}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def spans(self):
        return [span for export in list(self.exports) for span in spans_in(export)]

    def wait_for(self, names, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if names <= {span["name"] for span in self.spans()}:
                return self.spans()
            time.sleep(0.2)
        raise AssertionError(f"spans {sorted(names - {span['name'] for span in self.spans()})} never arrived")


def test_the_default_binary_refuses_an_otlp_endpoint_it_cannot_export_to(binary, tmp_path):
    if OTLP_BINARY and os.path.samefile(OTLP_BINARY, binary):
        pytest.skip("LOGINTOO_BIN is the trace-exporting build")
    refused = subprocess.run([binary, "serve", "--data-dir", str(tmp_path), "--otlp-endpoint", "http://127.0.0.1:4318"],
                             capture_output=True, text=True, timeout=60)
    assert refused.returncode != 0
    assert "LOGINTOO_OTLP_ENDPOINT" in refused.stderr + refused.stdout
    assert "--traits OTLP" in refused.stderr + refused.stdout


@pytest.mark.skipif(not OTLP_BINARY, reason="needs a binary built with swift build --traits OTLP (LOGINTOO_OTLP_BIN)")
def test_one_sign_in_is_one_trace_through_the_outbox_with_no_secret_in_it(smtp, tmp_path):
    collector = Collector()
    server = Server(OTLP_BINARY, tmp_path, f"smtp://127.0.0.1:{smtp.port}", extra=["--otlp-endpoint", collector.url])
    server.environment = {**os.environ, "OTEL_BSP_SCHEDULE_DELAY": "200", "OTEL_SERVICE_NAME": "logintoo-test"}
    server.start()
    try:
        client_id = server.add_client()["client_id"]
        oauth = OAuth2Session(client_id, redirect_uri=REDIRECT, scope="openid email offline_access",
                              code_challenge_method="S256", token_endpoint_auth_method="none")
        verifier = generate_token(48)
        person = Person(server, smtp, f"traced-{secrets.token_hex(4)}@example.com")
        url, _ = oauth.create_authorization_url(server.issuer + "/authorize", code_verifier=verifier,
                                                login_hint=person.email)
        caller_trace, caller_span = secrets.token_hex(16), secrets.token_hex(8)
        person.http.headers["traceparent"] = f"00-{caller_trace}-{caller_span}-01"
        back = person.sign_in(url)
        code = smtp.code_for(person.email)
        token = oauth.fetch_token(server.issuer + "/token", authorization_response=back, code_verifier=verifier)
        refreshed = oauth.refresh_token(server.issuer + "/token", refresh_token=token["refresh_token"])
        spans = collector.wait_for({"sign-in.send-code", "sign-in.verify-code", "outbox.deliver",
                                    "token.authorization_code", "token.refresh_token"})
    finally:
        assert server.stop() == 0

    by_id = {span["id"]: span for span in spans}
    send = next(span for span in spans if span["name"] == "sign-in.send-code")
    request = by_id[send["parent"]]
    assert request["name"] == "POST /login/email" and request["kind"] == 2  # SPAN_KIND_SERVER
    assert request["trace"] == caller_trace and request["parent"] == caller_span, "the caller's traceparent is continued"
    delivery = next(span for span in spans if span["name"] == "outbox.deliver")
    assert delivery["trace"] == caller_trace and delivery["parent"] == send["id"], "the email's delivery is in the same trace"
    assert any(span["name"].startswith("store.") and span["parent"] == send["id"] for span in spans)
    assert not any(span["name"].startswith("GET /.well-known") for span in spans), "the static answers make no span"

    authorization_code = parse_qs(urlsplit(back).query)["code"][0]
    secrets_sent = [person.email, person.email.replace("@", "%40"), code, authorization_code, token["access_token"],
                    token["refresh_token"], token["id_token"], refreshed["access_token"], refreshed["refresh_token"]]
    raw = b"".join(collector.exports)
    for secret in secrets_sent:
        assert secret.encode() not in raw, f"a span carries {secret[:12]}…"
