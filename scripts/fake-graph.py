#!/usr/bin/env python3
"""A stand-in for graph.facebook.com's Send API, for trying Linegate on a machine without Meta credentials.

Answers POST /{version}/me/messages with Meta's documented success shape, or, for the recipient ids below, with the
error Meta documents for that case (docs/meta-facts.md: the envelope, the codes, the usage header), and prints each
request it got (the Authorization header masked). Any other recipient id is sent.

  recipient id   Meta answers                                                     Linegate answers
  190190190      400, code 190/463: the page access token expired                 250 Page access token rejected
  551551551      400, code 551/1545041: this person isn't available right now     241 Recipient unavailable
  2018001        400, code 100/2018001: no matching user found                    242 No matching user
  613613613      400, code 613/2534040 and X-Business-Use-Case-Usage at 100 %     260 Rate limited: the line pauses
  80001          400, code 80001 (Page calls) and X-Business-Use-Case-Usage        260 Rate limited: the line pauses
  280280280      nothing for --slow seconds (default 15), then success            280 Meta API unreachable (timeout)

The two rate limits pause the line for the minute the usage header says (at least 60 s: docs/api.md, "Pauses on
Meta's usage"); every send on it answers 260 meanwhile.

Usage: scripts/fake-graph.py [port] [--slow SECONDS]   (default port 9999)
Then run Linegate with LINEGATE_GRAPH_URL=http://127.0.0.1:9999.
"""
import http.server
import json
import sys
import time
import uuid


def error(code, subcode, message, error_type="OAuthException"):
    body = {"message": message, "type": error_type, "code": code, "fbtrace_id": "FAKE" + uuid.uuid4().hex[:12]}
    if subcode is not None:
        body["error_subcode"] = subcode
    return {"error": body}


def business_usage(object_id):
    """X-Business-Use-Case-Usage as Meta sends it on a throttled Page: keyed by the business object's id."""
    return json.dumps({object_id: [{"type": "messenger", "call_count": 100, "total_cputime": 12, "total_time": 14,
                                    "estimated_time_to_regain_access": 1}]})


# recipient id -> (HTTP status, body, extra headers)
ANSWERS = {
    "190190190": (400, error(190, 463, "Error validating access token: Session has expired on Tuesday, 01-Dec-26"
                                       " 10:00:00 PST. The current time is Tuesday, 01-Dec-26 11:00:00 PST."), {}),
    "551551551": (400, error(551, 1545041, "This person isn't available right now."), {}),
    "2018001": (400, error(100, 2018001, "(#100) No matching user found"), {}),
    "613613613": (400, error(613, 2534040, "(#613) Calls to this api have exceeded the rate limit."),
                  {"X-Business-Use-Case-Usage": business_usage("17841405793187218")}),
    "80001": (400, error(80001, None, "(#80001) There have been too many calls to this Page account. Wait a bit and"
                                      " try again. For more info, please refer to"
                                      " https://developers.facebook.com/docs/graph-api/overview/rate-limiting."),
              {"X-Business-Use-Case-Usage": business_usage("17841405793187218")}),
}
SLOW = "280280280"


class FakeGraph(http.server.BaseHTTPRequestHandler):
    slow_seconds = 15.0

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        auth = self.headers.get("Authorization", "")
        masked = auth[:11] + "…" + auth[-4:] if len(auth) > 15 else "(none)"
        print(f"fake-graph: POST {self.path} Authorization: {masked} body: {body.decode('utf-8', 'replace')}",
              flush=True)
        if not self.path.endswith("/me/messages"):
            return self.answer(400, error(100, None, "Unsupported post request.", "GraphMethodException"))
        try:
            request = json.loads(body or b"{}")
        except ValueError:
            return self.answer(400, error(100, None, "(#100) The parameter recipient is required"))
        recipient = str(request.get("recipient", {}).get("id", ""))
        if recipient in ANSWERS:
            status, payload, headers = ANSWERS[recipient]
            print(f"fake-graph: answering {status} code {payload['error']['code']} for recipient {recipient}",
                  flush=True)
            return self.answer(status, payload, headers)
        if recipient == SLOW:
            print(f"fake-graph: holding the answer for {self.slow_seconds:g} s (recipient {SLOW})", flush=True)
            time.sleep(self.slow_seconds)
        self.answer(200, {"recipient_id": recipient, "message_id": "m_fake_" + uuid.uuid4().hex})

    def answer(self, status, payload, headers=None):
        out = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(out)
        except (BrokenPipeError, ConnectionResetError):
            pass  # Linegate gave up waiting (the slow recipient): nothing to answer

    def log_message(self, *args):
        pass


def main(argv):
    port = 9999
    args = list(argv)
    while args:
        arg = args.pop(0)
        if arg == "--slow" and args:
            FakeGraph.slow_seconds = float(args.pop(0))
        elif arg.isdigit():
            port = int(arg)
        else:
            sys.exit("usage: scripts/fake-graph.py [port] [--slow SECONDS]")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), FakeGraph)
    server.daemon_threads = True
    print(f"fake-graph: listening on http://127.0.0.1:{server.server_port}; recipients with Meta's errors:"
          f" {', '.join(ANSWERS)}; {SLOW} answers after {FakeGraph.slow_seconds:g} s", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
