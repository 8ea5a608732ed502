#!/usr/bin/env python3
"""A stand-in for graph.facebook.com's Send API, for trying Linegate on a machine without Meta credentials.

Answers POST /{version}/me/messages with Meta's documented success shape and prints each request it got (the
Authorization header is shown masked). Usage: scripts/fake-graph.py [port]   (default 9999)
Then run Linegate with LINEGATE_GRAPH_URL=http://127.0.0.1:9999.
"""
import http.server
import json
import sys
import uuid


class FakeGraph(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        auth = self.headers.get("Authorization", "")
        masked = auth[:11] + "…" + auth[-4:] if len(auth) > 15 else "(none)"
        print(f"fake-graph: POST {self.path} Authorization: {masked} body: {body.decode('utf-8', 'replace')}", flush=True)
        if not self.path.endswith("/me/messages"):
            return self.answer(400, {"error": {"message": "Unsupported post request.", "type": "GraphMethodException",
                                               "code": 100, "fbtrace_id": "FAKEtrace"}})
        request = json.loads(body or b"{}")
        self.answer(200, {"recipient_id": request.get("recipient", {}).get("id", ""),
                          "message_id": "m_fake_" + uuid.uuid4().hex})

    def answer(self, status, payload):
        out = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 9999
    print(f"fake-graph: listening on http://127.0.0.1:{port}", flush=True)
    http.server.ThreadingHTTPServer(("127.0.0.1", port), FakeGraph).serve_forever()
