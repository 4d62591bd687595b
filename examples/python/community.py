#!/usr/bin/env python3
"""A small community end to end through the Python bindings (the story of examples/rust/community.rs).

Three neighbours register, extend trust to each other, pay across two hops, see a refused payment,
resend a payment whose answer was lost without paying twice, watch a debt cycle cleared, and
restore a key from its phrase that pays again.

    pip install geo-ffi/   # or the wheel from `maturin build -m geo-ffi/Cargo.toml`
    python3 examples/python/community.py http://127.0.0.1:8080 "$(cat data/admin.token)"
"""

import asyncio
import sys
from decimal import Decimal

from geo_ffi import (AdminClient, GeoError, HubClientBuilder, Identity, ParticipantKind,
                     PaymentOrder, RetryPolicy, amount_text, to_decimal)


async def connect(url, identity):
    return await (HubClientBuilder(url, identity)
                  .request_timeout_ms(10_000)
                  .retry_policy(RetryPolicy(attempts=3, base_delay_ms=100, max_delay_ms=1_000))
                  .connect())


async def net(client):
    """Net position in UAH as an exact Decimal (amounts are decimal text, never floats)."""
    for b in await client.balance():
        if b.equivalent == "UAH":
            return to_decimal(b.net)
    return Decimal("0")


async def run(url, admin_token):
    """Runs the story; returns what it saw so a test can check it."""
    seen = {}
    await AdminClient(url, admin_token).set_equivalent("UAH", 2, "Ukrainian hryvnia")

    alice_key = Identity.generate()
    alice, bob, carol = [await connect(url, k) for k in
                         (alice_key, Identity.generate(), Identity.generate())]
    for who, name in ((alice, "Alice"), (bob, "Bob"), (carol, "Carol")):
        await who.register(name, ParticipantKind.PERSON, {"city": "Kyiv"})
        print(f"{name} registered as {who.pid()}")

    # A trust line "X -> Y" lets Y owe X: Bob trusts Alice, Carol trusts Bob, Alice trusts Carol.
    await bob.set_trust_line(alice.pid(), "UAH", "100", None)
    await carol.set_trust_line(bob.pid(), "UAH", "100", None)
    await alice.set_trust_line(carol.pid(), "UAH", "100", None)

    events = alice.events(0)  # async-iterable; `await alice.events(0)` gives the EventStream

    # Alice pays Carol, whom she has no line with: the hub routes through Bob.
    receipt = await alice.pay(PaymentOrder(payee=carol.pid(), equivalent="UAH", amount="30",
                                           description="vegetables"))
    seen["path"] = list(receipt.routes[0].path)
    print(f"Alice paid Carol {receipt.amount} UAH over {len(seen['path']) - 1} hops "
          f"(receipt verified, journal #{receipt.journal_seq})")

    # More than any chain of trust allows: refused, nothing changes.
    try:
        await alice.pay(PaymentOrder(payee=carol.pid(), equivalent="UAH", amount="1000"))
        seen["refused"] = None
    except GeoError.Hub as e:
        seen["refused"] = e.code
        print(f"refused: {e.code} (retryable: {e.is_retryable})")

    # A lost answer: the same signed payment sent twice is applied once.
    before = await net(bob)
    signed = bob.sign_payment(PaymentOrder(payee=alice.pid(), equivalent="UAH", amount="5"))
    first = await bob.submit_payment(signed)
    again = await bob.submit_payment(signed)
    seen["resent_same_tx"] = first.payment.tx_id == again.payment.tx_id == signed.tx_id()
    seen["bob_moved"] = before - await net(bob)
    print(f"Bob's payment {signed.tx_id()} sent twice, his net moved by {seen['bob_moved']}")

    # Carol pays Alice 20 directly: that closes the cycle Alice -> Bob -> Carol -> Alice, which
    # the hub sets off at once.
    await carol.pay(PaymentOrder(payee=alice.pid(), equivalent="UAH", amount="20"))

    async def first_clearing():
        async for event in events:
            if event.kind.is_clearing_committed():
                print(f"event #{event.id}: cleared {len(event.kind.edges)} debts of the cycle")
                return [e.amount for e in event.kind.edges]
            print(f"event #{event.id}: {type(event.kind).__name__}")
        raise RuntimeError("the event stream ended")

    cleared = await asyncio.wait_for(first_clearing(), timeout=20)
    await events.cancel()
    seen["cleared"] = cleared

    # Alice loses her phone: her key comes back from the 24 words, and pays again.
    restored = await connect(url, Identity.from_phrase(alice_key.phrase()))
    # Amounts as Decimal: amount_text gives the exact canonical text ("1.50"), never a float.
    again = await restored.pay(PaymentOrder(payee=bob.pid(), equivalent="UAH",
                                            amount=amount_text(Decimal("1.5"), 2)))
    seen["restored_pid"] = restored.pid() == alice.pid()
    seen["restored_paid"] = again.amount
    print(f"restored Alice ({restored.pid()}) paid Bob {again.amount}")

    seen["nets"] = []
    for who, name in ((alice, "Alice"), (bob, "Bob"), (carol, "Carol")):
        n = await net(who)
        print(f"{name}: net {n} UAH")
        seen["nets"].append(n)
    return seen


def main():
    url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
    token = sys.argv[2] if len(sys.argv) > 2 else ""
    try:
        asyncio.run(run(url, token))
    except GeoError as e:
        print(f"error {e.code}: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
