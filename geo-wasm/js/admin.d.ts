// `@geo/client/admin`: the operator's client, a wasm module of its own.
export { AdminClient } from './geo_admin.js';
export { GeoError } from './index.js';
