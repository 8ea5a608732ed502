#!/usr/bin/env python3
"""Plays Meta's side of a webhook on this machine: posts one signed delivery to a local Linegate's /webhooks/meta.

The body has the shape of Meta's documented samples (docs/meta-facts.md, "Webhook objects and events"), and the
X-Hub-Signature-256 header is what Meta sends: "sha256=" and the hex HMAC-SHA256 of the exact body bytes under the
app secret, so Linegate must be started with the same LINEGATE_APP_SECRET.

  message   a customer writes to the business (opens the 24-hour window; a message.received event)
  delivery  Meta delivered the business's message(s) --mid (Messenger sends these; the row becomes 'delivered')
  read      the customer read the business's message --mid (Instagram) or everything up to now (Messenger)

Usage:
  LINEGATE_APP_SECRET=... scripts/send-webhook.py message  --to ACCOUNT_OR_PAGE_ID --from CUSTOMER_ID [--text TEXT]
  LINEGATE_APP_SECRET=... scripts/send-webhook.py delivery --to ACCOUNT_OR_PAGE_ID --from CUSTOMER_ID --mid MID [--mid MID]
  LINEGATE_APP_SECRET=... scripts/send-webhook.py read     --to ACCOUNT_OR_PAGE_ID --from CUSTOMER_ID [--mid MID]
Options: --object instagram|page (default instagram: --to is the line's --ig-account-id; page: its --page-id),
         --url URL (default http://127.0.0.1:8080/webhooks/meta), --secret SECRET (instead of LINEGATE_APP_SECRET).
Prints Linegate's answer; exits 0 on 200, 1 otherwise.
"""
import argparse
import hashlib
import hmac
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid


def event(kind, args, now_ms):
    base = {"sender": {"id": args.sender}, "recipient": {"id": args.to}, "timestamp": now_ms}
    if kind == "message":
        base["message"] = {"mid": "m_webhook_" + uuid.uuid4().hex, "text": args.text}
    elif kind == "delivery":
        if not args.mid:
            sys.exit("send-webhook: delivery needs --mid (the messageId Linegate answered with)")
        base["delivery"] = {"mids": args.mid, "watermark": now_ms}
    elif kind == "read":
        # Instagram names the message read; Messenger gives a watermark: everything sent before it was read
        base["read"] = {"mid": args.mid[0]} if args.mid else {"watermark": now_ms}
    return base


def main():
    p = argparse.ArgumentParser(description="Post one signed Meta webhook delivery to a local Linegate.")
    p.add_argument("kind", choices=["message", "delivery", "read"])
    p.add_argument("--to", required=True, help="the line's Instagram account id (or Page id with --object page)")
    p.add_argument("--from", dest="sender", required=True, help="the customer's IGSID or PSID")
    p.add_argument("--text", default="Hello, is anyone there?")
    p.add_argument("--mid", action="append", default=[], help="a messageId of the business's message")
    p.add_argument("--object", default="instagram", choices=["instagram", "page"])
    p.add_argument("--url", default="http://127.0.0.1:8080/webhooks/meta")
    p.add_argument("--secret", default=os.environ.get("LINEGATE_APP_SECRET", ""))
    args = p.parse_args()
    if not args.secret:
        sys.exit("send-webhook: set LINEGATE_APP_SECRET (the same as the server's) or give --secret")
    now_ms = int(time.time() * 1000)
    delivery = {"object": args.object,
                "entry": [{"id": args.to, "time": now_ms, "messaging": [event(args.kind, args, now_ms)]}]}
    body = json.dumps(delivery, separators=(",", ":")).encode()
    signature = "sha256=" + hmac.new(args.secret.encode(), body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(args.url, data=body, method="POST", headers={
        "Content-Type": "application/json", "X-Hub-Signature-256": signature, "User-Agent": "facebookexternalua"})
    print(f"send-webhook: POST {args.url} {body.decode()}", flush=True)
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            print(f"send-webhook: {answer.status} {answer.read().decode('utf-8', 'replace')}")
            return 0
    except urllib.error.HTTPError as e:
        print(f"send-webhook: {e.code} {e.read().decode('utf-8', 'replace')}", file=sys.stderr)
    except OSError as e:
        print(f"send-webhook: could not reach {args.url}: {e}; is ./linegate serve running?", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
