"""Receivers of the server's POSTs on 127.0.0.1 for the tests: `PostReceiver` records every POST and answers the
statuses it is given in turn (then 200); `WebhookReceiver` also verifies deliveries with the `standardwebhooks` package,
the reference library receivers use."""
import json
import queue
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks.webhooks import Webhook


class Delivery:
    def __init__(self, headers, body, at):
        self.headers, self.body, self.at = headers, body, at

    @property
    def payload(self):
        return json.loads(self.body)

    @property
    def id(self):
        return self.headers["webhook-id"]


class PostReceiver:
    def __init__(self, statuses=(), path="/hooks"):
        self.statuses = list(statuses)
        self.received = queue.Queue()
        self.all = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {name.lower(): value for name, value in self.headers.items()}
                delivery = Delivery(headers, body, time.monotonic())
                receiver.all.append(delivery)
                receiver.received.put(delivery)
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}{path}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def close(self):
        self.http.shutdown()


class WebhookReceiver(PostReceiver):
    def __init__(self, secret=None, statuses=()):
        super().__init__(statuses)
        self.secret = secret

    def verified(self, delivery):
        """The delivery's payload, once its signature and timestamp pass the reference library's check."""
        assert delivery.headers["content-type"] == "application/json"
        return Webhook(self.secret).verify(delivery.body, delivery.headers)

    def next(self, timeout=15):
        delivery = self.received.get(timeout=timeout)
        self.verified(delivery)
        return delivery

    def until(self, condition, timeout=15):
        """Deliveries as they come, until `condition(all so far)` holds."""
        deadline = time.monotonic() + timeout
        while not condition(self.all):
            assert time.monotonic() < deadline, f"only {[d.payload for d in self.all]} arrived"
            time.sleep(0.05)
        return list(self.all)
