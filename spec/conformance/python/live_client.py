"""Drives a live GEO hub with the independent Python implementation: two new participants register,
log in, one opens a trust line to the other, and a payment is made and its hub-signed receipt
verified. Only the protocol text and the hub's HTTP API are used.

    python3 live_client.py --hub http://127.0.0.1:8080 [--equivalent UAH]

The equivalent must exist (an operator creates it). Ends with `N passed, M failed`; exit status 1 on
any failure.
"""

import argparse
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid

import geo_min as g

checks = {"passed": 0, "failed": 0}


def check(name, ok, detail=""):
    if ok:
        checks["passed"] += 1
    else:
        checks["failed"] += 1
        print(f"FAIL {name}: {detail}")


def call(hub, method, path, body=None, token=None):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    req = urllib.request.Request(hub + "/api/v1" + path, data=data, method=method)
    req.add_header("content-type", "application/json")
    if token:
        req.add_header("authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def utc(seconds):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


class Participant:
    def __init__(self, hub, hub_pid, name):
        self.hub, self.hub_pid, self.name = hub, hub_pid, name
        self.seed = os.urandom(32)
        self.public_key = g.public_key_from_seed(self.seed)
        self.pid = g.pid_of(self.public_key)
        self.token = None

    def signed(self, msg_type, payload):
        now = int(time.time())
        unsigned = {
            "protocol": "geo/1",
            "type": msg_type,
            "signer": self.pid,
            "audience": self.hub_pid,
            "nonce": g.b58encode(os.urandom(16)),
            "created_at": utc(now),
            "expires_at": utc(now + 300),
            "payload": payload,
        }
        return g.canonical(g.sign(self.seed, unsigned))

    def post(self, path, msg_type, payload):
        return call(self.hub, "POST", path, self.signed(msg_type, payload), self.token)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--hub", required=True)
    ap.add_argument("--equivalent", default="UAH")
    args = ap.parse_args()
    hub = args.hub.rstrip("/")

    status, info = call(hub, "GET", "/hub")
    check("discovery", status == 200 and info.get("protocol") == "geo/1", info)
    hub_pid, hub_key = info["hub_pid"], g.decode_public_key(info["public_key"])

    alice, bob = Participant(hub, hub_pid, "Alice (py)"), Participant(hub, hub_pid, "Bob (py)")
    for p in (alice, bob):
        status, body = p.post("/participants", "participant_register",
                              {"public_key": g.b64_encode(p.public_key), "display_name": p.name, "kind": "person"})
        check(f"register {p.name}", status == 201 and body.get("pid") == p.pid, body)
        status, ch = call(hub, "POST", "/auth/challenge", {"pid": p.pid})
        check("challenge", status == 200, ch)
        status, tok = p.post("/auth/login", "login", {"challenge": ch["challenge"]})
        check(f"login {p.name}", status == 200 and "access_token" in tok, tok)
        p.token = tok.get("access_token")

    # Bob trusts Alice: Alice may owe Bob up to 100, so Alice can pay Bob.
    status, line = bob.post("/trust-lines", "trust_line_set",
                            {"debtor": alice.pid, "equivalent": args.equivalent, "limit": "100"})
    check("trust line", status == 200 and line.get("creditor") == bob.pid and line.get("debtor") == alice.pid, line)

    tx_id = str(uuid.uuid4())
    payment = {"tx_id": tx_id, "payee": bob.pid, "equivalent": args.equivalent, "amount": "12.34"}
    status, paid = alice.post("/payments", "payment_request", payment)
    check("payment committed", status == 200 and paid.get("status") == "committed", paid)

    receipt = paid.get("receipt") or {}
    try:
        sig = g.b64_strict(receipt["signature"], 64)
        ok = g.verify_strict(hub_key, g.signed_bytes(receipt), sig)
    except Exception as e:  # noqa: BLE001 - any failure is a failed check
        ok, receipt = False, {"error": str(e)}
    check("receipt verifies against the hub key", ok, receipt)
    rp = receipt.get("payload", {})
    check("receipt content", rp.get("tx_id") == tx_id and rp.get("amount") == "12.34"
          and rp.get("payer") == alice.pid and rp.get("status") == "committed", rp)

    status, again = alice.post("/payments", "payment_request", payment)
    check("idempotent retry", status == 200 and again.get("journal_seq") == paid.get("journal_seq"), again)

    status, bal = call(hub, "GET", "/balance", token=bob.token)
    net = next((b["net"] for b in (bal or []) if b.get("equivalent") == args.equivalent), None)
    check("payee balance", status == 200 and net == "12.34", bal)

    print(f"{checks['passed']} passed, {checks['failed']} failed")
    return 1 if checks["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
