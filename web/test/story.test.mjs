// The community's story in headless Chromium against a live hub, through the wallet and the
// console the hub serves: the operator makes an equivalent; Alice and Bob onboard in their own
// browsers, trust each other and pay by a signed payment request (QR code and link); Carol
// joins and a debt cycle is cleared with Bob's consent; Bob restores his wallet from the 24
// words on a new device and pays again; the operator finds, suspends and reactivates a member,
// checks integrity and reads the live figures. Every screen is photographed at phone and desktop
// sizes and checked by axe; bad input in each form shows a message and sends nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import QRCode from 'qrcode';
import { startHub, loadPackage, launch, device, shot, sendsNothing, accessibilityViolations, cameraSees, SHOTS } from './support.mjs';

const PASS = 'correct horse battery';
let hub;
let browser;
let geo;
const members = {};

before(async () => {
  assert.ok(existsSync(process.env.GEO_CHROMIUM || '/usr/bin/chromium'), 'Debian chromium is missing: scripts/setup installs it');
  // Clearing runs when the operator says so in this story, not on the hub's schedule.
  process.env.GEO_CLEARING_INTERVAL_SECONDS = '0';
  hub = await startHub();
  geo = await loadPackage();
  browser = await launch();
});
after(async () => {
  // The last state of every page, for reading a failure.
  for (const [name, m] of Object.entries(members)) {
    await m.page.screenshot({ path: `${SHOTS}/last-${name}.png`, fullPage: true }).catch(() => {});
    if (m.page.errors.length) console.log(name, 'page errors:', m.page.errors);
  }
  await browser?.close();
  await hub?.stop();
});

const text = (page, sel) => page.locator(sel).first().innerText();
const go = (page, name) => page.getByRole('navigation').getByRole('link', { name, exact: true }).click();

/** Onboards a member in a fresh browser: create, write down and confirm the words, passphrase, register. */
async function onboard(name, { checks = false } = {}) {
  const { context, page } = await device(browser, name);
  await page.goto(hub.url + '/');
  await page.getByRole('button', { name: 'Create a new wallet' }).click();
  await page.getByTestId('backup-words').waitFor();
  const words = await page.locator('.words .w').allInnerTexts();
  assert.equal(words.length, 24);
  if (checks) {
    await assert.doesNotReject(page.getByText('never leaves this page').first().waitFor());
    await shot(page, 'onboarding-words');
  }
  await page.getByRole('button', { name: 'I have written them down' }).click();
  const asked = page.locator('[data-position]');
  await asked.first().waitFor();
  const positions = await asked.evaluateAll((xs) => xs.map((x) => Number(x.dataset.position)));
  assert.equal(positions.length, 3);
  if (checks) {
    for (let i = 0; i < 3; i++) await asked.nth(i).fill('wrong');
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByText('do not match your backup').waitFor();
    await shot(page, 'onboarding-confirm-wrong');
  }
  for (let i = 0; i < 3; i++) await asked.nth(i).fill(words[positions[i] - 1]);
  await page.getByRole('button', { name: 'Confirm' }).click();
  if (checks) {
    await page.locator('#pass1').fill('short');
    await page.locator('#pass2').fill('short');
    await page.getByRole('button', { name: 'Encrypt and save' }).click();
    await page.getByText('at least 8 characters').first().waitFor();
    await shot(page, 'onboarding-passphrase');
  }
  await page.locator('#pass1').fill(PASS);
  await page.locator('#pass2').fill(PASS);
  await page.getByRole('button', { name: 'Encrypt and save' }).click();
  await page.getByTestId('register').waitFor({ timeout: 30000 });
  if (checks) await shot(page, 'onboarding-register');
  await page.locator('#display-name').fill(name);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.getByTestId('dashboard').waitFor();
  await go(page, 'Settings');
  const pid = await text(page, '[data-testid=my-pid]');
  await go(page, 'Home');
  members[name] = { context, page, words, pid };
  return members[name];
}

