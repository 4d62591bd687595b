// Test support for the web apps: a live hub (geo-wasm's test starter: debug geo-hub, 127.0.0.1,
// a throwaway data folder), Debian's Chromium through playwright-core (never a downloaded
// browser), screenshots at phone and desktop sizes, axe checks, and a log of every change sent.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import QRCode from 'qrcode';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import AxeBuilder from '@axe-core/playwright';
import { root } from '../../geo-wasm/js/test/hub.mjs';

export { startHub, loadPackage, root } from '../../geo-wasm/js/test/hub.mjs';

export const PHONE = { width: 360, height: 740 };
export const DESKTOP = { width: 1280, height: 800 };
export const SHOTS = process.env.GEO_SCREENSHOTS || join(root, 'target/web-screenshots');
mkdirSync(SHOTS, { recursive: true });

/** What the browsers' (fake) camera films: a Y4M video file the test writes (`cameraSees`). */
export const CAMERA = join(root, 'target/web-camera.y4m');
const CAMERA_SIZE = { width: 1280, height: 720 };

/** Makes the camera film `text` as a QR code (black on white, centred), from now on. */
export function cameraSees(text) {
  const { width: w, height: h } = CAMERA_SIZE;
  const y = Buffer.alloc(w * h, 235);
  if (text) {
    const { size, data } = QRCode.create(text, { errorCorrectionLevel: 'M' }).modules;
    const scale = Math.floor(Math.min(w, h) / (size + 8));
    const x0 = (w - size * scale) >> 1;
    const y0 = (h - size * scale) >> 1;
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        if (!data[r * size + c]) continue;
        for (let dy = 0; dy < scale; dy++) y.fill(16, (y0 + r * scale + dy) * w + x0 + c * scale, (y0 + r * scale + dy) * w + x0 + (c + 1) * scale);
      }
    }
  }
  const chroma = Buffer.alloc((w * h) / 4, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), y, chroma, chroma]);
  writeFileSync(CAMERA, Buffer.concat([Buffer.from(`YUV4MPEG2 W${w} H${h} F5:1 Ip A1:1 C420jpeg\n`), frame, frame]));
}

export async function launch() {
  cameraSees('');
  return chromium.launch({
    executablePath: process.env.GEO_CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
      // A camera that films the file the test writes, allowed without asking.
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${CAMERA}`],
  });
}

/** A fresh browser context (its own storage: one member's device) and page at phone size. */
export async function device(browser, name) {
  const context = await browser.newContext({ viewport: PHONE, locale: 'en-US' });
  const page = await context.newPage();
  page.errors = [];
  page.changes = [];
  page.name = name;
  page.on('pageerror', (e) => page.errors.push(String(e)));
  page.on('request', (r) => {
    if (r.method() !== 'GET' && new URL(r.url()).pathname.startsWith('/api/')) page.changes.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  return { context, page };
}

/** Runs `f` and asserts the page sent no change (no POST/PUT/PATCH) to the hub meanwhile. */
export async function sendsNothing(page, f) {
  const before = page.changes.length;
  await f();
  await page.waitForTimeout(300);
  assert.deepEqual(page.changes.slice(before), [], `${page.name} sent a change for bad input`);
}

const violations = [];

/** Screenshots of the current screen at phone and desktop sizes, and its axe check. */
export async function shot(page, name) {
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  // Nothing may stick out sideways on a 360 px phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `${name}: the page is ${overflow}px wider than a 360 px phone`);
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: join(SHOTS, `${name}-desktop.png`), fullPage: true });
  const axe = await new AxeBuilder({ page }).analyze();
  for (const v of axe.violations) {
    if (v.impact === 'serious' || v.impact === 'critical') {
      violations.push(`${name}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    }
  }
  await page.setViewportSize(PHONE);
}

export function accessibilityViolations() {
  return violations;
}
