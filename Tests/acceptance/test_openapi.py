"""The OpenAPI document: it describes every endpoint the server registers, and schemathesis, generating requests from
it against a live server, finds no 5xx and no answer that breaks the document."""
import os
import re
import shutil
import subprocess
import sys

import pytest
import requests

from attack import exchange, sign_in
from conftest import ROOT, Server

ROUTE = re.compile(r'(?:router|api)\.(get|post|patch|delete|put)\("([^"]*)"|RouterPath\("([^"]*)"\), method: \.options')
GROUP = re.compile(r'router\.group\("([^"]*)"\)')


def registered_routes():
    """(method, path) for every route in the HTTP module's sources, with the API versions spelled out."""
    routes = set()
    for source in (ROOT / "Sources" / "LogintooHTTP").rglob("*.swift"):
        text = source.read_text()
        group = GROUP.search(text)
        for method, path, options_path in ROUTE.findall(text):
            path = (group.group(1) if group else "") + (path or options_path)
            method = method or "options"
            for version in ("2020-11", "2026-06"):
                expanded = path.replace("\\(base)", "/" + version).replace("\\(LogintooAPI.Version.v2026_06.rawValue)", "2026-06")
                routes.add((method, expanded))
    return routes


@pytest.fixture(scope="module")
def live(binary, smtp, tmp_path_factory):
    server = Server(binary, tmp_path_factory.mktemp("openapi"), f"smtp://127.0.0.1:{smtp.port}", extra=["--demo", "true"]).start()
    yield server
    assert server.stop() == 0


def test_every_registered_endpoint_is_documented(live):
    document = requests.get(live.issuer + "/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    resolve = lambda item: document["components"]["pathItems"][item["$ref"].rsplit("/", 1)[1]] if "$ref" in item else item
    documented = {(method, path) for path, item in document["paths"].items() for method in resolve(item)}
    missing = set()
    for method, path in registered_routes():
        if "\\(" not in path and (method, path) not in documented:
            missing.add((method, path))
    assert not missing, f"undocumented: {sorted(missing)}"
    assert ("options", "/2026-06/otp") in documented and ("delete", "/demo/api/notes/{id}") in documented


SCHEMATHESIS = shutil.which("schemathesis") or shutil.which("st")


@pytest.mark.skipif(SCHEMATHESIS is None and not os.environ.get("CI"), reason="schemathesis is not installed")
def test_schemathesis_finds_no_server_error_and_no_undocumented_answer(live, smtp, tmp_path):
    demo_api = live.issuer + "/demo/api"
    code, verifier, _ = sign_in(live, smtp, "logintoo-demo", redirect_uri=live.issuer + "/demo", resource=demo_api)
    token = exchange(live, "logintoo-demo", code, verifier, redirect_uri=live.issuer + "/demo", resource=demo_api).json()
    seed = os.environ.get("LOGINTOO_SCHEMATHESIS_SEED", "1")
    result = subprocess.run(
        [SCHEMATHESIS, "run", live.issuer + "/openapi.json", "--checks",
         "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,"
         "response_headers_conformance", "--max-examples", os.environ.get("LOGINTOO_SCHEMATHESIS_EXAMPLES", "25"),
         "--seed", seed, "--continue-on-failure", "--request-timeout", "10",
         "--header", "Authorization: Bearer " + token["access_token"]],
        capture_output=True, text=True, timeout=900, cwd=tmp_path)
    print(result.stdout[-6000:])
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]


def test_the_served_document_is_the_one_the_generator_writes(tmp_path):
    subprocess.run([sys.executable, str(ROOT / "scripts" / "openapi-document.py"), str(tmp_path / "generated.swift")], check=True)
    committed = ROOT / "Sources" / "LogintooHTTP" / "Endpoints" / "OpenAPIDocument.swift"
    assert (tmp_path / "generated.swift").read_text() == committed.read_text(), "run scripts/openapi-document.py"
