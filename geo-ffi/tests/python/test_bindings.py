#!/usr/bin/env python3
"""The Python bindings, from the installed wheel: the spec's vectors, bad input as typed errors, and
the community story (examples/python/community.py) against a live reference hub started here.

    python3 geo-ffi/tests/python/test_bindings.py <path to geo-hub>

Prints "N passed, 0 failed"; exits 1 on any failure.
"""

import asyncio
import base64
import json
import os
import subprocess
import sys
import tempfile
import threading
from decimal import Decimal

import geo_ffi as geo
from geo_ffi import GeoError, Identity

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
VECTORS = os.path.join(ROOT, "spec", "vectors")
sys.path.insert(0, os.path.join(ROOT, "examples", "python"))
import community  # noqa: E402

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL " + what)


def error_code(fn):
    """The E_ code of the GeoError fn raises (None if it returns; other exceptions propagate)."""
    try:
        fn()
    except GeoError as e:
        return e.code
    return None


def load(name):
    with open(os.path.join(VECTORS, name), encoding="utf-8") as f:
        return json.load(f)


def vectors():
    ident = load("identity.json")
    for k in ident["keys"]:
        me = Identity.from_seed(bytes.fromhex(k["seed_hex"]))
        check(me.public_key() == k["public_key"], "identity %s public key" % k["name"])
        check(me.pid() == k["pid"], "identity %s pid" % k["name"])
        check(geo.pid_of_public_key(k["public_key"]) == k["pid"], "pid of key %s" % k["name"])
        check(me.phrase() == k["mnemonic"], "identity %s phrase" % k["name"])
        check(Identity.from_phrase(k["mnemonic"]).pid() == k["pid"], "phrase restores %s" % k["name"])
    for c in ident["invalid_public_keys"]:
        check(error_code(lambda: geo.pid_of_public_key(c["public_key"])) is not None,
              "invalid key refused: " + c["why"])
    for c in ident["invalid_pids"]:
        # A PID crosses the boundary as a validated custom type: the refusal is typed.
        code = error_code(lambda: geo.MessageVerifier(ident["keys"][0]["public_key"],
                                                      "2026-11-24T10:00:00Z", c["pid"], 600, 60))
        check(code == "E_VALIDATION", "invalid pid %r refused (%s): %s" % (c["pid"], c["why"], code))

    for c in load("amounts.json")["cases"]:
        where = "amount %r p=%d" % (c["text"], c["precision"])
        try:
            v = geo.parse_amount(c["text"], c["precision"])
            check("error" not in c and str(v.minor_units) == c["minor_units"]
                  and v.canonical == c["canonical"], where + " -> %s %s" % (v.minor_units, v.canonical))
            check(Decimal(v.canonical) == Decimal(c["canonical"]), where + " as Decimal")
        except GeoError as e:
            check("error" in c and e.code == "E_INVALID_AMOUNT", where + " refused with " + e.code)

    msgs = load("messages.json")
    for i, c in enumerate(msgs["cases"]):
        signer = Identity.from_seed(bytes.fromhex(c["signer_seed_hex"]))
        signing = bytes.fromhex(c["signing_bytes_hex"])
        check(signer.public_key() == c["signer_public_key"], "messages[%d] key" % i)
        check(signer.sign(signing) == c["signature"], "messages[%d] %s signature" % (i, c["type"]))
        check(geo.verify_signature(c["signer_public_key"], signing, c["signature"]),
              "messages[%d] signature verifies" % i)
        check(not signer.verify(signing + b" ", c["signature"]), "messages[%d] other bytes" % i)
        v = geo.MessageVerifier(c["signer_public_key"], msgs["now"],
                                c["unsigned"].get("audience"), 600, 60)
        try:
            v.verify(c["type"], c["signed_json"])
            check(True, "")
        except GeoError as e:
            check(False, "messages[%d] %s verifies: %s" % (i, c["type"], e))

    for s in load("verification.json")["scenarios"]:
        vf = s["verifier"]
        v = geo.MessageVerifier(vf["public_key"], vf["now"], vf.get("audience"),
                                vf.get("max_validity_seconds", 600),
                                vf.get("max_clock_skew_seconds", 60))
        for j, st in enumerate(s["steps"]):
            code = error_code(lambda: v.verify(s["expected_type"], st["json"]))
            check((code or "ok") == st["expect"],
                  "verification %s step %d: %s, expected %s" % (s["name"], j, code, st["expect"]))


