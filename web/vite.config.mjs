// Builds the wallet (index.html → /) and the operator console (admin/index.html → /admin) into
// reference-hub/web-dist, which the hub embeds. The npm package comes from GEO_PKG (default
// target/npm/geo, built by geo-wasm/build.sh). Output is deterministic: content-hashed names, no
// timestamps, and a service worker whose app-shell list is the build's own files.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const pkg = process.env.GEO_PKG || resolve(here, '../target/npm/geo');

/** Writes sw.js from src/sw.js with the list of every emitted file (the app shell). */
function serviceWorker() {
  return {
    name: 'geo-service-worker',
    async generateBundle(_, bundle) {
      const { readFile } = await import('node:fs/promises');
      const files = Object.keys(bundle).filter((f) => !f.endsWith('.map')).sort();
      const shell = ['/', '/admin/', '/manifest.webmanifest', '/icon.svg', '/icon-192.png', '/icon-512.png']
        .concat(files.filter((f) => !f.endsWith('.html')).map((f) => '/' + f));
      const { createHash } = await import('node:crypto');
      const hash = createHash('sha256');
      for (const f of files) hash.update(f).update(bundle[f].type === 'chunk' ? bundle[f].code : bundle[f].source);
      const version = hash.digest('hex').slice(0, 12);
      const source = (await readFile(resolve(here, 'src/sw.js'), 'utf8'))
        .replace("'__SHELL__'", JSON.stringify(shell))
        .replace('__VERSION__', version);
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}

export default defineConfig({
  root: here,
  base: '/',
  publicDir: resolve(here, 'public'),
  resolve: {
    alias: [
      { find: /^@geo\/client$/, replacement: resolve(pkg, 'index.js') },
      { find: /^@geo\/client\/(admin|tools)$/, replacement: resolve(pkg, '$1.js') },
    ],
  },
  plugins: [serviceWorker()],
  build: {
    outDir: process.env.GEO_WEB_OUT || resolve(here, '../reference-hub/web-dist'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    rollupOptions: {
      input: { wallet: resolve(here, 'index.html'), admin: resolve(here, 'admin/index.html') },
      // The code both pages share is named for that, not after the first module rollup put in it
      // (the package's entry points import a node-only module that vite stubs out).
      output: {
        chunkFileNames: (c) => `assets/${c.name.startsWith('__vite') ? 'shared' : '[name]'}-[hash].js`,
        assetFileNames: (a) => `assets/${(a.names?.[0] ?? '').startsWith('__vite') ? 'shared' : '[name]'}-[hash][extname]`,
      },
    },
  },
});
