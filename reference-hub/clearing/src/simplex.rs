//! Primal network simplex for a maximum-weight circulation with unit weights.
//!
//! Solves `max Σ c_e` subject to `0 <= c_e <= cap_e` and flow conservation at every node, as the
//! min-cost circulation with cost −1 on every arc. The spanning tree is kept in the classic
//! parent / thread / reverse-thread / subtree-size representation with an artificial root, and
//! entering arcs are chosen by block search (the structure of LEMON's `NetworkSimplex`). All
//! arithmetic is integer: flows are `u64` (they never leave `[0, cap]`), potentials `i64`
//! (bounded by the node count because every cost is ±1 or 0).

/// Cost of every real arc: clearing one unit anywhere is worth the same.
const COST: i64 = -1;

const UP: i8 = 1;
const DOWN: i8 = -1;
const STATE_UPPER: i8 = -1;
const STATE_TREE: i8 = 0;
const STATE_LOWER: i8 = 1;
const NONE: u32 = u32::MAX;
const MIN_BLOCK: usize = 10;

/// Reusable solver state; buffers are kept between components to avoid reallocations.
#[derive(Debug, Default)]
pub(crate) struct Simplex {
    n: usize,
    m: usize,
    // Arcs: 0..m are real, m..m+n are artificial (node -> root, cost 0, never carry flow).
    source: Vec<u32>,
    target: Vec<u32>,
    cap: Vec<u64>,
    flow: Vec<u64>,
    state: Vec<i8>,
    // Nodes: 0..n are real, n is the artificial root.
    pi: Vec<i64>,
    parent: Vec<u32>,
    pred: Vec<u32>,
    pred_dir: Vec<i8>,
    thread: Vec<u32>,
    rev_thread: Vec<u32>,
    succ_num: Vec<u32>,
    last_succ: Vec<u32>,
    dirty_revs: Vec<u32>,
    // Pivot state.
    in_arc: usize,
    join: usize,
    u_in: usize,
    v_in: usize,
    u_out: usize,
    delta: u64,
    next_arc: usize,
    block_size: usize,
}

impl Simplex {
    /// Solves the circulation on `n` nodes (`0..n`) and the given arcs `(tail, head, capacity)`.
    /// Afterwards `flow(i)` is the optimal set-off of arc `i`.
    pub(crate) fn solve(&mut self, n: usize, arcs: impl ExactSizeIterator<Item = (u32, u32, u64)>) {
        let m = arcs.len();
        self.init(n, m, arcs);
        while self.find_entering_arc() {
            self.find_join_node();
            let change = self.find_leaving_arc();
            self.change_flow(change);
            if change {
                self.update_tree_structure();
                self.update_potential();
            }
        }
    }

    /// Optimal flow (set-off) on real arc `i` after [`Simplex::solve`].
    pub(crate) fn flow(&self, i: usize) -> u64 {
        debug_assert!(i < self.m);
        self.flow[i]
    }

    fn init(&mut self, n: usize, m: usize, arcs: impl Iterator<Item = (u32, u32, u64)>) {
        self.n = n;
        self.m = m;
        let all = m + n;
        let root = n as u32;
        for v in [&mut self.source, &mut self.target] {
            v.clear();
            v.reserve(all);
        }
        self.cap.clear();
        self.cap.reserve(all);
        for (s, t, c) in arcs {
            debug_assert!((s as usize) < n && (t as usize) < n && s != t);
            self.source.push(s);
            self.target.push(t);
            self.cap.push(c);
        }
        assert_eq!(self.source.len(), m, "arc iterator length mismatch");
        self.flow.clear();
        self.flow.resize(all, 0);
        self.state.clear();
        self.state.resize(m, STATE_LOWER);
        self.state.resize(all, STATE_TREE);

        let nodes = n + 1;
        for v in [
            &mut self.parent,
            &mut self.pred,
            &mut self.thread,
            &mut self.rev_thread,
            &mut self.succ_num,
            &mut self.last_succ,
        ] {
            v.clear();
            v.resize(nodes, 0);
        }
        self.pi.clear();
        self.pi.resize(nodes, 0);
        self.pred_dir.clear();
        self.pred_dir.resize(nodes, UP);
        for u in 0..n {
            let e = (m + u) as u32;
            self.source.push(u as u32);
            self.target.push(root);
            self.cap.push(u64::MAX);
            self.parent[u] = root;
            self.pred[u] = e;
            self.thread[u] = u as u32 + 1;
            self.rev_thread[u + 1] = u as u32;
            self.succ_num[u] = 1;
            self.last_succ[u] = u as u32;
        }
        self.parent[n] = NONE;
        self.pred[n] = NONE;
        self.thread[n] = 0;
        self.rev_thread[0] = root;
        self.succ_num[n] = nodes as u32;
        self.last_succ[n] = if n == 0 { root } else { root - 1 };
        self.next_arc = 0;
        self.block_size = m.isqrt().max(MIN_BLOCK);
    }

