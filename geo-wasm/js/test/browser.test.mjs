// The same story in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core; no
// browser is ever downloaded): examples/js/browser.html served from 127.0.0.1, talking to a live
// hub on another origin through its CORS-enabled API, plus the key file round trip in the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, normalize, extname } from 'node:path';
import { chromium } from 'playwright-core';
import { loadAdmin, root, startHub } from './hub.mjs';

const CHROMIUM = process.env.GEO_CHROMIUM || '/usr/bin/chromium';
const pkgDir = process.env.GEO_PKG || join(root, 'target/npm/geo');
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

let hub;
let site;
before(async () => {
  hub = await startHub();
  // The operator's step runs here: pages cannot send X-Admin-Token through the hub's CORS rules.
  const { AdminClient } = await loadAdmin();
  await new AdminClient(hub.url, hub.adminToken).setEquivalent('UAH', 2, 'Ukrainian hryvnia');
  // /pkg/… is the built package, everything else the repository's examples/js.
  site = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = path.startsWith('/pkg/')
      ? join(pkgDir, normalize(path.slice(5)))
      : join(root, 'examples/js', normalize(path));
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((r) => site.listen(0, '127.0.0.1', r));
});
after(async () => {
  site?.close();
  await hub?.stop();
});

test('the community story, a key file round trip and the protocol tools in headless Chromium', { timeout: 120000 }, async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: scripts/setup installs Debian's chromium`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const site_url = `http://127.0.0.1:${site.address().port}`;
    const q = new URLSearchParams({ hub: hub.url, pkg: '/pkg' });
    await page.goto(`${site_url}/browser.html?${q}`);
    const r = await page.evaluate(() => window.geoResult);
    assert.ok(r.ok, `the page failed: ${r.error}`);
    assert.equal(r.restored, r.pid);
    assert.equal(r.wrongPassword, 'E_WRONG_PASSWORD');
    assert.equal(r.keyFile, 'geo-key');
    assert.equal(r.refused, 'E_INSUFFICIENT_CAPACITY');
    assert.equal(r.amount, '10.50');
    assert.ok(r.events >= 4);
    // The second module (protocol tools), imported on demand by the page.
    assert.equal(r.toolsVerdict, 'ok');
    assert.match(r.toolsError, /^E_/, 'a bad payload is a GeoError of the package\'s one class');
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
  }
});
