// `@geo/client/admin`, the operator's client: a wasm module of its own, so that a wallet page
// never downloads it and the operator's console downloads nothing else.
import init from './geo_admin.js';

const wasmUrl = new URL('./geo_admin_bg.wasm', import.meta.url);
if (typeof process !== 'undefined' && process.versions && process.versions.node && wasmUrl.protocol === 'file:') {
  const { readFile } = await import('node:fs/promises');
  await init({ module_or_path: await readFile(wasmUrl) });
} else {
  await init({ module_or_path: wasmUrl });
}

export { GeoError } from './geo_error.js';
export { AdminClient } from './geo_admin.js';
