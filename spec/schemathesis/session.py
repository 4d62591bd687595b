"""Registers and logs in one participant at a live hub with the independent Python implementation
(spec/conformance/python) and prints its bearer token, so generated requests reach past login."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "conformance", "python"))

import geo_min as g  # noqa: E402
from live_client import Participant, call  # noqa: E402

hub = sys.argv[1].rstrip("/")
status, info = call(hub, "GET", "/hub")
assert status == 200, info
p = Participant(hub, info["hub_pid"], "Schemathesis")
status, body = p.post("/participants", "participant_register",
                      {"public_key": g.b64_encode(p.public_key), "display_name": p.name, "kind": "person"})
assert status == 201, body
status, ch = call(hub, "POST", "/auth/challenge", {"pid": p.pid})
assert status == 200, ch
status, tok = p.post("/auth/login", "login", {"challenge": ch["challenge"]})
assert status == 200, tok
print(tok["access_token"])
