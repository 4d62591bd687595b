// The community story, written once for node and browsers: an operator creates a unit, three
// neighbours register, extend trust, pay along a chain with a verified receipt, get a typed refusal,
// resend a payment whose answer was "lost" without paying twice, follow their live events across a
// dropped connection, and see a debt cycle cleared. `geo` is the imported package. Without an
// operator token (a browser page: the hub's CORS rules do not let pages send `X-Admin-Token`) the
// unit UAH must already exist.
function check(cond, what) {
  if (!cond) throw new Error(`story: ${what}`);
}

async function nextEvent(stream, ms = 10000) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('story: no event within ' + ms + ' ms')), ms);
  });
  try {
    const r = await Promise.race([stream.next(), timeout]);
    check(!r.done, 'the event stream ended');
    return r.value;
  } finally {
    clearTimeout(timer);
  }
}

// `geo` is the package's namespace (`@geo/client`), with `AdminClient` (`@geo/client/admin`) when
// an `adminToken` is given.
export async function communityStory(geo, url, adminToken, log = () => {}) {
  const { Identity, HubClient, AdminClient, GeoError } = geo;
  const admin = adminToken ? new AdminClient(url, adminToken) : null;
  if (admin) await admin.setEquivalent('UAH', 2, 'Ukrainian hryvnia');

  const [alice, bob, carol] = await Promise.all(
    ['Alice', 'Bob', 'Carol'].map(async (name) => {
      const c = await HubClient.connect(url, Identity.generate());
      await c.register(name, 'person');
      return c;
    }),
  );
  log(`registered alice ${alice.pid}, bob ${bob.pid}, carol ${carol.pid}`);
  check((await carol.equivalents()).some((e) => e.code === 'UAH'), 'UAH exists');

  // Carol follows her events from the start.
  const events = carol.events(0);

  // Bob lets Alice owe him 100, Carol lets Bob owe her 100: Alice can pay Carol through Bob.
  await bob.setTrustLine(alice.pid, 'UAH', '100');
  await carol.setTrustLine(bob.pid, 'UAH', '100');
  const lines = await bob.trustLines({ direction: 'outgoing' });
  check(lines.length === 1 && lines[0].limit === '100.00', 'bob sees his line');

  const receipt = await alice.pay({ payee: carol.pid, equivalent: 'UAH', amount: '10.5', description: 'veg box' });
  check(receipt.status === 'committed' && receipt.amount === '10.50', 'multi-hop payment committed');
  check(receipt.routes[0].path.length === 3 && receipt.routes[0].path[1] === bob.pid, 'routed through bob');
  const record = await alice.payment(receipt.tx_id);
  const again = geo.verifyReceipt(alice.hubInfo, record.payment);
  check(again.request_digest === receipt.request_digest, 'the receipt verifies on its own');
  log(`alice paid carol 10.50 via bob, receipt ${receipt.tx_id}`);

  let refused = null;
  try {
    await alice.pay({ payee: carol.pid, equivalent: 'UAH', amount: '1000' });
  } catch (e) {
    refused = e;
  }
  check(refused instanceof GeoError, 'a refusal is a GeoError');
  check(refused.code === 'E_INSUFFICIENT_CAPACITY' && refused.retryable === false, `refused: ${refused && refused.code}`);
  log(`1000 refused with ${refused.code}`);

  // A lost answer: the same signed request is sent again; the hub applies it once.
  const signed = alice.signPayment({ payee: carol.pid, equivalent: 'UAH', amount: '5' });
  const first = await alice.submitPayment(signed);
  const second = await alice.submitPayment(signed);
  check(first.payment.tx_id === second.payment.tx_id, 'the resend is the same payment');
  check(second.receipt && second.receipt.status === 'committed', 'the resend has the verified receipt');
  const history = await alice.historyPage({ direction: 'sent' });
  check(history.items.filter((p) => p.status === 'committed').length === 2, 'two payments, not three');
  const aliceBalance = (await alice.balance()).find((b) => b.equivalent === 'UAH');
  check(aliceBalance.debt === '15.50', `alice owes 15.50 once, not ${aliceBalance.debt}`);
  log('a resent payment was applied once');

  // Events: read what happened, drop the connection, pay again, and resume without duplicates.
  const seen = [];
  while (seen.filter((e) => e.kind === 'payment_received').length < 2) seen.push(await nextEvent(events));
  events.dropConnection();
  await alice.pay({ payee: carol.pid, equivalent: 'UAH', amount: '1' });
  let after;
  do {
    after = await nextEvent(events);
    seen.push(after);
  } while (after.kind !== 'payment_received');
  check(after.data.amount === '1.00', 'the payment made while disconnected arrived');
  const ids = seen.map((e) => e.id);
  check(ids.every((id, i) => i === 0 || id > ids[i - 1]), 'event ids increase, no duplicates');
  log(`events resumed after a dropped connection at ${events.position}`);

  // A cycle: Alice lets Carol owe her; Carol pays Alice 5 directly; debts alice→bob→carol→alice clear.
  await alice.setTrustLine(carol.pid, 'UAH', '50');
  await carol.pay({ payee: alice.pid, equivalent: 'UAH', amount: '5' });
  let clearings = await alice.clearings();
  if (clearings.length === 0 && admin) {
    await admin.runClearing('UAH');
    clearings = await alice.clearings();
  }
  check(clearings.length >= 1 && clearings[0].edges.length === 3, 'a three-edge cycle was cleared');
  const cleared = (await alice.balance()).find((b) => b.equivalent === 'UAH');
  check(cleared.debt === '11.50', `alice owes 11.50 after clearing, not ${cleared.debt}`);
  log(`cycle cleared: ${clearings[0].clearing_id}`);
  events.close();

  return {
    hub: alice.hubPid,
    receipt,
    refused: refused.code,
    resent: second.payment.tx_id === first.payment.tx_id,
    eventIds: ids,
    clearing: clearings[0].clearing_id,
  };
}
