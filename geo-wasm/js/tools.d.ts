// `@geo/client/tools`: the protocol tools, a second wasm module loaded only where imported.
import type { Identity, MessageType, MessagePayload } from './index.js';
export { Verifier, canonicalJson, signingBytes, messageDigests } from './geo_tools.js';

/** Who signs: the wallet module's `Identity` (its secret never reaches this module). */
export type Signer = Pick<Identity, 'pid' | 'sign'>;

/** The payload of a message of type `T` (generated from the protocol's payload types). */
export type PayloadOf<T extends MessageType> = Extract<MessagePayload, { type: T }>['payload'];

/**
 * Signs an unsigned envelope (JSON text; its `signer` must be this identity) exactly as given and
 * returns the signed message's canonical JSON text. `buildMessage` builds checked envelopes.
 */
export function signMessage(identity: Signer, unsignedJson: string): string;

/**
 * Builds and signs a message for `audience` (a hub PID) from its type and payload, valid for
 * `validitySeconds` from now (`createdAt`, an RFC 3339 UTC time, defaults to the host clock). The
 * envelope is checked as a verifier decodes it before it is signed.
 */
export function buildMessage<T extends MessageType>(
  identity: Signer,
  type: T,
  payload: PayloadOf<T>,
  audience?: string,
  validitySeconds?: number,
  createdAt?: string,
): string;
