// Starts a reference hub for a test: 127.0.0.1 on a free port, a fresh data directory, CORS open
// for the browser test. GEO_HUB_BIN names the binary (default: target/debug/geo-hub).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const root = new URL('../../../', import.meta.url).pathname;

/** The built package (GEO_PKG, default target/npm/geo), imported. */
export async function loadPackage() {
  const dir = process.env.GEO_PKG || join(root, 'target/npm/geo');
  return import(pathToFileURL(join(dir, 'index.js')).href);
}

/** The operator's client (`@geo/client/admin`, a wasm module of its own). */
export async function loadAdmin() {
  const dir = process.env.GEO_PKG || join(root, 'target/npm/geo');
  return import(pathToFileURL(join(dir, 'admin.js')).href);
}

/** The package's protocol tools (`@geo/client/tools`, its second wasm module). */
export async function loadTools() {
  const dir = process.env.GEO_PKG || join(root, 'target/npm/geo');
  return import(pathToFileURL(join(dir, 'tools.js')).href);
}

/** Spawns the hub on `listen` over `dataDir`; resolves its process and URL once it listens. */
async function spawnHub(listen, dataDir) {
  const bin = process.env.GEO_HUB_BIN || join(root, 'target/debug/geo-hub');
  const child = spawn(bin, ['--listen', listen, '--data-dir', dataDir, '--cors-origins', '*'], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('the hub did not start in 30 s')), 30000);
    child.on('exit', (code) => reject(new Error(`the hub exited with ${code}`)));
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ''));
      }
    });
  });
  return { child, url };
}

async function stopProcess(child) {
  child.kill('SIGTERM');
  await new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
}

export async function startHub() {
  const dataDir = mkdtempSync(join(tmpdir(), 'geo-hub-'));
  let { child, url } = await spawnHub('127.0.0.1:0', dataDir);
  const adminToken = readFileSync(join(dataDir, 'admin.token'), 'utf8').trim();
  return {
    url,
    adminToken,
    /** The hub process's id (a restart changes it). */
    get pid() {
      return child.pid;
    },
    /** Stops the hub process (its sockets close server-side) and starts it again on the same
     * address over the same data directory. */
    async restart() {
      await stopProcess(child);
      ({ child } = await spawnHub(new URL(url).host, dataDir));
    },
    async stop() {
      await stopProcess(child);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
