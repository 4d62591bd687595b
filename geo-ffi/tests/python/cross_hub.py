#!/usr/bin/env python3
"""The Python bindings across two linked hubs (spec/federation.md), from the installed wheel: a
member of hub A pays a member of hub B named by its geo:participant address and gets both hubs'
receipts, each verified with its hub's key; a peer receipt tampered with or under another key is a
typed E_INVALID_SIGNATURE; the payment read back carries B's receipt; a capacity preview to the
geo: address says what both hubs carry; more than the inter-hub line carries is refused, changing
nothing.

    python3 geo-ffi/tests/python/cross_hub.py <path to geo-hub>

Prints "N passed, 0 failed"; exits 1 on any failure.
"""

import asyncio
import os
import secrets
import socket
import sys
import tempfile
import urllib.parse
from decimal import Decimal

import geo_ffi as geo
from geo_ffi import GeoError, Identity

import test_bindings as t
from test_bindings import check, community


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def address(port, pid):
    """The geo:participant address of `pid` at the hub on `port` (federation.md §2)."""
    hub = urllib.parse.quote("http://127.0.0.1:%d" % port, safe="")
    return "geo:participant?hub=%s&pid=%s" % (hub, pid)


def start_linked(binary, folder, name, seed, port, peer_port, peer_pid):
    """Hub `name` with key `seed` on `port`, linked to the hub `peer_pid` on `peer_port`."""
    data = os.path.join(folder, name)
    os.mkdir(data)
    key_file = os.path.join(data, "hub.key")
    with open(os.open(key_file, os.O_CREAT | os.O_WRONLY, 0o600), "w", encoding="utf-8") as f:
        f.write(seed.hex())
    proc, url, token = t.start_hub(binary, data, "--hub-key-file", key_file,
                               "--federation-links", address(peer_port, peer_pid),
                               "--federation-margin-seconds", "2",
                               "--clearing-interval-seconds", "0",
                               listen="127.0.0.1:%d" % port)
    return proc, url, token


async def member(url, name):
    client = await community.connect(url, Identity.generate())
    await client.register(name, geo.ParticipantKind.PERSON, None)
    return client


