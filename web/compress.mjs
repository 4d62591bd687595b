// Writes, next to each compressible file of a build (scripts, styles, wasm, pages, SVG, manifest),
// its brotli (`.br`, quality 11) and gzip (`.gz`, level 9) forms, so the hub sends them as they are
// (Content-Encoding by the browser's Accept-Encoding, reference-hub/src/api/web.rs) instead of
// compressing on every request or not at all. A form is kept only when it saves at least a tenth.
// Deterministic: no names or times in the gzip header, the same bytes for the same input.
//   node compress.mjs DIR
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const COMPRESSIBLE = /\.(js|mjs|css|wasm|html|svg|webmanifest|json)$/;
const SMALLEST = 512;

const dir = process.argv[2];
const list = (d) => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? list(join(d, f)) : [join(d, f)]));
for (const f of list(dir).filter((f) => COMPRESSIBLE.test(f))) {
  const raw = readFileSync(f);
  if (raw.length < SMALLEST) continue;
  const forms = {
    br: brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
        [constants.BROTLI_PARAM_MODE]: f.endsWith('.wasm') ? constants.BROTLI_MODE_GENERIC : constants.BROTLI_MODE_TEXT,
      },
    }),
    gz: gzipSync(raw, { level: 9 }),
  };
  for (const [ext, bytes] of Object.entries(forms)) {
    if (bytes.length <= raw.length * 0.9) writeFileSync(`${f}.${ext}`, bytes);
  }
}
