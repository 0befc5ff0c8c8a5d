"""Signs in N times through the hosted pages (codes read from the console logs, comma-separated: with several
instances any of them may deliver) and prints one `client_id refresh_token access_token` line per sign-in, for the
refresh and userinfo benchmarks."""
import re
import sys
import time
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import requests

issuer, client_id, log_path, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
REDIRECT = "http://127.0.0.1:9/callback"
VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"


def code_for(email, deadline):
    while time.time() < deadline:
        text = "".join(open(path).read() for path in log_path.split(","))
        match = re.findall(r"To: %s\n.*?^ *(\d{4}) ?(\d{4}) *$" % re.escape(email), text, re.S | re.M)
        if match:
            return "".join(match[-1])
        time.sleep(0.05)
    raise SystemExit(f"no code for {email}")


for n in range(count):
    email = f"bench{n}@example.com"
    http = requests.Session()
    url = issuer + "/authorize?" + urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT, "scope": "openid email offline_access",
        "code_challenge": CHALLENGE, "code_challenge_method": "S256"})
    login = http.get(url, allow_redirects=False).headers["Location"]
    page = http.get(urljoin(issuer, login)).text
    tx = re.search(r'name="tx" value="([^"]+)"', page).group(1)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    http.post(issuer + "/login/email", data={"tx": tx, "csrf": csrf, "email": email}, allow_redirects=False)
    code = code_for(email, time.time() + 10)
    back = http.post(issuer + "/login/code", data={"tx": tx, "csrf": csrf, "code": code}, allow_redirects=False)
    auth_code = parse_qs(urlsplit(back.headers["Location"]).query)["code"][0]
    tokens = requests.post(issuer + "/token", data={"grant_type": "authorization_code", "code": auth_code, "client_id": client_id,
                                                    "redirect_uri": REDIRECT, "code_verifier": VERIFIER}).json()
    print(client_id, tokens["refresh_token"], tokens["access_token"])
