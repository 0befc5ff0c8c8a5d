"""An SMTP server for benchmarks: each message becomes one JSON line, {"to": [...], "text": "..."}, appended to a
file the sign-in driver follows. Usage: mail_sink.py PORT FILE"""
import asyncio
import email
import email.policy
import json
import signal
import sys

from aiosmtpd.controller import Controller


class JSONLines:
    def __init__(self, out):
        self.out = out

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        part = message.get_body(preferencelist=("plain", "html"))
        text = part.get_content() if part is not None else ""
        self.out.write(json.dumps({"to": envelope.rcpt_tos, "text": text}) + "\n")
        self.out.flush()
        return "250 OK"


def main():
    port, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "a") as out:
        controller = Controller(JSONLines(out), hostname="127.0.0.1", port=port)
        controller.start()
        loop = asyncio.new_event_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        loop.run_until_complete(stop.wait())
        controller.stop()


if __name__ == "__main__":
    main()
