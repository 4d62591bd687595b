// Page weight and time to interactive of the wallet (/) and the console (/admin), as served by
// a live debug hub to headless Chromium on this machine (numbers go to BENCHMARKS.md):
//   node web/test/weight.mjs            (GEO_HUB_BIN, GEO_CHROMIUM as for the tests)
// Weight: every script, style and wasm file the page loads, gzipped at level 9 (what a hub
// behind a compressing proxy sends). Time to interactive: navigation start to the app's
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
        if (/javascript|wasm|css/.test(type)) bodies.push(r.body().then((b) => ({ type, raw: b.length, gz: gzipSync(b, { level: 9 }).length })));
      });
      await page.goto(hub.url + path);
      await page.waitForFunction(() => performance.getEntriesByName('interactive').length > 0);
      times.push(await page.evaluate(() => performance.getEntriesByName('interactive')[0].startTime));
      const files = await Promise.all(bodies);
      const sum = (f) => files.filter(f).reduce((n, x) => n + x.gz, 0);
      weight = { js: sum((x) => /javascript/.test(x.type)), wasm: sum((x) => /wasm/.test(x.type)), css: sum((x) => /css/.test(x.type)) };
      await context.close();
    }
    times.sort((a, b) => a - b);
    const kib = (n) => (n / 1024).toFixed(1);
    console.log(`${name}: JS ${kib(weight.js)} KiB + wasm ${kib(weight.wasm)} KiB = ${kib(weight.js + weight.wasm)} KiB gzipped (CSS ${kib(weight.css)} KiB); ` +
      `time to interactive median ${Math.round(times[RUNS >> 1])} ms (min ${Math.round(times[0])}, max ${Math.round(times[RUNS - 1])})`);
  }
} finally {
  await browser.close();
  await hub.stop();
}
