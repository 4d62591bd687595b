// The event stream survives the hub going away: the hub process is stopped under a connected
// client (its WebSocket is closed by the server, not by the client) and started again on the
// same port over the same data; the async iterator resumes after its cursor, losing and repeating
// nothing, including a payment made while it was disconnected.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadAdmin, loadPackage, startHub } from './hub.mjs';

const geo = await loadPackage();
const { Identity, HubClient } = geo;
const { AdminClient } = await loadAdmin();
let hub;
after(async () => {
  await hub?.stop();
});

/** The next event, or a failure after 20 s (a lost event must fail, not hang). */
async function next(events) {
  const r = await Promise.race([
    events.next(),
    new Promise((_, reject) => setTimeout(() => reject(new Error('no event within 20 s')), 20000)),
  ]);
  assert.equal(r.done, false);
  return r.value;
}

test('events resume from their cursor after the hub restarts under the client', async () => {
  hub = await startHub();
  await new AdminClient(hub.url, hub.adminToken).setEquivalent('UAH', 2, 'hryvnia');
  const connect = async (name) => {
    const c = await HubClient.connect(hub.url, Identity.generate());
    await c.register(name, 'person');
    return c;
  };
  const alice = await connect('Alice');
  const carol = await connect('Carol');
  await carol.setTrustLine(alice.pid, 'UAH', '100');
  const events = carol.events(0);
  const seen = [];
  const received = () => seen.filter((e) => e.kind === 'payment_received').map((e) => e.data.amount);

  await alice.pay({ payee: carol.pid, equivalent: 'UAH', amount: '1' });
  while (received().length < 1) seen.push(await next(events));
  const before = events.position;

  const pid = hub.pid;
  await hub.restart();
  assert.notEqual(hub.pid, pid, 'a new hub process serves the same port');
  // Paid while Carol's stream is cut off (it is reconnecting with back-off).
  await alice.pay({ payee: carol.pid, equivalent: 'UAH', amount: '2' });
  while (received().length < 2) seen.push(await next(events));
  await alice.pay({ payee: carol.pid, equivalent: 'UAH', amount: '3' });
  while (received().length < 3) seen.push(await next(events));

  assert.deepEqual(received(), ['1.00', '2.00', '3.00'], 'every payment once, in order');
  const ids = seen.map((e) => e.id);
  assert.ok(ids.every((id, i) => i === 0 || id > ids[i - 1]), `ids increase: ${ids}`);
  assert.ok(events.position > before, 'the cursor moved on after the restart');
  events.close();
});