    #[inline]
    fn reduced_cost(&self, e: usize) -> i64 {
        COST + self.pi[self.source[e] as usize] - self.pi[self.target[e] as usize]
    }

    /// Block search: scan arcs in blocks from where the last search stopped; take the most
    /// violating arc of the first block that has one.
    fn find_entering_arc(&mut self) -> bool {
        let m = self.m;
        if m == 0 {
            return false;
        }
        let mut min = 0i64;
        let mut cnt = self.block_size;
        let mut e = self.next_arc;
        for _ in 0..m {
            let c = i64::from(self.state[e]) * self.reduced_cost(e);
            if c < min {
                min = c;
                self.in_arc = e;
            }
            e += 1;
            if e == m {
                e = 0;
            }
            cnt -= 1;
            if cnt == 0 {
                if min < 0 {
                    self.next_arc = e;
                    return true;
                }
                cnt = self.block_size;
            }
        }
        if min < 0 {
            self.next_arc = e;
            return true;
        }
        false
    }

    fn find_join_node(&mut self) {
        let mut u = self.source[self.in_arc] as usize;
        let mut v = self.target[self.in_arc] as usize;
        while u != v {
            if self.succ_num[u] < self.succ_num[v] {
                u = self.parent[u] as usize;
            } else {
                v = self.parent[v] as usize;
            }
        }
        self.join = u;
    }

    /// Residual capacity of the tree arc above `u` when the cycle pushes flow towards the root
    /// (`upward`) or away from it.
    #[inline]
    fn residual(&self, u: usize, upward: bool) -> u64 {
        let e = self.pred[u] as usize;
        if (self.pred_dir[u] == UP) == upward {
            if e >= self.m {
                u64::MAX
            } else {
                self.cap[e] - self.flow[e]
            }
        } else {
            self.flow[e]
        }
    }

    /// Finds the blocking arc of the cycle (the last one in cycle order, which keeps the tree
    /// strongly feasible and prevents cycling). Returns false if the entering arc itself blocks.
    fn find_leaving_arc(&mut self) -> bool {
        let in_arc = self.in_arc;
        let (first, second) = if self.state[in_arc] == STATE_LOWER {
            (self.source[in_arc] as usize, self.target[in_arc] as usize)
        } else {
            (self.target[in_arc] as usize, self.source[in_arc] as usize)
        };
        self.delta = self.cap[in_arc];
        let mut result = 0u8;
        let mut u = first;
        while u != self.join {
            let d = self.residual(u, false);
            if d < self.delta {
                self.delta = d;
                self.u_out = u;
                result = 1;
            }
            u = self.parent[u] as usize;
        }
        let mut u = second;
        while u != self.join {
            let d = self.residual(u, true);
            if d <= self.delta {
                self.delta = d;
                self.u_out = u;
                result = 2;
            }
            u = self.parent[u] as usize;
        }
        if result == 1 {
            self.u_in = first;
            self.v_in = second;
        } else {
            self.u_in = second;
            self.v_in = first;
        }
        result != 0
    }

    fn change_flow(&mut self, change: bool) {
        let in_arc = self.in_arc;
        let delta = self.delta;
        if delta > 0 {
            let sign = self.state[in_arc];
            self.push(in_arc, sign, delta);
            let mut u = self.source[in_arc] as usize;
            while u != self.join {
                self.push(self.pred[u] as usize, -self.pred_dir[u] * sign, delta);
                u = self.parent[u] as usize;
            }
            let mut u = self.target[in_arc] as usize;
            while u != self.join {
                self.push(self.pred[u] as usize, self.pred_dir[u] * sign, delta);
                u = self.parent[u] as usize;
            }
        }
        if change {
            self.state[in_arc] = STATE_TREE;
            let out = self.pred[self.u_out] as usize;
            self.state[out] = if self.flow[out] == 0 {
                STATE_LOWER
            } else {
                STATE_UPPER
            };
        } else {
            self.state[in_arc] = -self.state[in_arc];
        }
    }

    #[inline]
    fn push(&mut self, e: usize, sign: i8, delta: u64) {
        if sign > 0 {
            self.flow[e] += delta;
        } else {
            self.flow[e] -= delta;
        }
        debug_assert!(e >= self.m || self.flow[e] <= self.cap[e]);
        debug_assert!(
            e < self.m || self.flow[e] == 0,
            "artificial arcs never carry flow"
        );
    }

