// Where each member of a trust network picture goes: the member in the centre, one ring per hop,
// each member on its ring near the members that link it inward (so lines rarely cross), and each
// line cut short at the circles so its arrowhead shows. Pure: numbers in, numbers out.

/** Circle radius by hops from the centre (the farther, the smaller). */
export const RADIUS = [26, 20, 15, 12];

const TAU = 2 * Math.PI;

/** The circular mean of angles (radians); `fallback` when they cancel out or there are none. */
function meanAngle(angles, fallback) {
  let x = 0;
  let y = 0;
  for (const a of angles) {
    x += Math.cos(a);
    y += Math.sin(a);
  }
  return Math.hypot(x, y) < 1e-9 ? fallback : Math.atan2(y, x);
}

/** Pushes items (sorted by `angle`) apart on a circle until neighbours are at least `gap` apart. */
function spread(items, gap) {
  const n = items.length;
  if (n < 2) return;
  for (let pass = 0; pass < 200; pass++) {
    let moved = false;
    for (let i = 0; i < n; i++) {
      const a = items[i];
      const b = items[(i + 1) % n];
      const between = i + 1 < n ? b.angle - a.angle : b.angle + TAU - a.angle;
      const short = gap - between;
      if (short > 1e-6) {
        a.angle -= short / 2;
        b.angle += short / 2;
        moved = true;
      }
    }
    if (!moved) return;
  }
}

/**
 * Positions of `members` ({pid, hops}, hops 0 is the centre) in a `size`×`size` square, given the
 * `lines` ({creditor, debtor}) between them: a Map pid → {x, y, r, angle}.
 */
export function layout(members, lines, size) {
  const c = size / 2;
  const depth = Math.max(1, ...members.map((m) => m.hops));
  const margin = RADIUS[Math.min(depth, 3)] + 14;
  const ring = (h) => ((c - margin) * h) / depth;
  const linked = new Map(members.map((m) => [m.pid, []]));
  for (const l of lines) {
    linked.get(l.creditor)?.push(l.debtor);
    linked.get(l.debtor)?.push(l.creditor);
  }
  const at = new Map();
  const centre = members.find((m) => m.hops === 0)?.pid;
  for (let h = 0; h <= depth; h++) {
    const here = members.filter((m) => m.hops === h);
    if (h === 0) {
      here.forEach((m) => at.set(m.pid, { x: c, y: c, r: RADIUS[0], angle: 0 }));
      continue;
    }
    // Each wants to sit at the mean angle of its inward neighbours; keep that order and push
    // neighbours on the ring apart until their circles (and labels) no longer touch.
    const wanted = here
      .map((m, i) => {
        const inward = linked.get(m.pid).filter((p) => at.has(p) && p !== centre).map((p) => at.get(p).angle);
        return { m, angle: meanAngle(inward, -Math.PI / 2 + (TAU * i) / here.length) };
      })
      .sort((a, b) => a.angle - b.angle || (a.m.pid < b.m.pid ? -1 : 1));
    const r = RADIUS[Math.min(h, 3)];
    spread(wanted, Math.min(TAU / wanted.length, (2 * r + 16) / ring(h)));
    for (const w of wanted) {
      at.set(w.m.pid, { x: c + ring(h) * Math.cos(w.angle), y: c + ring(h) * Math.sin(w.angle), r, angle: w.angle });
    }
  }
  return at;
}

/** A line from circle `a` to circle `b`, cut at both circles (the arrowhead ends at `b`'s edge). */
export function segment(a, b) {
  const d = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  const ux = (b.x - a.x) / d;
  const uy = (b.y - a.y) / d;
  return { x1: a.x + ux * a.r, y1: a.y + uy * a.r, x2: b.x - ux * (b.r + 2), y2: b.y - uy * (b.r + 2) };
}

/** For each member beyond the first ring, one member a hop nearer that links it in (its "via"). */
export function via(members, lines) {
  const hops = new Map(members.map((m) => [m.pid, m.hops]));
  const out = new Map();
  for (const l of lines) {
    for (const [far, near] of [[l.creditor, l.debtor], [l.debtor, l.creditor]]) {
      if (hops.get(far) >= 2 && hops.get(near) === hops.get(far) - 1 && !out.has(far)) out.set(far, near);
    }
  }
  return out;
}
