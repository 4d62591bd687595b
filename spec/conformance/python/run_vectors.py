#!/usr/bin/env python3
"""Check every case of spec/vectors/*.json against geo_min.py. Offline; exits 1 on any failure."""

import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import geo_min as g  # noqa: E402

VECTORS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "vectors")
KNOWN = {"identity.json", "canonical_json.json", "amounts.json", "messages.json",
         "verification.json", "invoices.json", "records.json", "federation.json"}

passed = 0
failed = 0


def check(ok, where, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL %s%s" % (where, (": " + detail) if detail else ""))


def guard(where, fn):
    """Run one case; an unexpected exception is one failure."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001
        check(False, where, "exception %s: %s" % (type(e).__name__, e))


def identity(v):
    try:
        g.seed_to_mnemonic(bytes(32))
        have_mnemonic = True
    except ImportError:
        have_mnemonic = False
        print("NOTE mnemonic package missing: mnemonic checks skipped")
    for k in v["keys"]:
        w = "identity/%s" % k["name"]

        def one(k=k, w=w):
            seed = bytes.fromhex(k["seed_hex"])
            pk = g.public_key_from_seed(seed)
            check(g.b64_encode(pk) == k["public_key"], w + " public_key",
                  "%s != %s" % (g.b64_encode(pk), k["public_key"]))
            check(g.decode_public_key(k["public_key"]) == pk, w + " public_key decodes")
            check(g.pid_of(pk) == k["pid"], w + " pid", "%s != %s" % (g.pid_of(pk), k["pid"]))
            check(g.decode_pid(k["pid"]) == hashlib.sha256(pk).digest(), w + " pid decodes")
            if have_mnemonic:
                m = g.seed_to_mnemonic(seed)
                check(m == k["mnemonic"], w + " mnemonic", "%r != %r" % (m, k["mnemonic"]))
                check(g.mnemonic_to_seed(k["mnemonic"]) == seed, w + " mnemonic restores seed")
        guard(w, one)
    for c in v["invalid_public_keys"]:
        try:
            g.decode_public_key(c["public_key"])
            check(False, "identity/invalid key %r" % c["public_key"], "accepted (%s)" % c["why"])
        except ValueError:
            check(True, "")
    for c in v["invalid_pids"]:
        try:
            g.decode_pid(c["pid"])
            check(False, "identity/invalid pid %r" % c["pid"], "accepted (%s)" % c["why"])
        except ValueError:
            check(True, "")


def canonical_json(v):
    for i, c in enumerate(v["cases"]):
        w = "canonical_json[%d] %s" % (i, c["input"][:40])

        def one(c=c, w=w):
            try:
                out = g.canonical(g.strict_loads(c["input"].encode("utf-8")))
            except g.JsonError as e:
                check(c.get("error") == e.kind, w, "error %s, expected %s" %
                      (e.kind, c.get("error") or "output"))
                return
            if "error" in c:
                check(False, w, "accepted, expected error %s" % c["error"])
                return
            check(out == c["canonical"].encode("utf-8"), w, "got %r" % out.decode("utf-8"))
            check(hashlib.sha256(out).hexdigest() == c["canonical_sha256"], w + " sha256")
        guard(w, one)


def amounts(v):
    for c in v["cases"]:
        w = "amounts %r p=%d" % (c["text"], c["precision"])

        def one(c=c, w=w):
            try:
                units = g.parse_amount(c["text"], c["precision"])
            except g.AmountError as e:
                check(c.get("error") == e.kind, w, "error %s, expected %s" %
                      (e.kind, c.get("error") or "ok"))
                return
            if "error" in c:
                check(False, w, "accepted as %d, expected %s" % (units, c["error"]))
                return
            check(str(units) == c["minor_units"], w, "units %d" % units)
            out = g.format_amount(units, c["precision"])
            check(out == c["canonical"], w + " canonical", out)
            check(g.parse_amount(out, c["precision"]) == units, w + " canonical re-parses")
        guard(w, one)


def messages(v):
    for i, c in enumerate(v["cases"]):
        w = "messages[%d] %s" % (i, c["type"])

        def one(c=c, w=w):
            unsigned = c["unsigned"]
            sb = g.signed_bytes(unsigned)
            check(sb == c["signing_input"].encode("utf-8"), w + " signing_input",
                  sb.decode("utf-8"))
            check(sb.hex() == c["signing_bytes_hex"], w + " signing_bytes_hex")
            seed = bytes.fromhex(c["signer_seed_hex"])
            check(g.b64_encode(g.public_key_from_seed(seed)) == c["signer_public_key"],
                  w + " signer key")
            env = g.sign(seed, unsigned)
            check(env["signature"] == c["signature"], w + " signature", env["signature"])
            check(g.canonical(env) == c["signed_json"].encode("utf-8"), w + " signed_json")
            check(g.digest(env) == c["digest"], w + " digest", g.digest(env))
            check(g.payload_digest(env) == c["payload_digest"], w + " payload_digest")
            # verification computes from the received text
            received = g.strict_loads(c["signed_json"].encode("utf-8"))
            check(g.digest(received) == c["digest"], w + " digest of received")
            ver = g.Verifier(v["now"], audience=unsigned.get("audience"))
            ver.register_key(c["signer_public_key"])
            res = ver.verify(c["signed_json"].encode("utf-8"), c["type"])
            check(res == "ok", w + " verifies", "%s %s" % (res, getattr(ver, "last_detail", "")))
        guard(w, one)
    # a cross-check the vectors imply: consent binds the proposal's digest
    by_type = {}
    for c in v["cases"]:
        by_type.setdefault(c["type"], []).append(c)
    if "clearing_proposal" in by_type and "clearing_consent" in by_type:
        pd = by_type["clearing_consent"][0]["unsigned"]["payload"]["proposal_digest"]
        check(pd == by_type["clearing_proposal"][0]["digest"],
              "messages clearing_consent.proposal_digest == digest(clearing_proposal)")


def verification(v):
    for i, s in enumerate(v["scenarios"]):
        vf = s["verifier"]
        w = "verification[%d] %s" % (i, s["name"])

        def one(s=s, vf=vf, w=w):
            ver = g.Verifier(vf["now"], audience=vf.get("audience"),
                             max_validity_seconds=vf.get("max_validity_seconds", 600),
                             max_clock_skew_seconds=vf.get("max_clock_skew_seconds", 60))
            if vf["public_key"] is not None:  # null: the verifier knows no key for the signer
                ver.register_key(vf["public_key"])
            for j, st in enumerate(s["steps"]):
                res = ver.verify(st["json"].encode("utf-8"), s["expected_type"])
                check(res == st["expect"], "%s step %d" % (w, j),
                      "got %s (%s), expected %s" % (res, getattr(ver, "last_detail", ""),
                                                    st["expect"]))
        guard(w, one)


def invoices(v):
    check(v["link_prefix"] == g.INVOICE_LINK_PREFIX, "invoices link_prefix")
    check(v["max_validity_seconds"] == g.INVOICE_MAX_VALIDITY_SECONDS, "invoices window")
    sg = v["signed"]

    def signed():
        env = g.sign(bytes.fromhex(sg["signer_seed_hex"]), sg["unsigned"])
        text = g.canonical(env).decode("utf-8")
        check(text == sg["signed_json"], "invoices signed_json", text)
        check(g.invoice_link(text) == sg["link"], "invoices link")
        inv = sg["invoice"]
        env = g.read_invoice(sg["link"], inv["hub"], inv["created_at"])
        got = {"invoice_id": env["nonce"], "payee": env["signer"], "hub": env["audience"],
               "equivalent": env["payload"]["equivalent"], "amount": env["payload"]["amount"],
               "description": env["payload"].get("description"),
               "created_at": env["created_at"], "expires_at": env["expires_at"]}
        check(got == inv, "invoices fields", repr(got))
    guard("invoices signed", signed)
    for i, c in enumerate(v["cases"]):
        w = "invoices[%d] %s" % (i, c["name"])

        def one(c=c, w=w):
            try:
                g.read_invoice(c["link"], c["expected_hub"], c["now"],
                               v["max_clock_skew_seconds"], v["max_validity_seconds"])
                res = "ok"
            except g.Refused as r:
                res = r.code
            check(res == c["expect"], w, "got %s, expected %s" % (res, c["expect"]))
        guard(w, one)


def records(v):
    """§6.2.1: hub-signed records carry a nonce derived from their type and id, so they re-sign
    to the same bytes; a proposal's digest is what a consent names."""
    import base64
    seed = bytes.fromhex(v["hub_seed_hex"])
    check(g.b64_encode(g.public_key_from_seed(seed)) == v["hub_public_key"], "records hub key")
    for i, c in enumerate(v["cases"]):
        w = "records[%d] %s" % (i, c["type"])

        def one(c=c, w=w):
            text = "geo/1 record nonce\n%s\n%s" % (c["type"], c["id"])
            check(text == c["nonce_input"], w + " nonce_input", repr(text))
            raw = hashlib.sha256(text.encode("utf-8")).digest()[:16]
            nonce = base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
            check(nonce == c["nonce"], w + " nonce", nonce)
            env = g.strict_loads(c["signed_json"].encode("utf-8"))
            check(env["nonce"] == nonce, w + " envelope nonce")
            check(env["type"] == c["type"] and "audience" not in env, w + " type, no audience")
            resigned = g.sign(seed, {k: x for k, x in env.items() if k != "signature"})
            check(g.canonical(resigned) == c["signed_json"].encode("utf-8"), w + " re-signs exactly")
            check(g.digest(env) == c["digest"], w + " digest", g.digest(env))
            ver = g.Verifier(env["created_at"])
            ver.register_key(v["hub_public_key"])
            res = ver.verify(c["signed_json"].encode("utf-8"), c["type"])
            check(res == "ok", w + " verifies", "%s %s" % (res, getattr(ver, "last_detail", "")))
        guard(w, one)


def federation(v):
    """spec/federation.md §11: hub-to-hub messages, conditions, expiry, geo: addresses."""
    m = v["messages"]
    for i, c in enumerate(m["cases"]):
        w = "federation messages[%d] %s" % (i, c["type"])

        def one(c=c, w=w):
            unsigned = c["unsigned"]
            sb = g.signed_bytes(unsigned)
            check(sb.hex() == c["signing_bytes_hex"], w + " signing_bytes_hex")
            env = g.sign(bytes.fromhex(c["signer_seed_hex"]), unsigned)
            check(env["signature"] == c["signature"], w + " signature", env["signature"])
            check(g.canonical(env) == c["signed_json"].encode("utf-8"), w + " signed_json")
            check(g.digest(env) == c["digest"], w + " digest")
            ver = g.Verifier(m["now"], audience=unsigned["audience"])
            ver.register_key(c["signer_public_key"])
            res = ver.verify(c["signed_json"].encode("utf-8"), c["type"])
            check(res == "ok", w + " verifies", "%s %s" % (res, getattr(ver, "last_detail", "")))
        guard(w, one)
    cond = v["conditions"]
    for p in cond["pairs"]:
        guard("federation condition", lambda p=p: check(
            g.condition_of(p["preimage"]) == p["condition"], "federation condition " + p["preimage"]))
    for c in cond["fulfilments"]:
        guard("federation fulfilment", lambda c=c: check(
            g.check_fulfilment(c["condition"], c["preimage"]) == c["expect"],
            "federation fulfilment " + c["name"]))
    d = cond["derivation"]
    text = "geo/1 fulfilment\n%s\n%s\n%s" % (d["secret_hex"], d["payer_hub"], d["tx_id"])
    check(text == d["input"], "federation derivation input")
    check(hashlib.sha256(text.encode("utf-8")).hexdigest() == d["preimage"],
          "federation derivation preimage")
    for c in v["expiry"]:
        res = g.commit_deadline(c["hold_until"], c["now"], c["margin_seconds"])
        check(res == c["expect"], "federation expiry %s" % c["hold_until"],
              "got %s, expected %s" % (res, c["expect"]))
    for c in v["uris"]:
        w = "federation uri %s" % c["text"]

        def one(c=c, w=w):
            try:
                hub, pid = g.parse_participant_uri(c["text"])
            except g.UriRefused as r:
                check(c.get("error") == r.kind, w, "refused %s, expected %s" %
                      (r.kind, c.get("error") or "ok"))
                return
            check("error" not in c, w, "accepted, expected %s" % c.get("error"))
            check((hub, pid) == (c.get("hub"), c.get("pid")), w + " fields")
            check(g.format_participant_uri(hub, pid) == c.get("canonical"), w + " canonical")
        guard(w, one)
    for i, s in enumerate(v["verification"]):
        vf = s["verifier"]
        w = "federation verification[%d] %s" % (i, s["name"])

        def one(s=s, vf=vf, w=w):
            ver = g.Verifier(vf["now"], audience=vf.get("audience"),
                             max_validity_seconds=vf.get("max_validity_seconds", 600),
                             max_clock_skew_seconds=vf.get("max_clock_skew_seconds", 60))
            if vf["public_key"] is not None:
                ver.register_key(vf["public_key"])
            for j, st in enumerate(s["steps"]):
                res = ver.verify(st["json"].encode("utf-8"), s["expected_type"])
                check(res == st["expect"], "%s step %d" % (w, j),
                      "got %s (%s), expected %s" % (res, getattr(ver, "last_detail", ""),
                                                    st["expect"]))
        guard(w, one)


def main():
    files = sorted(f for f in os.listdir(VECTORS) if f.endswith(".json"))
    runners = {"identity.json": identity, "canonical_json.json": canonical_json,
               "amounts.json": amounts, "messages.json": messages,
               "verification.json": verification, "invoices.json": invoices,
               "records.json": records, "federation.json": federation}
    for f in files:
        with open(os.path.join(VECTORS, f), encoding="utf-8") as fh:
            data = json.load(fh)
        if f not in runners:
            check(False, f, "no checker for this vector file")
            continue
        runners[f](data)
    for f in KNOWN - set(files):
        check(False, f, "vector file missing")
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