test('the operator signs in and creates an equivalent in the console', { timeout: 60000 }, async () => {
  const { context, page } = await device(browser, 'operator');
  members.operator = { context, page };
  await page.goto(hub.url + '/admin');
  await page.getByTestId('sign-in').waitFor();
  await shot(page, 'console-sign-in');
  await page.locator('#admin-token').fill('not-the-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('The token is missing or not accepted').waitFor();
  await page.locator('#admin-token').fill(hub.adminToken);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await go(page, 'Equivalents');
  await sendsNothing(page, async () => {
    await page.locator('#eq-code').fill('UAH');
    await page.locator('#eq-precision').fill('9');
    await page.getByRole('button', { name: 'Save and activate' }).click();
    await page.locator('#eq-precision-error').waitFor();
    await page.locator('#eq-code').fill('u a h');
    await page.getByRole('button', { name: 'Save and activate' }).click();
    await page.locator('#eq-code-error').waitFor();
  });
  await shot(page, 'console-equivalent-bad-input');
  await page.locator('#eq-code').fill('UAH');
  await page.locator('#eq-precision').fill('2');
  await page.locator('#eq-desc').fill('Ukrainian hryvnia');
  await page.getByRole('button', { name: 'Save and activate' }).click();
  await page.getByText('UAH is active with 2 decimal places').waitFor();
  await page.getByTestId('equivalent-row').filter({ hasText: 'UAH' }).waitFor();
  await shot(page, 'console-equivalents');
  assert.deepEqual(page.errors, []);
});

test('Alice and Bob onboard in their own browsers', { timeout: 120000 }, async () => {
  const alice = await onboard('Alice', { checks: true });
  const bob = await onboard('Bob');
  assert.notEqual(alice.pid, bob.pid);
  assert.match(await text(alice.page, '[data-testid=dashboard] h1'), /Hello, Alice/);
  await shot(alice.page, 'dashboard-empty');
});

test('Alice trusts Bob, found by name; bad limits are refused before signing', { timeout: 60000 }, async () => {
  const { page } = members.Alice;
  await go(page, 'Trust lines');
  await sendsNothing(page, async () => {
    await page.locator('#trust-member').fill('Bob');
    await page.locator('#trust-limit').fill('100.123');
    await page.getByRole('button', { name: 'Sign and save' }).click();
    await page.getByText('This is not a valid PID').waitFor();
    await page.getByText('too many decimal places').waitFor();
  });
  await shot(page, 'trust-bad-input');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('button', { name: /^Bob/ }).click();
  assert.equal(await page.locator('#trust-member').inputValue(), members.Bob.pid);
  await page.locator('#trust-limit').fill('100');
  await page.getByRole('button', { name: 'Sign and save' }).click();
  await page.getByText('Bob may now owe you up to 100 UAH').waitFor();
  await page.getByTestId('line-given').filter({ hasText: '0.00 used of 100.00' }).waitFor();
  await shot(page, 'trust-lines');
});

/** The same link with the payee's amount changed and everything else (the signature) kept. */
function tampered(link) {
  const m = new URL(link.replace('geo:', 'geo://x/')).searchParams.get('m');
  const doc = JSON.parse(Buffer.from(m, 'base64url').toString('utf8'));
  doc.payload.amount = '99.50';
  return 'geo:invoice?m=' + Buffer.from(JSON.stringify(doc)).toString('base64url');
}

test('Alice asks Bob for 12.50 with a signed payment request; he checks it and pays by its link', { timeout: 60000 }, async () => {
  const alice = members.Alice.page;
  await go(alice, 'Request');
  await alice.locator('#req-amount').fill('12.505');
  await alice.getByRole('button', { name: 'Sign the request' }).click();
  await alice.getByText('too many decimal places').waitFor();
  await alice.locator('#req-amount').fill('12.50');
  await alice.locator('#req-desc').fill('Honey, 2 jars');
  await alice.getByRole('button', { name: 'Sign the request' }).click();
  const made = alice.getByTestId('request-made');
  await made.getByTestId('qr').waitFor();
  const link = await made.getByTestId('request-link').inputValue();
  assert.match(link, /^geo:invoice\?m=[A-Za-z0-9_-]+$/);
  // The QR code carries exactly this link.
  const src = await made.getByTestId('qr').getAttribute('src');
  const svg = decodeURIComponent(src.slice(src.indexOf(',') + 1));
  assert.equal(svg, await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }));
  await shot(alice, 'request-qr');

  const { page } = members.Bob;
  await go(page, 'Pay');
  const stranger = geo.Identity.generate().pid;
  await sendsNothing(page, async () => {
    await page.locator('#invoice-link').fill(tampered(link));
    await page.getByRole('button', { name: 'Open the request' }).click();
    await page.getByText('this payment request was changed or is not genuine').waitFor();
    await page.locator('#invoice-link').fill('geo:invoice?m=bm90IGpzb24');
    await page.getByRole('button', { name: 'Open the request' }).click();
    await page.locator('#invoice-link-error').waitFor();
    await page.locator('#invoice-link').fill('');
    await page.locator('#pay-to').fill(stranger);
    await page.locator('#pay-amount').fill('5');
    await page.getByRole('button', { name: 'Check what can be sent' }).click();
    await page.getByText('No member of this hub has this PID').waitFor();
    await page.locator('#pay-to').fill(members.Alice.pid);
    await page.locator('#pay-amount').fill('1.234');
    await page.getByRole('button', { name: 'Check what can be sent' }).click();
    await page.getByText('too many decimal places').waitFor();
  });
  await shot(page, 'pay-bad-input');
  // Bob points his camera at Alice's QR code: the scanner reads her link and opens the request.
  cameraSees(link);
  await members.Bob.context.grantPermissions(['camera'], { origin: hub.url });
  await page.locator('#invoice-link').fill('');
  await page.getByRole('button', { name: 'Scan a QR code' }).click();
  const invoice = page.getByTestId('invoice');
  await invoice.waitFor({ timeout: 20000 });
  assert.equal(await page.locator('#invoice-link').inputValue(), link);
  await page.getByTestId('scanner').waitFor({ state: 'detached' });
  await invoice.getByText('The payee’s signature is checked').waitFor();
  assert.match(await invoice.innerText(), /12\.50 UAH[\s\S]*Alice[\s\S]*Honey, 2 jars/);
  await page.getByText('Up to 100.00 UAH can reach this member now').waitFor();
  await shot(page, 'pay-request-preview');
  await page.getByRole('button', { name: 'Sign and pay 12.50 UAH' }).click();
  const receipt = page.getByTestId('receipt');
  await receipt.getByRole('heading', { name: 'Paid', exact: true }).waitFor();
  await receipt.getByText('The hub’s signed receipt is verified').waitFor();
  assert.match(await receipt.innerText(), /12\.50 UAH/);
  await shot(page, 'pay-receipt');
  assert.deepEqual(page.errors, []);
});