async def pay_across(url_a, url_b, ka, kb, port_b, tokens):
    for url, token in zip((url_a, url_b), tokens):
        await geo.AdminClient(url, token).set_equivalent("UAH", 2, "Ukrainian hryvnia")
    # Each hub registers at the other as kind hub; both operators sign both inter-hub lines.
    a_at_a, b_at_b = await community.connect(url_a, ka), await community.connect(url_b, kb)
    a_at_b, b_at_a = await community.connect(url_b, ka), await community.connect(url_a, kb)
    await a_at_a.login()
    await b_at_b.login()
    await a_at_b.register("A", geo.ParticipantKind.HUB, None)
    await b_at_a.register("B", geo.ParticipantKind.HUB, None)
    for creditor, debtor in ((a_at_a, kb), (b_at_a, ka), (b_at_b, ka), (a_at_b, kb)):
        await creditor.set_trust_line(debtor.pid(), "UAH", "50", None)
    alice, bob = await member(url_a, "Alice"), await member(url_b, "Bob")
    await a_at_a.set_trust_line(alice.pid(), "UAH", "100", None)
    await bob.set_trust_line(kb.pid(), "UAH", "100", None)

    bob_address = address(port_b, bob.pid())
    receipt = await alice.pay(geo.PaymentOrder(payee=bob_address, equivalent="UAH", amount="10"))
    check(receipt.status == geo.PaymentState.COMMITTED and receipt.amount == "10.00",
          "committed: %s" % receipt)
    check((receipt.payer, receipt.payee) == (alice.pid(), kb.pid()), "A's part: Alice to B")
    peer = receipt.peer_receipt
    check(peer is not None, "B's receipt comes with A's")
    if peer is None:
        return
    check((peer.payer, peer.payee) == (ka.pid(), bob.pid()), "B's part: A to Bob: %s" % peer)
    check((peer.tx_id, peer.amount, peer.status) == (receipt.tx_id, "10.00",
                                                     geo.PaymentState.COMMITTED), "same payment")
    # Each receipt is the message its own hub signed, independently of the SDK's check.
    now = receipt.decided_at
    for key, text in ((ka, receipt.json), (kb, peer.json)):
        v = geo.MessageVerifier(key.public_key(), now, None, 600, 60)
        check(t.error_code(lambda: v.verify("payment_receipt", text)) is None,
              "signed by %s" % key.pid())
    check(t.error_code(lambda: geo.MessageVerifier(ka.public_key(), now, None, 600, 60)
                       .verify("payment_receipt", peer.json)) == "E_INVALID_SIGNATURE",
          "B's receipt is not A's")
    check(await community.net(alice) == Decimal("-10") and await community.net(bob) == Decimal("10"),
          "Alice owes 10, Bob is owed 10")

    # A signed payment sent twice is paid once, both answers with both receipts; the hub's answer
    # verifies to the same receipts; B's receipt tampered with, or under a key that is not the payee
    # hub's, is a typed E_INVALID_SIGNATURE.
    signed = alice.sign_payment(geo.PaymentOrder(payee=bob_address, equivalent="UAH", amount="2"))
    first = await alice.submit_payment(signed)
    again = await alice.submit_payment(signed)
    check(first == again and first.receipt.peer_receipt is not None
          and first.receipt.peer_receipt.tx_id == signed.tx_id(), "resent: the same outcome")
    check(await community.net(bob) == Decimal("12"), "paid once: %s" % await community.net(bob))
    view = first.payment
    check(view.peer_receipt is not None and view.peer_hub_key == kb.public_key(),
          "the answer carries B's receipt and key")
    check(alice.verify_payment(view) == first.receipt, "the answer verifies to the same receipts")

    def with_(**change):
        return geo.Payment(**{**view.__dict__, **change})

    tampered = with_(peer_receipt=view.peer_receipt.replace('"2.00"', '"20.00"'))
    check(tampered.peer_receipt != view.peer_receipt, "tampered text differs")
    for what, bad in (("tampered", tampered),
                      ("another key", with_(peer_hub_key=Identity.generate().public_key())),
                      ("A's key", with_(peer_hub_key=ka.public_key())),
                      ("no key", with_(peer_hub_key=None))):
        try:
            alice.verify_payment(bad)
            check(False, "%s peer receipt accepted" % what)
        except GeoError.InvalidSignature as e:
            check(e.code == "E_INVALID_SIGNATURE", "%s: %s" % (what, e.code))

    # The payment read back carries B's receipt too, verified by the SDK.
    read = await alice.payment(signed.tx_id())
    check(read.receipt is not None and read.receipt.peer_receipt == first.receipt.peer_receipt,
          "read back with B's receipt: %s" % read)

    # A capacity preview to Bob's geo: address: what both hubs carry (the line has 38 left).
    cap = await alice.capacity(bob_address, "UAH", "38")
    check((cap.payee, cap.max_amount, cap.can_pay) == (bob.pid(), "38.00", True),
          "capacity across: %s" % cap)
    cap = await alice.capacity(bob_address, "UAH", "38.01")
    check(cap.can_pay is False, "one cent more cannot be paid: %s" % cap)
    code = None
    try:
        await alice.capacity(address(9, bob.pid()), "UAH", None)
    except GeoError as e:
        code = e.code
    check(code == "E_HUB_NOT_LINKED", "capacity at an unlinked hub: %s" % code)

    # More than the inter-hub line carries (50, 12 used): refused, nothing moves on either hub.
    try:
        await alice.pay(geo.PaymentOrder(payee=bob_address, equivalent="UAH", amount="39"))
        check(False, "a payment over the inter-hub line's capacity went through")
    except GeoError as e:
        check(e.code == "E_INSUFFICIENT_CAPACITY", "over the line: %s" % e.code)
    check(await community.net(alice) == Decimal("-12") and await community.net(bob) == Decimal("12"),
          "the refusal changed nothing")
    lines = await a_at_b.debts("UAH")
    check([(c.pid, c.i_owe, c.owes_me) for c in lines] == [(kb.pid(), "12.00", "0.00")],
          "A owes B 12 at B, as before the refusal: %s" % lines)
    # A malformed address is refused before anything is sent.
    code = None
    try:
        await alice.pay(geo.PaymentOrder(payee="geo:participant?hub=nope", equivalent="UAH",
                                         amount="1"))
    except GeoError as e:
        code = e.code
    check(code == "E_MALFORMED", "malformed address: %s" % code)


def main():
    if len(sys.argv) < 2:
        check(False, "no geo-hub binary given: the cross-hub story did not run")
    else:
        seed_a, seed_b = secrets.token_bytes(32), secrets.token_bytes(32)
        ka, kb = Identity.from_seed(seed_a), Identity.from_seed(seed_b)
        port_a, port_b = free_port(), free_port()
        with tempfile.TemporaryDirectory() as folder:
            a, url_a, token_a = start_linked(sys.argv[1], folder, "a", seed_a, port_a, port_b, kb.pid())
            try:
                b, url_b, token_b = start_linked(sys.argv[1], folder, "b", seed_b, port_b, port_a, ka.pid())
                try:
                    asyncio.run(pay_across(url_a, url_b, ka, kb, port_b, (token_a, token_b)))
                finally:
                    b.terminate()
                    b.wait(timeout=20)
            finally:
                a.terminate()
                a.wait(timeout=20)
    print("%d passed, %d failed" % (t.passed, t.failed))
    return 1 if t.failed else 0


if __name__ == "__main__":
    sys.exit(main())
