// Money in the page is exact: decimal text in, minor units as BigInt for arithmetic, never floats.
import { parseAmount } from '@geo/client';

/** Minor units of a canonical decimal string at `precision` (as BigInt); 0n for bad text. */
export function minor(text, precision) {
  try {
    const negative = String(text).startsWith('-');
    const units = BigInt(parseAmount(negative ? text.slice(1) : text, precision));
    return negative ? -units : units;
  } catch {
    return 0n;
  }
}

/** `part` as a whole percentage of `whole` (0–100), exact. */
export function percent(part, whole, precision) {
  const w = minor(whole, precision);
  if (w <= 0n) return 0;
  const p = minor(part, precision);
  const r = (p * 100n) / w;
  return Number(r > 100n ? 100n : r < 0n ? 0n : r);
}