def invoices():
    """The spec's invoice vectors, then sign -> link -> read, and every refusal typed."""
    v = load("invoices.json")
    sg = v["signed"]
    inv = geo.read_invoice(sg["link"], sg["invoice"]["hub"], sg["invoice"]["created_at"])
    got = {k: getattr(inv, k) for k in sg["invoice"]}
    check(got == sg["invoice"] and inv.uri == sg["link"], "invoice vector read: %s" % got)
    for c in v["cases"]:
        code = error_code(lambda: geo.read_invoice(c["link"], c["expected_hub"], c["now"]))
        check((code or "ok") == c["expect"], "invoice %s: %s, expected %s" % (c["name"], code, c["expect"]))

    payee = Identity.generate()
    hub = Identity.generate().pid()
    import datetime
    later = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1))
    order = geo.InvoiceOrder(hub=hub, equivalent="UAH", amount="7.25", description="eggs",
                             expires_at=later.strftime("%Y-%m-%dT%H:%M:%SZ"))
    made = geo.sign_invoice(payee, order)
    check(made.uri.startswith("geo:invoice?m=") and made.payee == payee.pid(), "signed %s" % made)
    check(geo.read_invoice(made.uri, hub) == made, "read back equal")
    check(geo.read_invoice(made.uri) == made, "read with no expected hub")
    text = base64.urlsafe_b64decode(made.uri[len("geo:invoice?m="):] + "==").decode("utf-8")
    tampered = "geo:invoice?m=" + base64.urlsafe_b64encode(
        text.replace('"7.25"', '"0.25"').encode("utf-8")).decode("ascii").rstrip("=")
    for link, hub_, now, want in (
            (tampered, None, None, "E_INVALID_SIGNATURE"),
            (made.uri, Identity.generate().pid(), None, "E_WRONG_AUDIENCE"),
            (made.uri, None, (later + datetime.timedelta(seconds=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
             "E_EXPIRED"),
            ("geo:50.45,30.52", None, None, "E_MALFORMED"),
            ("not a link", None, None, "E_MALFORMED")):
        code = error_code(lambda: geo.read_invoice(link, hub_, now))
        check(code == want, "read %s...: %s, expected %s" % (link[:20], code, want))
    for changed, want in ((dict(amount="0"), "E_INVALID_AMOUNT"),
                          (dict(expires_at="2020-01-01T00:00:00Z"), "E_VALIDITY_TOO_LONG"),
                          (dict(expires_at="soon"), "E_VALIDATION")):
        o = geo.InvoiceOrder(**{**order.__dict__, **changed})
        code = error_code(lambda: geo.sign_invoice(payee, o))
        check(code == want, "sign with %s: %s, expected %s" % (changed, code, want))
    check(error_code(lambda: geo.InvoiceOrder(**{**order.__dict__, "amount": "1,5"})) is None
          and error_code(lambda: geo.sign_invoice(payee, geo.InvoiceOrder(
              **{**order.__dict__, "amount": "1,5"}))) == "E_INVALID_AMOUNT", "amount 1,5")


async def invoice_story(url):
    """A shop signs an invoice at the hub; a customer pays its link; the shop sees the payment."""
    shop = await community.connect(url, Identity.generate())
    await shop.register("Shop", geo.ParticipantKind.BUSINESS, None)
    customer = await community.connect(url, Identity.generate())
    await customer.register("Customer", geo.ParticipantKind.PERSON, None)
    await shop.set_trust_line(customer.pid(), "UAH", "50", None)
    invoice = shop.sign_invoice("UAH", "12.5", "honey", 600)
    check(invoice.hub == shop.hub_pid() and invoice.payee == shop.pid(), "invoice at this hub")
    elsewhere = geo.sign_invoice(Identity.generate(), geo.InvoiceOrder(
        hub=Identity.generate().pid(), equivalent="UAH", amount="1",
        expires_at=invoice.expires_at))
    try:
        await customer.pay_invoice(elsewhere.uri)
        check(False, "another hub's invoice was paid")
    except GeoError as e:
        check(e.code == "E_WRONG_AUDIENCE", "another hub's invoice: %s" % e.code)
    receipt = await customer.pay_invoice(invoice.uri)
    check(receipt.amount == "12.50" and receipt.payee == shop.pid(), "paid %s" % receipt)
    record = await shop.payment(receipt.tx_id)
    check(record.payment.description == "honey" and record.payment.invoice_id == invoice.invoice_id,
          "the shop sees the invoice paid: %s" % record.payment)


def bad_input():
    check(error_code(lambda: geo.parse_amount("1.234", 2)) == "E_INVALID_AMOUNT", "1.234 at p=2")
    for text in ("-1", "NaN", "nan", "inf", "1e3", " 1", ""):
        check(error_code(lambda: geo.parse_amount(text, 2)) == "E_INVALID_AMOUNT", "amount %r" % text)
    check(error_code(lambda: Identity.from_phrase("")) is not None, "empty phrase")
    words = Identity.generate().phrase().split(" ")
    words[5] = "zzzz"
    check(error_code(lambda: Identity.from_phrase(" ".join(words))) is not None, "wrong word")
    check(error_code(lambda: Identity.from_seed(b"short")) == "E_VALIDATION", "short seed")
    kf = Identity.generate().to_key_file("a long passphrase")
    check(error_code(lambda: Identity.from_key_file(kf, "wrong")) == "E_WRONG_PASSWORD", "key file pw")
    check(error_code(lambda: Identity.from_key_file("{}", "x")) is not None, "not a key file")
    me = Identity.generate()
    builder = geo.HubClientBuilder("http://127.0.0.1:9", me)
    check(error_code(lambda: builder.expect_hub("not-a-pid")) == "E_VALIDATION", "bad pinned PID")
    decimals()


def decimals():
    """Amounts as decimal.Decimal: exact round trips; floats and too many decimals refused, typed."""
    for text, precision, canonical in (("10.50", 2, "10.50"), ("1.5", 2, "1.50"), ("7", 0, "7"),
                                       ("123456789012345.67", 2, "123456789012345.67"),
                                       ("0.001", 3, "0.001")):
        value = geo.to_decimal(text)
        check(isinstance(value, Decimal) and value == Decimal(text), "to_decimal(%r)" % text)
        back = geo.amount_text(value, precision)
        check(back == canonical and geo.to_decimal(back) == value,
              "Decimal %r at p=%d -> %r" % (text, precision, back))
    check(geo.to_decimal("-3.00") == Decimal("-3"), "a signed net as Decimal")
    check(geo.amount_text(Decimal("2.50")) == "2.50" and geo.amount_text(12) == "12", "no precision")
    refusals = (("float", lambda: geo.amount_text(1.5, 2)),
                ("float without precision", lambda: geo.amount_text(0.1)),
                ("bool", lambda: geo.amount_text(True, 0)),
                ("too many decimals", lambda: geo.amount_text(Decimal("1.234"), 2)),
                ("too many decimals as text", lambda: geo.amount_text("0.005", 2)),
                ("negative", lambda: geo.amount_text(Decimal("-1"), 2)),
                ("NaN", lambda: geo.amount_text(Decimal("NaN"), 2)),
                ("Infinity", lambda: geo.amount_text(Decimal("Infinity"))),
                ("to_decimal of a float", lambda: geo.to_decimal(2.5)),
                ("to_decimal of junk", lambda: geo.to_decimal("ten")))
    for what, call in refusals:
        check(error_code(call) == "E_INVALID_AMOUNT", "Decimal helper refuses " + what)
    try:
        geo.amount_text(1.5, 2)
    except GeoError.Validation as e:
        check(not e.is_retryable and "float" in str(e), "float refusal is GeoError.Validation: %s" % e)


async def bad_input_async(url):
    client = await geo.HubClientBuilder(url, Identity.generate()).connect()
    await client.register("Dora", geo.ParticipantKind.PERSON, None)
    eve = await geo.HubClientBuilder(url, Identity.generate()).connect()
    await eve.register("Eve", geo.ParticipantKind.PERSON, None)
    other = eve.pid()
    cases = [
        ("pay to an invalid PID", lambda: client.pay(geo.PaymentOrder(payee="0OIl", equivalent="UAH", amount="1")), "E_VALIDATION"),
        ("negative amount", lambda: client.pay(geo.PaymentOrder(payee=other, equivalent="UAH", amount="-5")), "E_INVALID_AMOUNT"),
        ("NaN amount", lambda: client.set_trust_line(other, "UAH", "NaN", None), "E_INVALID_AMOUNT"),
        ("1.234 at precision 2", lambda: client.set_trust_line(other, "UAH", "1.234", None), "E_INVALID_AMOUNT"),
    ]
    for what, call, want in cases:
        try:
            await call()
            check(False, what + " accepted")
        except GeoError as e:
            check(e.code == want, "%s: %s (wanted %s)" % (what, e.code, want))
    await every_call(client, eve, url)
    try:
        await geo.HubClientBuilder(url, Identity.generate()).expect_hub(Identity.generate().pid()).connect()
        check(False, "a hub with another PID accepted")
    except GeoError as e:
        check(not e.is_retryable, "pinning refusal: " + e.code)


async def every_call(dora, eve, url):
    """The SDK operations the story does not use, each once, with a check that could fail."""
    line = await eve.set_trust_line(dora.pid(), "UAH", "50", geo.TrustLinePolicy())
    check(line.limit == "50.00" and line.available == "50.00", "new line %s" % line)
    lines = await dora.trust_lines(geo.TrustLineFilter(direction="incoming"))
    check([l.id for l in lines] == [line.id], "Dora's received lines")
    check((await dora.trust_line(line.id)).creditor == eve.pid(), "line by id")
    check("UAH" in [e.code for e in await dora.equivalents()], "equivalents")
    me = await dora.update_profile("Dora D.", {"city": "Lviv"})
    check(me.display_name == "Dora D." and (await dora.profile()).profile == {"city": "Lviv"}, "profile")
    check((await dora.participant(eve.pid())).display_name == "Eve", "participant")
    cap = await dora.capacity(eve.pid(), "UAH", "60")
    check(cap.max_amount == "50.00" and cap.can_pay is False, "capacity %s" % cap)
    held = await dora.hold(geo.PaymentOrder(payee=eve.pid(), equivalent="UAH", amount="10"), 60)
    check(held.status == geo.PaymentState.PREPARED, "held")
    committed = await dora.commit(held.tx_id)
    check(committed.status == geo.PaymentState.COMMITTED and committed.amount == "10.00", "commit")
    held = await dora.hold(geo.PaymentOrder(payee=eve.pid(), equivalent="UAH", amount="5"), 60)
    aborted = await dora.abort(held.tx_id, "changed my mind")
    check(aborted.status == geo.PaymentState.ABORTED, "abort")
    status = await dora.payment(held.tx_id)
    check(status.payment.status == geo.PaymentState.ABORTED and status.receipt is not None, "status")
    # The pager as an async iterator (pages of one payment each).
    seen = [p.tx_id async for p in dora.history(geo.HistoryFilter(limit=1))]
    check(len(seen) == 2 and held.tx_id in seen and committed.tx_id in seen, "history %s" % seen)
    debts = await dora.debts("UAH")
    check([(d.pid, d.i_owe) for d in debts] == [(eve.pid(), "10.00")], "debts %s" % debts)
    try:
        await eve.close_trust_line(dora.pid(), "UAH")
        check(False, "a line with debt closed")
    except GeoError.Hub as e:
        check(e.status >= 400 and not e.is_retryable, "close refused while debt remains: " + e.code)
    cap = await dora.capacity(eve.pid(), "UAH", geo.amount_text(Decimal("40.5"), 2))
    check(geo.to_decimal(cap.max_amount) == Decimal("40") and not cap.can_pay, "Decimal capacity %s" % cap)
    check(await dora.clearing_proposals() == [], "no proposals")
    check(await dora.clearings() == [], "no clearings for Dora")


async def consent_story(url, token):
    """A cycle whose closing line does not consent in advance: the operator's run opens a proposal,
    the creditor lists it, reads its amounts, sees it in the event stream, consents, and it clears."""
    members = []
    for name in ("Pavlo", "Quinn", "Roksana"):
        m = await community.connect(url, Identity.generate())
        await m.register(name, geo.ParticipantKind.PERSON, None)
        members.append(m)
    p, q, r = members
    await q.set_trust_line(p.pid(), "UAH", "100", None)
    await r.set_trust_line(q.pid(), "UAH", "100", None)
    line = await p.set_trust_line(r.pid(), "UAH", "100", geo.TrustLinePolicy(auto_clearing=False))
    check(line.policy.auto_clearing is False, "policy auto_clearing false kept: %s" % line.policy)
    for payer, payee in ((p, q), (q, r), (r, p)):
        await payer.pay(geo.PaymentOrder(payee=payee.pid(), equivalent="UAH", amount="10"))
    check(await p.clearings() == [], "no clearing without Pavlo's consent")
    owed = {d.pid: (d.i_owe, d.owes_me) for d in await p.debts("UAH")}
    check(owed == {q.pid(): ("10.00", "0.00"), r.pid(): ("0.00", "10.00")}, "debts before: %s" % owed)

    run = await geo.AdminClient(url, token).run_clearing("UAH")
    check(not run.cleared and run.proposal is not None, "the run opens a proposal: %s" % run)
    listed = await p.clearing_proposals()
    check([x.clearing_id for x in listed] == [run.proposal], "Pavlo lists the proposal")
    proposal = listed[0]
    check(proposal.consent_required_from == [p.pid()] and proposal.accepted_by == [],
          "only Pavlo is asked: %s" % proposal)
    edges = json.loads(proposal.proposal)["payload"]["edges"]
    check(sorted(geo.to_decimal(e["amount"]) for e in edges) == [Decimal("10")] * 3
          and {e["debtor"] for e in edges} == {p.pid(), q.pid(), r.pid()},
          "the proposal's amounts: %s" % edges)

    stream = p.events(0)
    kinds = []

    async def until_proposed():
        async for event in stream:
            kinds.append(type(event.kind).__name__)
            if event.kind.is_clearing_proposed():
                return event.kind
        return None

    proposed = await asyncio.wait_for(until_proposed(), timeout=20)
    check(proposed is not None and proposed.clearing_id == run.proposal
          and [e.amount for e in proposed.edges] == ["10.00"] * 3, "ClearingProposed event %s" % kinds)

    outcome = await p.consent(proposal, geo.ClearingDecision.ACCEPT)
    check(outcome.clearing_id == run.proposal and outcome.status == "committed",
          "consent outcome %s" % outcome)

    async def until_committed():
        async for event in stream:
            if event.kind.is_clearing_committed():
                return event.kind
        return None

    committed = await asyncio.wait_for(until_committed(), timeout=20)
    check(committed is not None and committed.clearing_id == run.proposal
          and committed.receipt is not None, "ClearingCommitted after consent")
    await stream.cancel()
    check([e async for e in stream] == [], "a cancelled stream iterates no more")
    raw = await p.events(0)  # awaiting still gives the generated EventStream
    first = await raw.next()
    check(isinstance(raw, geo.EventStream) and first is not None and first.id >= 1,
          "await events() gives an EventStream: %s" % first)
    await raw.cancel()
    done = await r.clearings()
    check([c.clearing_id for c in done] == [run.proposal], "Roksana sees the clearing")
    check(await p.clearing_proposals() == [], "no open proposal after consent")
    debts = await p.debts("UAH")
    check(len(debts) == 2 and all(geo.to_decimal(d.i_owe) == geo.to_decimal(d.owes_me) == 0
                                  for d in debts), "all set off now: %s" % debts)


def start_hub(binary, data_dir, *settings, listen="127.0.0.1:0"):
    """Starts geo-hub on `listen` with its data in `data_dir` and further `settings` (flags);
    (process, URL, operator token)."""
    proc = subprocess.Popen([binary, "--listen", listen, "--data-dir", data_dir, *settings],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = ""
    while "listening on" not in line:
        line = proc.stdout.readline()
        if not line:
            proc.kill()
            raise RuntimeError("geo-hub did not start")
    # Keep reading its log so the pipe never fills up and blocks the hub.
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
    url = line.split("listening on ")[1].split(" ")[0]
    with open(os.path.join(data_dir, "admin.token"), encoding="utf-8") as f:
        return proc, url, f.read().strip()


def story(hub_binary):
    with tempfile.TemporaryDirectory() as data:
        proc, url, token = start_hub(hub_binary, data)
        try:
            seen = asyncio.run(community.run(url, token))
            check(len(seen["path"]) == 3, "two-hop path %s" % seen["path"])
            check(seen["refused"] == "E_INSUFFICIENT_CAPACITY", "refused with %s" % seen["refused"])
            check(seen["resent_same_tx"], "resent payment answered with the same tx")
            check(seen["bob_moved"] == Decimal("5"), "resent payment moved %s, not 5" % seen["bob_moved"])
            check(len(seen["cleared"]) == 3 and all(Decimal(a) > 0 for a in seen["cleared"]),
                  "cycle cleared %s" % seen["cleared"])
            check(seen["restored_pid"] and seen["restored_paid"] == "1.50", "restored key pays")
            check(sum(seen["nets"]) == 0, "nets sum to zero %s" % seen["nets"])
            asyncio.run(bad_input_async(url))
            asyncio.run(consent_story(url, token))
            asyncio.run(invoice_story(url))
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def main():
    vectors()
    invoices()
    bad_input()
    if len(sys.argv) > 1:
        story(sys.argv[1])
    else:
        check(False, "no geo-hub binary given: the live story did not run")
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