test('Alice is notified at once and sees the payment in her history and balance', { timeout: 60000 }, async () => {
  const { page } = members.Alice;
  await page.getByTestId('toast').getByText('Received 12.50 UAH from').waitFor({ timeout: 20000 });
  await shot(page, 'notification-toast');
  await go(page, 'History');
  await page.getByTestId('payment').filter({ hasText: '+12.50 UAH' }).waitFor();
  await page.locator('#h-dir').selectOption('sent');
  await page.getByText('No payments yet.').waitFor();
  await page.locator('#h-dir').selectOption('received');
  await page.getByTestId('payment').filter({ hasText: 'Bob' }).waitFor();
  await shot(page, 'history');
  await go(page, 'Home');
  const card = page.locator('[data-equivalent=UAH]');
  await card.locator('[data-testid=credit]', { hasText: /^12\.50$/ }).waitFor();
  await shot(page, 'dashboard');
  await page.getByRole('navigation').getByRole('link', { name: /Notifications/ }).click();
  await page.getByTestId('notifications').getByText('Received 12.50 UAH from').waitFor();
  await shot(page, 'notifications');
});

test('a debt cycle with Carol is cleared once Bob consents', { timeout: 120000 }, async () => {
  const carol = await onboard('Carol');
  const alice = members.Alice.page;
  const bob = members.Bob.page;
  // Carol trusts Alice; Bob trusts Carol but wants to be asked before clearing on that line.
  const trust = async (page, who, auto) => {
    await go(page, 'Trust lines');
    await page.locator('#trust-member').fill(who);
    await page.locator('#trust-limit').fill('100');
    if (!auto) await page.locator('#trust-auto').uncheck();
    await page.getByRole('button', { name: 'Sign and save' }).click();
    await page.getByText('may now owe you up to 100 UAH').waitFor();
  };
  await trust(carol.page, members.Alice.pid, true);
  await trust(bob, carol.pid, false);
  const pay = async (page, to) => {
    await go(page, 'Pay');
    await page.locator('#pay-to').fill(to);
    await page.locator('#pay-amount').fill('12.50');
    await page.getByRole('button', { name: 'Check what can be sent' }).click();
    await page.getByRole('button', { name: 'Sign and pay 12.50 UAH' }).click();
    await page.getByTestId('receipt').getByRole('heading', { name: 'Paid', exact: true }).waitFor();
  };
  await pay(alice, carol.pid);
  await pay(carol.page, members.Bob.pid);
  // Dave joins from his own program (the npm package in node) and trusts Carol: two lines from Bob.
  const dave = await geo.HubClient.connect(hub.url, geo.Identity.generate());
  await dave.register('Dave', 'person');
  await dave.setTrustLine(carol.pid, 'UAH', '50');
  await go(bob, 'Network');
  await bob.getByTestId('neighbour').nth(1).waitFor();
  const picture = bob.getByTestId('network-picture');
  await picture.locator('[data-testid=network-member][data-hops="2"]', { hasText: 'Dave' }).waitFor();
  assert.equal(await picture.locator('[data-testid=network-member][data-hops="1"]').count(), 2);
  await bob.getByTestId('distant').filter({ hasText: 'Dave' }).getByText('2 lines away, through Carol').waitFor();
  // Bob owes Alice, Carol owes Bob, Alice owes Carol (amount not Bob's to see), Dave trusts Carol.
  const edges = async (k) => picture.locator(`line.edge.${k}`).count();
  assert.deepEqual([await edges('owe'), await edges('owed'), await edges('debt'), await edges('plain')], [1, 1, 1, 1]);
  await shot(bob, 'network');
  await bob.locator('#net-depth').selectOption('1');
  await picture.locator('[data-testid=network-member]', { hasText: 'Dave' }).waitFor({ state: 'detached' });
  await bob.locator('#net-depth').selectOption('2');

  // The operator runs the clearing: Bob's consent is needed.
  const op = members.operator.page;
  await go(op, 'Clearing');
  await op.getByRole('button', { name: 'Run clearing now' }).click();
  await op.getByTestId('run').getByText('members must consent').waitFor();
  await shot(op, 'console-clearing');

  await bob.getByTestId('toast').getByText('A clearing in UAH is proposed').waitFor({ timeout: 20000 });
  await go(bob, 'Clearing');
  const proposal = bob.getByTestId('proposal');
  await proposal.waitFor();
  assert.equal(await proposal.locator('.edges li').count(), 3);
  await shot(bob, 'clearing-proposal');
  await proposal.getByRole('button', { name: 'Accept' }).click();
  await bob.getByTestId('clearing-message').getByText('You accepted').waitFor();
  await bob.getByTestId('cleared').first().waitFor({ timeout: 20000 });
  await shot(bob, 'clearing-done');

  // The console lists the clearing with the amount it cleared (three debts of 12.50) and its
  // verified receipt…
  await op.getByRole('button', { name: 'Refresh' }).click();
  const applied = op.getByTestId('clearing');
  await applied.getByTestId('cleared-total').getByText('cleared 37.50 UAH over 3 debts').waitFor();
  await applied.getByTestId('receipt-verified').waitFor();
  await applied.getByText('Set-offs').click();
  assert.equal(await applied.locator('.edges li').count(), 3);
  await shot(op, 'console-clearings');
  // …and refuses to show receipts changed on the way.
  const list = '**/api/v1/admin/clearings*';
  await op.route(list, async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    body.items[0].receipt.payload.total = '99.00';
    await route.fulfill({ response, json: body });
  });
  await op.getByRole('button', { name: 'Refresh' }).click();
  await op.getByTestId('receipts-refused').getByText('does not verify against the hub').waitFor();
  assert.equal(await op.getByTestId('clearing').count(), 0);
  await op.unroute(list);
  await op.getByRole('button', { name: 'Refresh' }).click();
  await applied.getByTestId('receipt-verified').waitFor();
  await go(bob, 'Home');
  await bob.locator('[data-equivalent=UAH] [data-testid=debt]', { hasText: /^0\.00$/ }).waitFor();
  await bob.locator('[data-equivalent=UAH] [data-testid=credit]', { hasText: /^0\.00$/ }).waitFor();
});

