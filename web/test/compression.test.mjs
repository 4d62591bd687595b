// What the hub sends a browser that accepts brotli or gzip decodes to exactly the file it would
// send one that accepts neither (and to the file in reference-hub/web-dist), for every script,
// style and wasm module the wallet and console load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startHub, root } from './support.mjs';

let hub;
before(async () => {
  hub = await startHub();
});
after(async () => {
  await hub?.stop();
});

function get(path, encoding) {
  return new Promise((resolve, reject) => {
    const req = request(hub.url + path, { headers: { 'accept-encoding': encoding } }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('brotli and gzip forms decode to the files themselves', async () => {
  const dist = join(root, 'reference-hub/web-dist/assets');
  const assets = readdirSync(dist).filter((f) => /\.(js|css|wasm)$/.test(f));
  assert.ok(assets.some((f) => f.endsWith('.wasm')) && assets.some((f) => f.endsWith('.js')));
  assert.ok(assets.filter((f) => /\.(wasm|css)$/.test(f)).every((f) => existsSync(join(dist, f + '.br'))), 'the wasm and the styles have compressed forms');
  for (const f of assets) {
    const path = '/assets/' + f;
    const file = readFileSync(join(dist, f));
    const plain = await get(path, 'identity');
    assert.equal(plain.headers['content-encoding'], undefined, path);
    assert.ok(plain.body.equals(file), `${path} as it is`);
    if (!existsSync(join(dist, f + '.br'))) {
      // Too small to gain (web/compress.mjs): sent as it is whatever the browser accepts.
      assert.ok(file.length < 512, `${path} has no compressed form`);
      assert.equal((await get(path, 'gzip, br')).headers['content-encoding'], undefined, path);
      continue;
    }
    const br = await get(path, 'gzip, deflate, br');
    assert.equal(br.headers['content-encoding'], 'br', path);
    assert.ok(brotliDecompressSync(br.body).equals(file), `${path} from brotli`);
    const gz = await get(path, 'gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip', path);
    assert.ok(gunzipSync(gz.body).equals(file), `${path} from gzip`);
    assert.ok(br.body.length < gz.body.length && gz.body.length < file.length, `${path}: br < gzip < raw`);
  }
});
