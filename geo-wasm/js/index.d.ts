export * from './geo_wasm.js';
export { GeoError } from './geo_wasm.js';
declare module './geo_wasm.js' {
  interface EventStream {
    [Symbol.asyncIterator](): AsyncIterator<GeoEvent, undefined>;
  }
}
import type { GeoEvent } from './geo_wasm.js';