test('closing a line with debt is refused with the hub’s explanation', { timeout: 60000 }, async () => {
  // Bob owes Alice 5 after this; Alice tries to close her line to Bob.
  const bob = members.Bob.page;
  await go(bob, 'Pay');
  await bob.locator('#pay-to').fill(members.Alice.pid);
  await bob.locator('#pay-amount').fill('5');
  await bob.getByRole('button', { name: 'Check what can be sent' }).click();
  await bob.getByRole('button', { name: 'Sign and pay 5 UAH' }).click();
  await bob.getByTestId('receipt').getByRole('heading', { name: 'Paid', exact: true }).waitFor();
  const alice = members.Alice.page;
  await go(alice, 'Trust lines');
  await alice.getByTestId('line-given').filter({ hasText: 'Bob' }).getByRole('button', { name: 'Close' }).click();
  await alice.getByTestId('trust-message').getByText('The hub refused to close this line').waitFor();
  await shot(alice, 'trust-close-refused');
});

test('Bob restores his wallet from the 24 words on a new device and pays again', { timeout: 120000 }, async () => {
  const { page } = await device(browser, 'Bob-restored');
  await page.goto(hub.url + '/');
  await page.getByRole('button', { name: 'Restore from words or a key file' }).click();
  await page.locator('#phrase').fill(members.Bob.words.slice(0, 23).join(' ') + ' zzzz');
  await page.getByRole('button', { name: 'Restore from words' }).click();
  await page.getByText('These are not 24 valid backup words').waitFor();
  await shot(page, 'restore-bad-phrase');
  await page.locator('#phrase').fill(members.Bob.words.join(' '));
  await page.getByRole('button', { name: 'Restore from words' }).click();
  await page.locator('#pass1').fill('another passphrase');
  await page.locator('#pass2').fill('another passphrase');
  await page.getByRole('button', { name: 'Encrypt and save' }).click();
  await page.getByTestId('dashboard').getByText('Hello, Bob').waitFor({ timeout: 30000 });

  // A wrong passphrase opens nothing and sends nothing.
  await go(page, 'Settings');
  await page.getByRole('button', { name: 'Lock the wallet' }).click();
  await sendsNothing(page, async () => {
    await page.locator('#unlock-pass').fill('not my passphrase');
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByText('Wrong passphrase.').waitFor({ timeout: 30000 });
  });
  await shot(page, 'unlock-wrong-passphrase');
  await page.locator('#unlock-pass').fill('another passphrase');
  await page.getByRole('button', { name: 'Open' }).click();
  await page.getByTestId('dashboard').waitFor({ timeout: 30000 });

  await go(page, 'Pay');
  await page.locator('#pay-to').fill(members.Alice.pid);
  await page.locator('#pay-amount').fill('2.25');
  await page.getByRole('button', { name: 'Check what can be sent' }).click();
  await page.getByRole('button', { name: 'Sign and pay 2.25 UAH' }).click();
  await page.getByTestId('receipt').getByRole('heading', { name: 'Paid', exact: true }).waitFor();
  await members.Alice.page.getByTestId('toast').getByText('Received 2.25 UAH from').waitFor({ timeout: 20000 });
  await go(page, 'Settings');
  await shot(page, 'settings');
  assert.deepEqual(page.errors, []);
});

