// Makes DEST hold exactly the files of SRC (copying only those that differ), or with --check
// reports every difference and exits 1 without touching DEST.
import { readdirSync, readFileSync, statSync, mkdirSync, copyFileSync, rmSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { gzipSync } from 'node:zlib';

const [src, dest, mode] = process.argv.slice(2);
const list = (dir, base = '') =>
  existsSync(dir)
    ? readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? list(join(dir, f), join(base, f)) : [join(base, f)]))
    : [];
const built = list(src).sort();
const kept = new Set(list(dest));
const differences = [];
for (const f of built) {
  const a = readFileSync(join(src, f));
  const existed = kept.delete(f);
  if (existed && a.equals(readFileSync(join(dest, f)))) continue;
  differences.push(`${existed ? 'changed' : 'new'}: ${f}`);
  if (mode !== '--check') {
    mkdirSync(dirname(join(dest, f)), { recursive: true });
    copyFileSync(join(src, f), join(dest, f));
  }
}
for (const f of kept) {
  differences.push(`stale: ${f}`);
  if (mode !== '--check') rmSync(join(dest, f));
}
// Sizes of the files themselves (their precompressed .br/.gz forms are listed apart).
const own = built.filter((f) => !/\.(br|gz)$/.test(f));
const size = own.reduce((n, f) => n + statSync(join(src, f)).size, 0);
const gz = own.reduce((n, f) => n + gzipSync(readFileSync(join(src, f)), { level: 9 }).length, 0);
const br = own.reduce((n, f) => n + (existsSync(join(src, f + '.br')) ? statSync(join(src, f + '.br')) : statSync(join(src, f))).size, 0);
console.log(`web-dist: ${own.length} files, ${size} bytes (${gz} gzipped, ${br} as sent to a brotli browser)`);
if (mode === '--check' && differences.length) {
  console.error('reference-hub/web-dist is not what web/ builds (run web/build.sh and commit it):\n  ' + differences.join('\n  '));
  process.exit(1);
}
if (differences.length) console.log(differences.join('\n'));
