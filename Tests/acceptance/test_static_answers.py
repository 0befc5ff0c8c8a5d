"""Discovery and the JWKS against the real binary: strong ETags, 304 on If-None-Match, a new tag after a key rotation."""
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