test('the console suspends and reactivates a member and checks integrity', { timeout: 60000 }, async () => {
  const op = members.operator.page;
  await go(op, 'Participants');
  await op.locator('#member-q').fill('Carol');
  await op.getByRole('button', { name: 'Search' }).click();
  const row = op.getByTestId('member').filter({ hasText: 'Carol' });
  await row.getByTestId('member-status').getByText('active').waitFor();
  assert.equal(await op.getByTestId('member').count(), 1);
  await op.locator('#member-reason').fill('test of the console');
  await row.getByRole('button', { name: 'Suspend' }).click();
  await row.getByTestId('member-status').getByText('suspended').waitFor();
  await shot(op, 'console-participants');
  // Carol's wallet hears of it at once.
  await members.Carol.page.getByTestId('toast').getByText('Your status is now suspended').waitFor({ timeout: 20000 });
  await row.getByRole('button', { name: 'Reactivate' }).click();
  await row.getByTestId('member-status').getByText('active').waitFor();
  // Everyone, of every status, when the search is empty.
  await op.locator('#member-q').fill('');
  await op.getByRole('button', { name: 'Search' }).click();
  await op.getByTestId('member').nth(2).waitFor();
  await go(op, 'Integrity');
  await op.getByRole('button', { name: 'Check now' }).click();
  await op.getByTestId('integrity-report').getByText('Everything checks out.').waitFor();
  await shot(op, 'console-integrity');
  // The live figures: five payments so far; Bob owes Alice 7.25 after the cycle was cleared.
  await go(op, 'Figures');
  await op.locator('[data-testid=committed]', { hasText: /^5$/ }).waitFor();
  const uah = op.getByTestId('equivalent-figures').filter({ hasText: 'UAH' });
  await uah.locator('[data-testid=debt-outstanding]', { hasText: /^7\.25$/ }).waitFor();
  assert.notEqual(await uah.getByTestId('cleared-to-date').innerText(), '0.00');
  await shot(op, 'console-figures');
  assert.deepEqual(op.errors, []);
});

