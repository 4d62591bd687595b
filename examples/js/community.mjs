// The community story in node: `node --experimental-websocket examples/js/community.mjs URL ADMIN_TOKEN`
// (node 22+ needs no flag). Build the package first with geo-wasm/build.sh; GEO_PKG points to it.
import { communityStory } from './story.mjs';

import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const dir = process.env.GEO_PKG || new URL('../../target/npm/geo', import.meta.url).pathname;
// The wallet's module and the operator's (`@geo/client` and `@geo/client/admin`).
const geo = {
  ...(await import(pathToFileURL(join(dir, 'index.js')).href)),
  ...(await import(pathToFileURL(join(dir, 'admin.js')).href)),
};
const [url, token] = process.argv.slice(2);
if (!url || !token) {
  console.error('usage: community.mjs HUB_URL ADMIN_TOKEN');
  process.exit(2);
}
const result = await communityStory(geo, url, token, (line) => console.log(line));
console.log(`done: paid ${result.receipt.amount} ${result.receipt.equivalent}, cleared ${result.clearing}`);
