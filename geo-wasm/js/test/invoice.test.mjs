// Invoices (protocol §6.4): a payee signs one, the payer reads its geo:invoice link and pays it at
// a live reference hub; tampered, expired, other-hub and garbage links are typed GeoErrors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadAdmin, loadPackage, startHub } from './hub.mjs';

const geo = await loadPackage();
let hub;
before(async () => {
  hub = await startHub();
});
after(async () => {
  await hub?.stop();
});

/** The code of the GeoError `fn` throws. */
function code(fn) {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof geo.GeoError, `a GeoError, got ${e && e.stack}`);
    return e.code;
  }
  assert.fail('expected a GeoError');
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

const inHours = (h) => new Date(Date.now() + h * 3600e3).toISOString().replace(/\.\d+Z$/, 'Z');

/** base64url of text, without padding (what a link carries). */
const b64url = (text) => Buffer.from(text, 'utf8').toString('base64url');

test('sign, then read the link back; every refusal has its code', () => {
  const payee = geo.Identity.generate();
  const hubPid = geo.Identity.generate().pid;
  const order = { hub: hubPid, equivalent: 'UAH', amount: '42.5', description: 'Мед, 2 банки', expires_at: inHours(24) };
  const signed = geo.signInvoice(payee, order);
  assert.match(signed.uri, /^geo:invoice\?m=[A-Za-z0-9_-]+$/);
  assert.equal(signed.invoice.uri, signed.uri);
  assert.deepEqual(
    { ...signed.invoice, invoice_id: undefined, created_at: undefined, uri: undefined },
    { ...order, payee: payee.pid, invoice_id: undefined, created_at: undefined, uri: undefined },
  );
  const read = geo.readInvoice(signed.uri, hubPid);
  assert.deepEqual(read, signed.invoice);
  assert.deepEqual(geo.readInvoice(signed.uri), signed.invoice, 'no expected hub: any named hub');
  assert.notEqual(geo.signInvoice(payee, order).invoice.invoice_id, read.invoice_id, 'a fresh id each time');

  // The JSON inside the link, with the amount changed after signing.
  const json = Buffer.from(signed.uri.slice('geo:invoice?m='.length), 'base64url').toString('utf8');
  const tampered = 'geo:invoice?m=' + b64url(json.replace('"42.5"', '"4.5"'));
  assert.equal(code(() => geo.readInvoice(tampered)), 'E_INVALID_SIGNATURE');
  assert.equal(code(() => geo.readInvoice(signed.uri, geo.Identity.generate().pid)), 'E_WRONG_AUDIENCE');
  assert.equal(code(() => geo.readInvoice(signed.uri, hubPid, inHours(25))), 'E_EXPIRED');
  for (const garbage of ['', 'hello', 'geo:50.4501,30.5234', 'geo:invoice?m=***', signed.uri + '=', 'geo:invoice?m=' + b64url('{}')]) {
    assert.equal(code(() => geo.readInvoice(garbage)), 'E_MALFORMED', garbage);
  }
  assert.equal(code(() => geo.readInvoice(signed.uri, 'not-a-pid')), 'E_VALIDATION');

  // What a payer would refuse cannot be signed.
  assert.equal(code(() => geo.signInvoice(payee, { ...order, amount: '0' })), 'E_INVALID_AMOUNT');
  assert.equal(code(() => geo.signInvoice(payee, { ...order, amount: '1,5' })), 'E_INVALID_AMOUNT');
  assert.equal(code(() => geo.signInvoice(payee, { ...order, expires_at: inHours(-1) })), 'E_VALIDITY_TOO_LONG');
  assert.equal(code(() => geo.signInvoice(payee, { ...order, expires_at: inHours(31 * 24) })), 'E_VALIDITY_TOO_LONG');
  assert.equal(code(() => geo.signInvoice(payee, { ...order, expires_at: 'tomorrow' })), 'E_VALIDATION');
  assert.equal(code(() => geo.signInvoice(payee, { ...order, description: 'bell\u0007' })), 'E_VALIDATION');
  assert.equal(code(() => geo.signInvoice(payee, { ...order, hub: 'nope' })), 'E_VALIDATION');
  assert.equal(code(() => geo.signInvoice(payee, { ...order, amount: 5 })), 'E_VALIDATION');
});

test('the payer pays an invoice at a live hub; the payee sees it', async () => {
  const admin = new (await loadAdmin()).AdminClient(hub.url, hub.adminToken);
  await admin.setEquivalent('UAH', 2, 'Ukrainian hryvnia');
  const [alice, bob] = await Promise.all(['Alice', 'Bob'].map(async (name) => {
    const c = await geo.HubClient.connect(hub.url, geo.Identity.generate());
    await c.register(name, 'person');
    return c;
  }));
  const bobId = geo.Identity.fromSeedHex('07'.repeat(32));
  const shop = await geo.HubClient.connect(hub.url, bobId);
  await shop.register('Shop', 'business');
  // The shop trusts Alice: she can pay it directly.
  await shop.setTrustLine(alice.pid, 'UAH', '100');

  const { uri, invoice } = geo.signInvoice(bobId, {
    hub: shop.hubPid, equivalent: 'UAH', amount: '12.5', description: 'honey', expires_at: inHours(1),
  });
  // Read in the payer's wallet, then paid.
  const seen = geo.readInvoice(uri, alice.hubPid);
  assert.equal(seen.payee, shop.pid);
  const record = await alice.payInvoice(seen);
  assert.equal(record.payment.status, 'committed');
  assert.equal(record.payment.amount, '12.50');
  assert.equal(record.payment.payee, shop.pid);
  assert.equal(record.payment.description, 'honey');
  assert.equal(record.receipt.status, 'committed');
  assert.equal(record.receipt.amount, '12.50');
  assert.equal(record.payment.invoice_id, invoice.invoice_id, 'the payment names the invoice');
  const atShop = await shop.payment(record.payment.tx_id);
  assert.equal(atShop.payment.payer, alice.pid);
  assert.equal(atShop.payment.invoice_id, invoice.invoice_id, 'the payee matches it to the invoice');

  // A link given as text works too; an edited Invoice object is paid as its link says.
  const second = await alice.payInvoice({ ...invoice, amount: '99', payee: bob.pid });
  assert.equal(second.payment.amount, '12.50');
  assert.equal(second.payment.payee, shop.pid);
  const third = await alice.payInvoice(uri);
  assert.equal(third.payment.status, 'committed');
  assert.notEqual(third.payment.tx_id, second.payment.tx_id);

  // Refused before anything is sent: another hub's invoice, a tampered one, garbage.
  const elsewhere = geo.signInvoice(bobId, {
    hub: geo.Identity.generate().pid, equivalent: 'UAH', amount: '1', expires_at: inHours(1),
  });
  assert.equal((await rejection(alice.payInvoice(elsewhere.invoice))).code, 'E_WRONG_AUDIENCE');
  const json = Buffer.from(uri.slice('geo:invoice?m='.length), 'base64url').toString('utf8');
  const tampered = 'geo:invoice?m=' + b64url(json.replace('"12.5"', '"1.5"'));
  assert.equal((await rejection(alice.payInvoice(tampered))).code, 'E_INVALID_SIGNATURE');
  assert.equal((await rejection(alice.payInvoice('geo:50.45,30.52'))).code, 'E_MALFORMED');
  assert.equal((await rejection(alice.payInvoice({ amount: '1' }))).code, 'E_VALIDATION');
  const debts = await alice.debts('UAH');
  assert.equal(debts.find((d) => d.pid === shop.pid).i_owe, '37.50', 'three payments of 12.50, no more');
});