test('Ukrainian, the offline state, no page errors and no serious accessibility violations', { timeout: 60000 }, async () => {
  const { page, context } = members.Alice;
  await go(page, 'Home');
  await page.getByRole('combobox', { name: 'Language' }).selectOption('uk');
  await page.getByText('Вітаємо, Alice').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'uk');
  await shot(page, 'dashboard-uk');
  await page.getByRole('combobox', { name: 'Мова' }).selectOption('en');

  // The service worker keeps the whole app shell (pages, scripts, the wasm module, icons)…
  await page.evaluate(() => navigator.serviceWorker.ready);
  const cached = await page.evaluate(async () => {
    const keys = await caches.keys();
    const cache = await caches.open(keys.find((k) => k.startsWith('geo-')));
    return (await cache.keys()).map((r) => new URL(r.url).pathname);
  });
  const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname).filter((p) => p.startsWith('/assets/')));
  for (const p of ['/', '/admin/', '/manifest.webmanifest', ...loaded]) assert.ok(cached.includes(p), `${p} is not in the app shell cache: ${cached}`);
  assert.ok(cached.some((p) => p.endsWith('.wasm')));
  // …and when the connection drops, the wallet says so at once.
  await context.setOffline(true);
  await page.getByTestId('offline').getByText('You are offline').waitFor();
  await shot(page, 'offline');
  // Reloaded with no connection at all, the shell comes from the service worker: the page, its
  // scripts and the wasm module start, and the wallet asks for the passphrase under the offline
  // notice; opening it says the hub cannot be reached and sends nothing.
  await page.reload();
  await page.locator('body[data-ready="1"]').waitFor();
  await page.getByTestId('offline').getByText('You are offline').waitFor();
  await page.locator('#unlock-pass').fill(PASS);
  await page.getByRole('button', { name: 'Open' }).click();
  await page.getByText('The hub cannot be reached').waitFor({ timeout: 30000 });
  await shot(page, 'offline-reload');
  await context.setOffline(false);
  await page.getByTestId('offline').waitFor({ state: 'detached' });
  await page.getByRole('button', { name: 'Open' }).click();
  await page.getByTestId('dashboard').waitFor({ timeout: 30000 });

  for (const m of ['Alice', 'Bob', 'Carol']) assert.deepEqual(members[m].page.errors, [], `${m}'s page errors`);
  assert.deepEqual(accessibilityViolations(), []);
});
