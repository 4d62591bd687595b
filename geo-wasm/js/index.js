// The GEO package's entry point: loads the wasm module (from the file next to it in node, by URL
// in browsers and bundlers) before anything is exported, so every export is ready to use.
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

export const GeoError = geo.geoErrorClass();
export {
  Identity, HubClient, AdminClient, EventStream, Verifier, parseAmount, formatAmount,
  canonicalJson, parsePid, pidOfPublicKey, signingBytes, signMessage, buildMessage,
  messageDigests, verifyReceipt, signInvoice, readInvoice,
} from './geo_wasm.js';
