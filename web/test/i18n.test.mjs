// The Ukrainian and English tables have the same keys and the same placeholders in each text,
// and every key the sources use exists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import en from '../src/i18n/en.js';
import uk from '../src/i18n/uk.js';

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('en and uk have the same keys and placeholders', () => {
  assert.deepEqual(Object.keys(uk).sort(), Object.keys(en).sort());
  for (const k of Object.keys(en)) assert.deepEqual(placeholders(uk[k]), placeholders(en[k]), k);
  for (const k of Object.keys(en)) assert.notEqual(uk[k].trim(), '', k);
});

test('every key used in the sources is translated', () => {
  const src = new URL('../src/', import.meta.url).pathname;
  const files = [];
  const walk = (d) => readdirSync(d).forEach((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : f.endsWith('.js') && files.push(join(d, f))));
  walk(src);
  const used = new Set();
  for (const f of files) {
    const code = readFileSync(f, 'utf8');
    for (const m of code.matchAll(/\bt\('([a-z_.A-Z0-9]+)'[,)]/g)) used.add(m[1]);
    for (const m of code.matchAll(/'((?:nav|admin)\.[a-z_]*[a-z])'/g)) used.add(m[1]);
  }
  const missing = [...used].filter((k) => !(k in en));
  assert.deepEqual(missing, []);
});