    /// Re-hangs the subtree cut off by the leaving arc below the entering arc and repairs the
    /// thread order, subtree sizes and last successors.
    fn update_tree_structure(&mut self) {
        let (u_in, v_in, u_out, join) = (self.u_in, self.v_in, self.u_out, self.join);
        let old_rev_thread = self.rev_thread[u_out] as usize;
        let old_succ_num = self.succ_num[u_out];
        let old_last_succ = self.last_succ[u_out] as usize;
        let v_out = self.parent[u_out] as usize;
        let in_dir = if u_in == self.source[self.in_arc] as usize {
            UP
        } else {
            DOWN
        };

        if u_in == u_out {
            self.parent[u_in] = v_in as u32;
            self.pred[u_in] = self.in_arc as u32;
            self.pred_dir[u_in] = in_dir;
            if self.thread[v_in] as usize != u_out {
                let after = self.thread[old_last_succ];
                self.thread[old_rev_thread] = after;
                self.rev_thread[after as usize] = old_rev_thread as u32;
                let after = self.thread[v_in];
                self.thread[v_in] = u_out as u32;
                self.rev_thread[u_out] = v_in as u32;
                self.thread[old_last_succ] = after;
                self.rev_thread[after as usize] = old_last_succ as u32;
            }
        } else {
            // When old_rev_thread == v_in, join and v_out coincide.
            let thread_continue = if old_rev_thread == v_in {
                self.thread[old_last_succ]
            } else {
                self.thread[v_in]
            };
            // Walk the stem from u_in up to u_out, reversing parents and splicing threads.
            let mut stem = u_in;
            let mut par_stem = v_in;
            let mut last = self.last_succ[u_in] as usize;
            let mut after = self.thread[last];
            self.thread[v_in] = u_in as u32;
            self.dirty_revs.clear();
            self.dirty_revs.push(v_in as u32);
            while stem != u_out {
                let next_stem = self.parent[stem] as usize;
                self.thread[last] = next_stem as u32;
                self.dirty_revs.push(last as u32);
                let before = self.rev_thread[stem] as usize;
                self.thread[before] = after;
                self.rev_thread[after as usize] = before as u32;
                self.parent[stem] = par_stem as u32;
                par_stem = stem;
                stem = next_stem;
                last = if self.last_succ[stem] == self.last_succ[par_stem] {
                    self.rev_thread[par_stem] as usize
                } else {
                    self.last_succ[stem] as usize
                };
                after = self.thread[last];
            }
            self.parent[u_out] = par_stem as u32;
            self.thread[last] = thread_continue;
            self.rev_thread[thread_continue as usize] = last as u32;
            self.last_succ[u_out] = last as u32;
            if old_rev_thread != v_in {
                self.thread[old_rev_thread] = after;
                self.rev_thread[after as usize] = old_rev_thread as u32;
            }
            for i in 0..self.dirty_revs.len() {
                let u = self.dirty_revs[i] as usize;
                let t = self.thread[u] as usize;
                self.rev_thread[t] = u as u32;
            }
            // Shift pred / pred_dir along the stem and recompute subtree sizes and last successors.
            let mut tmp_sc: i64 = 0;
            let tmp_ls = self.last_succ[u_out];
            let mut u = u_out;
            while u != u_in {
                let p = self.parent[u] as usize;
                self.pred[u] = self.pred[p];
                self.pred_dir[u] = -self.pred_dir[p];
                tmp_sc += i64::from(self.succ_num[u]) - i64::from(self.succ_num[p]);
                self.succ_num[u] = tmp_sc as u32;
                self.last_succ[p] = tmp_ls;
                u = p;
            }
            self.pred[u_in] = self.in_arc as u32;
            self.pred_dir[u_in] = in_dir;
            self.succ_num[u_in] = old_succ_num;
        }

        // Last successors from v_in towards the root.
        let up_limit_out = if self.last_succ[join] as usize == v_in {
            join as u32
        } else {
            NONE
        };
        let last_succ_out = self.last_succ[u_out];
        let mut u = v_in as u32;
        while u != NONE && self.last_succ[u as usize] as usize == v_in {
            self.last_succ[u as usize] = last_succ_out;
            u = self.parent[u as usize];
        }
        // Last successors from v_out towards the root.
        if join != old_rev_thread && v_in != old_rev_thread {
            let mut u = v_out as u32;
            while u != up_limit_out && self.last_succ[u as usize] as usize == old_last_succ {
                self.last_succ[u as usize] = old_rev_thread as u32;
                u = self.parent[u as usize];
            }
        } else if last_succ_out as usize != old_last_succ {
            let mut u = v_out as u32;
            while u != up_limit_out && self.last_succ[u as usize] as usize == old_last_succ {
                self.last_succ[u as usize] = last_succ_out;
                u = self.parent[u as usize];
            }
        }
        // Subtree sizes on both paths up to the join node.
        let mut u = v_in;
        while u != join {
            self.succ_num[u] += old_succ_num;
            u = self.parent[u] as usize;
        }
        let mut u = v_out;
        while u != join {
            self.succ_num[u] -= old_succ_num;
            u = self.parent[u] as usize;
        }
    }

