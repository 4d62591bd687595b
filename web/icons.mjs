// Draws the app icons (public/icon-192.png, public/icon-512.png): the same picture as
// public/icon.svg, a ring of trust around a member on the brand green. Run once: node icons.mjs
import { PNG } from 'pngjs';
import { writeFileSync } from 'node:fs';

for (const size of [192, 512]) {
  const png = new PNG({ width: size, height: size });
  const c = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x + 0.5 - c, y + 0.5 - c) / size;
      const white = (d > 0.26 && d < 0.34) || d < 0.1;
      const i = (y * size + x) * 4;
      png.data[i] = white ? 255 : 0x14;
      png.data[i + 1] = white ? 255 : 0x53;
      png.data[i + 2] = white ? 255 : 0x2d;
      png.data[i + 3] = 255;
    }
  }
  writeFileSync(new URL(`public/icon-${size}.png`, import.meta.url), PNG.sync.write(png));
}
