// The community story against a live reference hub started here, and bad input that must give
// a typed GeoError (never an uncaught exception or a hang).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { loadAdmin, loadPackage, startHub } from './hub.mjs';
import { communityStory } from '../../../examples/js/story.mjs';

const geo = await loadPackage();
let hub;
before(async () => {
  hub = await startHub();
});
after(async () => {
  await hub?.stop();
});

test('the community story against a live hub', async () => {
  const r = await communityStory({ ...geo, ...(await loadAdmin()) }, hub.url, hub.adminToken);
  assert.equal(r.receipt.amount, '10.50');
  assert.equal(r.receipt.routes[0].path.length, 3);
  assert.equal(r.refused, 'E_INSUFFICIENT_CAPACITY');
  assert.ok(r.resent);
  assert.ok(r.eventIds.length >= 4);
  assert.match(r.clearing, /\S/);
});

test('examples/js/community.mjs runs against the hub', async () => {
  const { execFile } = await import('node:child_process');
  const { promisify } = await import('node:util');
  const script = new URL('../../../examples/js/community.mjs', import.meta.url).pathname;
  const { stdout } = await promisify(execFile)(process.execPath, [script, hub.url, hub.adminToken], {
    env: { ...process.env },
    timeout: 60000,
  });
  assert.match(stdout, /done: paid 10\.50 UAH, cleared \S+/);
});

/** A fake "hub" on 127.0.0.1 answering every request with `answer(req, res)`. */
async function fakeHub(answer) {
  const server = createServer(answer);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => {
      server.close();
      server.closeAllConnections();
    },
  };
}

async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof geo.GeoError, `a GeoError, got ${e && e.stack}`);
    return e;
  }
  assert.fail('expected a GeoError');
}

test('bad input is a typed GeoError', async () => {
  const me = geo.Identity.generate();
  const client = await geo.HubClient.connect(hub.url, me);
  assert.equal((await rejection(client.participant('not-a-pid'))).code, 'E_VALIDATION');
  const other = geo.Identity.generate().pid;
  // More decimals than any unit has: refused before anything is sent.
  const e = await rejection(client.pay({ payee: other, equivalent: 'UAH', amount: '1.123456789' }));
  assert.equal(e.code, 'E_INVALID_AMOUNT');
  assert.equal(e.retryable, false);
  // Amounts are strings, never numbers.
  assert.equal((await rejection(client.pay({ payee: other, equivalent: 'UAH', amount: 5 }))).code, 'E_VALIDATION');
  assert.throws(() => geo.parseAmount('1.234', 2), (x) => x instanceof geo.GeoError && x.code === 'E_INVALID_AMOUNT');
  assert.equal((await rejection(geo.HubClient.connect('ftp://x', me))).code, 'E_VALIDATION');
});

test('a hub answering garbage, lying about its key, unreachable or silent', async () => {
  const me = geo.Identity.generate();
  const garbage = await fakeHub((req, res) => res.end('<html>hello</html>'));
  assert.equal((await rejection(geo.HubClient.connect(garbage.url, me))).code, 'E_INVALID_RESPONSE');
  garbage.close();

  const real = await (await fetch(`${hub.url}/api/v1/hub`)).json();
  const impostor = geo.Identity.generate();
  const liar = await fakeHub((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ...real, public_key: impostor.publicKey }));
  });
  assert.equal((await rejection(geo.HubClient.connect(liar.url, me))).code, 'E_INVALID_SIGNATURE');
  liar.close();

  const closed = await fakeHub(() => {});
  const port = new URL(closed.url).port;
  closed.close();
  await new Promise((r) => setTimeout(r, 50));
  const down = await rejection(geo.HubClient.connect(`http://127.0.0.1:${port}`, me, { attempts: 2, base_delay_ms: 10 }));
  assert.equal(down.code, 'E_TRANSPORT');
  assert.equal(down.retryable, true);

  const silent = await fakeHub(() => {}); // accepts, never answers
  const t0 = Date.now();
  const late = await rejection(geo.HubClient.connect(silent.url, me, { attempts: 1, request_timeout_ms: 300 }));
  assert.equal(late.code, 'E_TIMEOUT');
  assert.ok(Date.now() - t0 < 5000, 'no hang');
  silent.close();

  // A hub that refuses with 503 and Retry-After is asked again, by the SDK's policy.
  let calls = 0;
  const busy = await fakeHub((req, res) => {
    calls += 1;
    if (calls === 1) {
      res.writeHead(503, { 'retry-after': '0', 'content-type': 'application/problem+json' });
      return res.end(JSON.stringify({ code: 'E_UNAVAILABLE', title: 'busy', detail: 'later' }));
    }
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(real));
  });
  const c = await geo.HubClient.connect(busy.url, me, { base_delay_ms: 10 });
  assert.equal(c.hubPid, real.hub_pid);
  assert.equal(calls, 2);
  busy.close();
});
