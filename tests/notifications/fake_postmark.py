"""A stand-in for Postmark's email API on a loopback port, answering with Postmark's documented payloads."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORTS = range(8200, 8300)
SERVER_TOKEN = "test-postmark-server-token"

ACCEPTED = {"ErrorCode": 0, "Message": "OK", "SubmittedAt": "2027-03-01T10:00:00.0000000-05:00"}
# https://postmarkapp.com/developer/api/overview#error-codes
INACTIVE_RECIPIENT = (
    422,
    {
        "ErrorCode": 406,
        "Message": "You tried to send to a recipient that has been marked as inactive.\n"
        "Found inactive addresses: {to}.\n"
        "Inactive recipients are ones that have generated a hard bounce or a spam complaint. ",
    },
)
INVALID_TO = (422, {"ErrorCode": 300, "Message": "Invalid 'To' address: '{to}'."})
SERVER_ERROR = (500, {"ErrorCode": 500, "Message": "Internal server error."})
UNAVAILABLE = (503, {"ErrorCode": 503, "Message": "Service unavailable."})
RATE_LIMITED = (429, {"ErrorCode": 429, "Message": "Rate limit exceeded."})


class FakePostmark:
    """Answers each POST /email with the next scripted (status, body), then accepts everything."""

    def __init__(self):
        self.script: list[tuple[int, dict]] = []
        self.requests: list[dict] = []
        self.server = _bind(self)
        self.url = f"http://127.0.0.1:{self.server.server_port}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def delivered(self) -> list[dict]:
        return [request for request in self.requests if request["status"] == 200]


def _bind(fake: FakePostmark) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if self.headers.get("X-Postmark-Server-Token") != SERVER_TOKEN:
                status, body = 401, {"ErrorCode": 10, "Message": "Bad or missing Server API token."}
            elif fake.script:
                status, body = fake.script.pop(0)
                body = {
                    key: value.format(to=payload["To"]) if isinstance(value, str) else value
                    for key, value in body.items()
                }
            else:
                status = 200
                body = {**ACCEPTED, "To": payload["To"], "MessageID": f"msg-{len(fake.requests) + 1}"}
            fake.requests.append({"path": self.path, "payload": payload, "status": status})
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    for port in PORTS:
        try:
            return ThreadingHTTPServer(("127.0.0.1", port), Handler)
        except OSError:
            continue
    raise RuntimeError("no free port in 8200-8299 for the fake Postmark API")