    /// Shifts the potentials of the moved subtree so the entering arc has zero reduced cost.
    fn update_potential(&mut self) {
        let u_in = self.u_in;
        let sigma = self.pi[self.v_in] - self.pi[u_in] - i64::from(self.pred_dir[u_in]) * COST;
        let end = self.thread[self.last_succ[u_in] as usize] as usize;
        let mut u = u_in;
        while u != end {
            self.pi[u] += sigma;
            u = self.thread[u] as usize;
        }
    }

    /// Checks the basis invariants and the optimality conditions (tests only).
    #[cfg(test)]
    pub(crate) fn assert_optimal(&self) {
        for e in 0..self.m {
            let rc = self.reduced_cost(e);
            match self.state[e] {
                STATE_TREE => assert_eq!(rc, 0, "tree arc {e} must have zero reduced cost"),
                STATE_LOWER => {
                    assert_eq!(self.flow[e], 0);
                    assert!(rc >= 0, "arc {e} at lower bound with negative reduced cost");
                }
                _ => {
                    assert_eq!(self.flow[e], self.cap[e]);
                    assert!(rc <= 0, "arc {e} at upper bound with positive reduced cost");
                }
            }
        }
        // Every node reachable from the root along the thread exactly once.
        let mut seen = vec![false; self.n + 1];
        let mut u = self.n;
        for _ in 0..=self.n {
            assert!(!seen[u]);
            seen[u] = true;
            u = self.thread[u] as usize;
        }
        assert_eq!(u, self.n);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn solve(n: usize, arcs: &[(u32, u32, u64)]) -> (Vec<u64>, Simplex) {
        let mut s = Simplex::default();
        s.solve(n, arcs.iter().copied());
        s.assert_optimal();
        ((0..arcs.len()).map(|i| s.flow(i)).collect(), s)
    }

    #[test]
    fn triangle_is_cleared_by_its_minimum() {
        let (f, _) = solve(3, &[(0, 1, 10), (1, 2, 7), (2, 0, 12)]);
        assert_eq!(f, vec![7, 7, 7]);
    }

    #[test]
    fn two_cycles_sharing_an_arc() {
        // 0->1 shared by cycles 0-1-2 and 0-1-3; the shared arc limits the total.
        let (f, _) = solve(4, &[(0, 1, 5), (1, 2, 4), (2, 0, 4), (1, 3, 4), (3, 0, 4)]);
        assert_eq!(f[0], 5);
        assert_eq!(f.iter().sum::<u64>(), 15);
    }

    #[test]
    fn reuse_between_solves_resets_state() {
        let mut s = Simplex::default();
        s.solve(3, [(0, 1, 3), (1, 2, 3), (2, 0, 3)].into_iter());
        s.solve(2, [(0, 1, 4), (1, 0, 9)].into_iter());
        s.assert_optimal();
        assert_eq!((s.flow(0), s.flow(1)), (4, 4));
    }

    /// Medium random graphs: the solver's own LP optimality certificate (reduced costs vs. arc
    /// states) plus flow conservation must hold.
    #[test]
    fn random_medium_graphs_satisfy_the_optimality_certificate() {
        let mut x = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for &(n, m) in &[(50usize, 200usize), (400, 1200), (1500, 6000)] {
            let arcs: Vec<(u32, u32, u64)> = (0..m)
                .map(|_| {
                    let u = (next() % n as u64) as u32;
                    let v = ((u as u64 + 1 + next() % (n as u64 - 1)) % n as u64) as u32;
                    (u, v, next() % 1_000_000)
                })
                .collect();
            let (f, _) = solve(n, &arcs);
            let mut net = vec![0i128; n];
            for (&(u, v, c), &x) in arcs.iter().zip(&f) {
                assert!(x <= c);
                net[u as usize] -= i128::from(x);
                net[v as usize] += i128::from(x);
            }
            assert!(net.iter().all(|&b| b == 0));
            assert!(f.iter().any(|&x| x > 0));
        }
    }
}
