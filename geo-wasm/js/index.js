// The GEO package's entry point (the wallet module): loads its wasm module (from the file next to
// it in node, by URL in browsers and bundlers) before anything is exported, so every export is
// ready to use. The operator's client and the protocol tools are modules of their own, loaded
// only where `@geo/client/admin` or `@geo/client/tools` is imported.
import init, * as geo from './geo_wasm.js';

const wasmUrl = new URL('./geo_wasm_bg.wasm', import.meta.url);
if (typeof process !== 'undefined' && process.versions && process.versions.node && wasmUrl.protocol === 'file:') {
  const { readFile } = await import('node:fs/promises');
  await init({ module_or_path: await readFile(wasmUrl) });
} else {
  await init({ module_or_path: wasmUrl });
}

/** Events are async iterables: `for await (const e of client.events(0))`. */
geo.EventStream.prototype[Symbol.asyncIterator] = function () { return this; };

export { GeoError } from './geo_error.js';
export {
  Identity, HubClient, EventStream, parseAmount, formatAmount, parsePid,
  pidOfPublicKey, verifyReceipt, signInvoice, readInvoice,
} from './geo_wasm.js';
