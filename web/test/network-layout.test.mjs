// The trust network picture's layout: everyone inside the picture, one ring per hop, a member
// placed near the member that links it inward, and lines cut at the circles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { layout, segment, via, RADIUS } from '../src/wallet/network-layout.js';

const SIZE = 340;
const dist = (p) => Math.hypot(p.x - SIZE / 2, p.y - SIZE / 2);

// me — a, b, c, d (ring 1); a — a1, a2 and c — c1 (ring 2); c1 — z (ring 3).
const members = [
  { pid: 'me', hops: 0 },
  ...['a', 'b', 'c', 'd'].map((pid) => ({ pid, hops: 1 })),
  ...['a1', 'a2', 'c1'].map((pid) => ({ pid, hops: 2 })),
  { pid: 'z', hops: 3 },
];
const lines = [
  ...['a', 'b', 'c', 'd'].map((x) => ({ creditor: 'me', debtor: x })),
  { creditor: 'a1', debtor: 'a' },
  { creditor: 'a', debtor: 'a2' },
  { creditor: 'c1', debtor: 'c' },
  { creditor: 'z', debtor: 'c1' },
];

test('one ring per hop, everyone inside the picture', () => {
  const at = layout(members, lines, SIZE);
  assert.equal(at.size, members.length);
  assert.equal(dist(at.get('me')), 0);
  const rings = [1, 2, 3].map((h) => members.filter((m) => m.hops === h).map((m) => dist(at.get(m.pid))));
  for (const r of rings) for (const d of r) assert.ok(Math.abs(d - r[0]) < 1e-9, 'same hops, same ring');
  assert.ok(rings[0][0] < rings[1][0] && rings[1][0] < rings[2][0], 'farther hops on wider rings');
  for (const [pid, p] of at) {
    assert.ok(p.x - p.r >= 0 && p.x + p.r <= SIZE && p.y - p.r >= 0 && p.y + p.r <= SIZE, `${pid} sticks out`);
    assert.equal(p.r, RADIUS[members.find((m) => m.pid === pid).hops]);
  }
});

test('a member sits nearer the member that links it in than the others of that ring', () => {
  const at = layout(members, lines, SIZE);
  const d = (x, y) => Math.hypot(at.get(x).x - at.get(y).x, at.get(x).y - at.get(y).y);
  for (const [far, near] of [['a1', 'a'], ['a2', 'a'], ['c1', 'c']]) {
    for (const other of ['a', 'b', 'c', 'd'].filter((x) => x !== near)) {
      assert.ok(d(far, near) < d(far, other), `${far} is nearer ${other} than ${near}`);
    }
  }
});

test('a lone member is the picture', () => {
  const at = layout([{ pid: 'me', hops: 0 }], [], SIZE);
  assert.deepEqual([...at.keys()], ['me']);
});

test('lines stop at the circles, and each far member names who links it', () => {
  const a = { x: 0, y: 0, r: 10 };
  const b = { x: 100, y: 0, r: 20 };
  assert.deepEqual(segment(a, b), { x1: 10, y1: 0, x2: 78, y2: 0 });
  const v = via(members, lines);
  assert.deepEqual(Object.fromEntries(v), { a1: 'a', a2: 'a', c1: 'c', z: 'c1' });
});
