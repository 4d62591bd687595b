// `@geo/client/tools`, the protocol tools: a second wasm module (the protocol's strict decoder for
// every message type), loaded only by the pages that import this entry point, e.g. on demand with
// `await import('@geo/client/tools')`. It holds no secret: messages are signed by the wallet
// module's `Identity` (`identity.sign(bytes)`) over the bytes computed and checked here.
import init, * as tools from './geo_tools.js';

const wasmUrl = new URL('./geo_tools_bg.wasm', import.meta.url);
if (typeof process !== 'undefined' && process.versions && process.versions.node && wasmUrl.protocol === 'file:') {
  const { readFile } = await import('node:fs/promises');
  await init({ module_or_path: await readFile(wasmUrl) });
} else {
  await init({ module_or_path: wasmUrl });
}

export { Verifier, canonicalJson, signingBytes, messageDigests } from './geo_tools.js';

/**
 * Signs an unsigned envelope (JSON text; its `signer` must be this identity) exactly as given and
 * returns the signed message's canonical JSON text. `buildMessage` builds checked envelopes.
 */
export function signMessage(identity, unsignedJson) {
  const bytes = tools.signingBytesFor(identity.pid, unsignedJson);
  return tools.withSignature(unsignedJson, identity.sign(bytes));
}

/**
 * Builds and signs a message for `audience` (a hub PID) from its type and payload, valid for
 * `validitySeconds` from now (`createdAt`, an RFC 3339 UTC time, defaults to the host clock). The
 * envelope is checked as a verifier decodes it before it is signed.
 */
export function buildMessage(identity, type, payload, audience, validitySeconds, createdAt) {
  const unsigned = tools.unsignedMessage(identity.pid, type, payload, audience, validitySeconds, createdAt);
  return tools.withSignature(unsigned, identity.sign(tools.signingBytes(unsigned)));
}
