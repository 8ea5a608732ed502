#!/usr/bin/env python3
"""A callback receiver for trying Linegate's events locally: answers every POST 200 and prints one line per event.

With LINEGATE_CALLBACK_SECRET set to the account's signing secret (whsec_..., printed by
`linegate account update ID --callback-url URL`), it also checks each request's Linegate-Signature as docs/callbacks.md
describes (HMAC-SHA256 of "<t>." + the raw body, keyed with the whole secret) and says whether it matched.
Usage: [LINEGATE_CALLBACK_SECRET=whsec_...] scripts/callback-receiver.py [port]   (default 9998)
Linegate must be allowed to post to loopback: LINEGATE_CALLBACK_ALLOW_PRIVATE=true.
"""
import hashlib
import hmac
import http.server
import json
import os
import sys


def signature_matches(secret, header, body):
    parts = [p.split("=", 1) for p in header.split(",") if "=" in p]
    t = next((v for k, v in parts if k == "t"), None)
    if t is None:
        return False
    expected = hmac.new(secret.encode(), t.encode() + b"." + body, hashlib.sha256).hexdigest()
    return any(k == "v1" and hmac.compare_digest(v, expected) for k, v in parts)


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        secret = os.environ.get("LINEGATE_CALLBACK_SECRET")
        check = ""
        if secret:
            ok = signature_matches(secret, self.headers.get("Linegate-Signature", ""), body)
            check = " signature ok" if ok else " SIGNATURE MISMATCH"
        try:
            event = json.loads(body)
            what = event.get("message") or event.get("line") or event.get("conversation") or {}
            summary = f'{event.get("type")} seq={event.get("seq")} state={what.get("state", what.get("health"))}'
        except ValueError:
            summary = "(not JSON)"
        print(f'callback: {self.headers.get("Linegate-Event-Id")} {summary}{check} body: {body.decode("utf-8", "replace")}',
              flush=True)
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9998
    print(f"callback-receiver: listening on http://127.0.0.1:{port}/", flush=True)
    http.server.ThreadingHTTPServer(("127.0.0.1", port), Receiver).serve_forever()
