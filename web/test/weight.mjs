// Page weight and time to interactive of the wallet (/) and the console (/admin), as served by
// a live debug hub to headless Chromium on this machine (numbers go to BENCHMARKS.md):
//   node web/test/weight.mjs            (GEO_HUB_BIN, GEO_CHROMIUM as for the tests)
// Weight: every script, style and wasm file the page loads, as the hub sends it to Chromium
// (its precompressed brotli form), and for comparison gzipped at level 9. Time to interactive: navigation start to the app's
// `interactive` mark (first screen rendered and usable, wasm compiled), cold cache, median of 7.
import { gzipSync } from 'node:zlib';
import { startHub, launch, PHONE } from './support.mjs';

const RUNS = 7;
const hub = await startHub();
const browser = await launch();
try {
  for (const [name, path] of [['wallet', '/'], ['console', '/admin']]) {
    const times = [];
    let weight;
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ viewport: PHONE, serviceWorkers: 'block' });
      const page = await context.newPage();
      const bodies = [];
      page.on('response', async (r) => {
        const type = r.headers()['content-type'] || '';
        if (/javascript|wasm|css/.test(type)) {
          bodies.push(Promise.all([r.body(), r.request().sizes()]).then(([b, sizes]) => ({
            type, raw: b.length, gz: gzipSync(b, { level: 9 }).length, sent: sizes.responseBodySize, coding: r.headers()['content-encoding'] || 'identity',
          })));
        }
      });
      await page.goto(hub.url + path);
      await page.waitForFunction(() => performance.getEntriesByName('interactive').length > 0);
      times.push(await page.evaluate(() => performance.getEntriesByName('interactive')[0].startTime));
      const files = await Promise.all(bodies);
      const sum = (f, k) => files.filter(f).reduce((n, x) => n + x[k], 0);
      const of = (k) => ({ js: sum((x) => /javascript/.test(x.type), k), wasm: sum((x) => /wasm/.test(x.type), k), css: sum((x) => /css/.test(x.type), k) });
      weight = { sent: of('sent'), gz: of('gz'), codings: [...new Set(files.map((x) => x.coding))].join(',') };
      await context.close();
    }
    times.sort((a, b) => a - b);
    const kib = (n) => (n / 1024).toFixed(1);
    const line = (w) => `JS ${kib(w.js)} KiB + wasm ${kib(w.wasm)} KiB = ${kib(w.js + w.wasm)} KiB (CSS ${kib(w.css)} KiB)`;
    console.log(`${name}: sent (${weight.codings}) ${line(weight.sent)}; gzip -9 ${line(weight.gz)}; ` +
      `time to interactive median ${Math.round(times[RUNS >> 1])} ms (min ${Math.round(times[0])}, max ${Math.round(times[RUNS - 1])})`);
  }
} finally {
  await browser.close();
  await hub.stop();
}
