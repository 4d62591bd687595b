// The package's TypeScript declarations type a real program (tsc --noEmit, strict).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, symlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './hub.mjs';

test('tsc --noEmit accepts a typed usage file and the declarations have no any', () => {
  const pkg = process.env.GEO_PKG || join(root, 'target/npm/geo');
  // The module's raw export table (InitOutput) is wasm-bindgen's plumbing, not the API.
  // Every module's declarations (wallet, admin, protocol tools, and the entry points).
  for (const file of ['geo_wasm.d.ts', 'geo_admin.d.ts', 'geo_tools.d.ts', 'index.d.ts', 'admin.d.ts', 'tools.d.ts']) {
    const dts = readFileSync(join(pkg, file), 'utf8').replace(/export interface InitOutput \{[\s\S]*?\n\}/, '');
    assert.doesNotMatch(dts, /:\s*any\b|<any>|Promise<any>/, `no any in ${file}`);
  }
  assert.match(readFileSync(join(pkg, 'tools.d.ts'), 'utf8'), /payload: PayloadOf<T>/, 'buildMessage types its payload by its message type');
  const dir = mkdtempSync(join(tmpdir(), 'geo-ts-'));
  mkdirSync(join(dir, 'node_modules/@geo'), { recursive: true });
  symlinkSync(pkg, join(dir, 'node_modules/@geo/client'));
  writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
  writeFileSync(join(dir, 'demo.ts'), readFileSync(new URL('./types-check.ts', import.meta.url)));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext',
      lib: ['ESNext', 'DOM'], skipLibCheck: false, types: [],
    },
    files: ['demo.ts'],
  }));
  const tsc = join(root, 'geo-wasm/js/node_modules/.bin/tsc');
  try {
    execFileSync(tsc, ['-p', dir], { encoding: 'utf8' });
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
});
