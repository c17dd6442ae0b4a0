"""A stand-in for Mixpanel's /import on a loopback port, answering with Mixpanel's documented payloads
(https://developer.mixpanel.com/reference/import-events)."""

import base64
import json

from tests.loopback import LoopbackServer, QuietHandler

TOKEN = "test-mixpanel-project-token"

IMPORTED = (200, {"code": 200, "num_records_imported": 1, "status": "OK"})
RATE_LIMITED = (
    429,
    {
        "code": 429,
        "error": "Project exceeded rate limits. Please retry the request with exponential backoff.",
        "status": "Too Many Requests",
    },
)
UNAVAILABLE = (503, {"code": 503, "error": "Service Unavailable", "status": "Service Unavailable"})
INVALID = (
    400,
    {
        "code": 400,
        "error": "some data points in the request failed validation",
        "failed_records": [
            {
                "index": 0,
                "$insert_id": "{insert_id}",
                "field": "properties.time",
                "message": "'properties.time' is invalid: must be specified as seconds since epoch",
            }
        ],
        "num_records_imported": 0,
        "status": "Bad Request",
    },
)
UNAUTHORIZED = (401, {"code": 401, "error": "Invalid credentials", "status": "Unauthorized"})


class FakeMixpanel(LoopbackServer):
    """Answers each POST /import with the next scripted (status, body), then imports everything.

    `requests` records each request's query string, basic-auth credentials and events, and the status answered.
    """

    def __init__(self):
        self.script: list[tuple[int, dict]] = []
        self.requests: list[dict] = []
        fake = self

        class Handler(QuietHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                events = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                auth = self.headers.get("Authorization", "").removeprefix("Basic ")
                credentials = base64.b64decode(auth).decode() if auth else ""
                if credentials != f"{TOKEN}:":
                    status, body = UNAUTHORIZED
                elif fake.script:
                    status, body = fake.script.pop(0)
                else:
                    status, body = IMPORTED
                text = json.dumps(body).replace("{insert_id}", events[0]["properties"]["$insert_id"])
                fake.requests.append(
                    {"path": self.path, "credentials": credentials, "events": events, "status": status}
                )
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(text)))
                self.end_headers()
                self.wfile.write(text.encode())

        super().__init__(Handler)

    @property
    def imported(self) -> list[dict]:
        return [event for request in self.requests if request["status"] == 200 for event in request["events"]]
