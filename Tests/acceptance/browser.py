"""A person at the hosted login pages, driven with plain HTTP (the pages work without JavaScript)."""
import re
from urllib.parse import urljoin

import requests


def hidden(html, name):
    match = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), html)
    assert match, f"no hidden {name} in page"
    return match.group(1)


class Person:
    def __init__(self, server, inbox, email="alice@example.com"):
        self.server = server
        self.inbox = inbox
        self.email = email
        self.http = requests.Session()

    def open(self, url):
        """Follows the authorization URL to the login page; returns the response that is not a redirect to our own pages."""
        response = self.http.get(url, allow_redirects=False)
        while response.status_code in (302, 303) and response.headers["Location"].startswith("/"):
            response = self.http.get(urljoin(self.server.issuer, response.headers["Location"]), allow_redirects=False)
        return response

    def submit_email(self, page):
        self.tx, self.csrf = hidden(page.text, "tx"), hidden(page.text, "csrf")
        sent = self.http.post(self.server.issuer + "/login/email",
                              data={"tx": self.tx, "csrf": self.csrf, "email": self.email}, allow_redirects=False)
        assert sent.status_code == 303, sent.text
        return self.http.get(urljoin(self.server.issuer, sent.headers["Location"]))

    def submit_code(self, code):
        return self.http.post(self.server.issuer + "/login/code",
                              data={"tx": self.tx, "csrf": self.csrf, "code": code}, allow_redirects=False)

    def sign_in(self, url, count=1):
        """Signs in from an authorization URL; returns the redirect back to the client."""
        page = self.open(url)
        assert page.status_code == 200, page.text
        self.submit_email(page)
        done = self.submit_code(self.inbox.code_for(self.email, count))
        assert done.status_code == 303, done.text
        return done.headers["Location"]
