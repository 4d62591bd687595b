//! The independent model of what the engine should hold: debts, limits, reservations, holds, payments,
//! nonces and the open proposal, over plain ordered maps and person numbers. It shares no code with
//! the engine (no `Book`, no routing graph): capacities, routes and set-offs are recomputed here from
//! first principles, so a bug has to be made twice, in two different shapes, to go unnoticed.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use geo_protocol::{Digest, ErrorCode, TxId};
use reference_hub::engine::ledger::PaymentState;

/// A person's number in the simulation (not the engine's index).
pub type Who = usize;

/// A live trust line `creditor → debtor`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The debtor may owe up to this many minor units.
    pub limit: u64,
    /// The creditor consents to clearing in advance.
    pub auto_clearing: bool,
}

/// A prepared payment holding capacity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hold {
    /// Payer.
    pub payer: Who,
    /// Payee.
    pub payee: Who,
    /// Minor units.
    pub amount: u64,
    /// Reserved paths.
    pub paths: Vec<(Vec<Who>, u64)>,
    /// Whole second at which it lapses.
    pub expires_at: i64,
}

/// What idempotency needs to know about a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// Payer.
    pub payer: Who,
    /// Digest of the signed payload that created it.
    pub payload_digest: Digest,
    /// Where it stands.
    pub state: PaymentState,
}

/// An open clearing proposal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    /// Its id.
    pub id: TxId,
    /// `(debtor, creditor, minor units)`.
    pub set_offs: Vec<(Who, Who, u64)>,
    /// Creditors who must accept.
    pub required: BTreeSet<Who>,
    /// Those who did.
    pub accepted: BTreeSet<Who>,
    /// Whole second at which it lapses.
    pub expires_at: i64,
}

/// The expected state of the hub.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Registered, and whether active.
    pub members: BTreeMap<Who, bool>,
    /// Lines by `(creditor, debtor)`.
    pub lines: BTreeMap<(Who, Who), Line>,
    /// Debts by `(debtor, creditor)`; never both directions of one pair.
    pub debts: BTreeMap<(Who, Who), u64>,
    /// Reserved minor units per payment arc `(from, to)`.
    pub reserved: BTreeMap<(Who, Who), u64>,
    /// Prepared payments by tx number.
    pub holds: BTreeMap<u32, Hold>,
    /// Every payment by tx number.
    pub payments: BTreeMap<u32, Payment>,
    /// `(signer, nonce number)` of every applied participant-signed change.
    pub nonces: BTreeSet<(Who, u64)>,
    /// Net position of each person from payment endpoints only (payee +, payer −).
    pub positions: BTreeMap<Who, i128>,
    /// The open proposal.
    pub proposal: Option<Proposal>,
}

impl Model {
    /// Nobody registered, nothing owed.
    pub fn new() -> Self {
        Self::default()
    }

    /// Registered and active.
    pub fn active(&self, who: Who) -> bool {
        self.members.get(&who) == Some(&true)
    }

    /// What `debtor` owes `creditor`.
    pub fn debt(&self, debtor: Who, creditor: Who) -> u64 {
        self.debts.get(&(debtor, creditor)).copied().unwrap_or(0)
    }

    /// The limit of the line `creditor → debtor` (0 without a line).
    pub fn limit(&self, creditor: Who, debtor: Who) -> u64 {
        self.lines.get(&(creditor, debtor)).map_or(0, |l| l.limit)
    }

    /// Reserved on the payment arc `from → to`.
    pub fn reserved(&self, from: Who, to: Who) -> u64 {
        self.reserved.get(&(from, to)).copied().unwrap_or(0)
    }

    /// How much more `from` may pay `to` directly: what `to` lets `from` owe, plus what `to` owes
    /// `from` already, minus what `from` owes and has reserved.
    pub fn capacity(&self, from: Who, to: Who) -> i128 {
        i128::from(self.limit(to, from)) + i128::from(self.debt(to, from))
            - i128::from(self.debt(from, to))
            - i128::from(self.reserved(from, to))
    }

    /// `from` pays `to` one hop: first what `to` owes `from` is forgiven, then `from` owes the rest.
    pub fn pay_hop(&mut self, from: Who, to: Who, amount: u64) {
        let back = self.debt(to, from);
        let cancelled = back.min(amount);
        set(&mut self.debts, (to, from), back - cancelled);
        let rest = amount - cancelled;
        let owed = self.debt(from, to) + rest;
        set(&mut self.debts, (from, to), owed);
    }

    /// Reserves (or with `sign` false releases) each hop of `paths`.
    pub fn reserve(&mut self, paths: &[(Vec<Who>, u64)], add: bool) {
        for (path, amount) in paths {
            for hop in path.windows(2) {
                let r = self.reserved(hop[0], hop[1]);
                let r = if add {
                    r + amount
                } else {
                    r.checked_sub(*amount)
                        .expect("model releases what it reserved")
                };
                set(&mut self.reserved, (hop[0], hop[1]), r);
            }
        }
    }

    /// Applies a payment along `paths` and moves the endpoints' positions.
    pub fn settle(&mut self, payer: Who, payee: Who, amount: u64, paths: &[(Vec<Who>, u64)]) {
        for (path, a) in paths {
            for hop in path.windows(2) {
                self.pay_hop(hop[0], hop[1], *a);
            }
        }
        *self.positions.entry(payer).or_default() -= i128::from(amount);
        *self.positions.entry(payee).or_default() += i128::from(amount);
    }

    /// Checks a route the engine chose: simple paths from payer to payee through active people,
    /// amounts summing exactly, and every arc's total within its capacity now.
    pub fn check_route(
        &self,
        payer: Who,
        payee: Who,
        amount: u64,
        paths: &[(Vec<Who>, u64)],
        max_hops: usize,
    ) -> Result<(), String> {
        let mut sum = 0u128;
        let mut per_arc: BTreeMap<(Who, Who), u128> = BTreeMap::new();
        for (path, a) in paths {
            if *a == 0 || path.len() < 2 || path.len() - 1 > max_hops {
                return Err(format!("bad path {path:?} carrying {a}"));
            }
            if path[0] != payer || path[path.len() - 1] != payee {
                return Err(format!("path {path:?} does not join {payer} to {payee}"));
            }
            let distinct: BTreeSet<_> = path.iter().collect();
            if distinct.len() != path.len() {
                return Err(format!("path {path:?} repeats a person"));
            }
            if let Some(p) = path.iter().find(|p| !self.active(**p)) {
                return Err(format!("path {path:?} goes through inactive {p}"));
            }
            sum += u128::from(*a);
            for hop in path.windows(2) {
                *per_arc.entry((hop[0], hop[1])).or_default() += u128::from(*a);
            }
        }
        if sum != u128::from(amount) {
            return Err(format!("paths carry {sum}, not {amount}"));
        }
        for ((u, v), used) in per_arc {
            if i128::try_from(used).unwrap() > self.capacity(u, v) {
                return Err(format!(
                    "arc {u}->{v} carries {used} over capacity {}",
                    self.capacity(u, v)
                ));
            }
        }
        Ok(())
    }

    /// The largest amount one simple path of at most `max_hops` hops through active people can carry.
    pub fn widest_path(&self, from: Who, to: Who, max_hops: usize) -> u64 {
        fn walk(
            m: &Model,
            at: Who,
            to: Who,
            hops_left: usize,
            width: u64,
            seen: &mut BTreeSet<Who>,
        ) -> u64 {
            if at == to {
                return width;
            }
            if hops_left == 0 {
                return 0;
            }
            let mut best = 0;
            for (&next, _) in m.members.iter().filter(|(_, a)| **a) {
                if seen.contains(&next) {
                    continue;
                }
                let cap = m.capacity(at, next).max(0) as u64;
                if cap == 0 {
                    continue;
                }
                seen.insert(next);
                best = best.max(walk(m, next, to, hops_left - 1, width.min(cap), seen));
                seen.remove(&next);
            }
            best
        }
        if !self.active(from) || !self.active(to) {
            return 0;
        }
        walk(
            self,
            from,
            to,
            max_hops,
            u64::MAX,
            &mut BTreeSet::from([from]),
        )
    }

    /// The maximum flow from `from` to `to` through active people, hop limits ignored (an upper bound
    /// on what any router may find).
    pub fn max_flow(&self, from: Who, to: Who) -> u128 {
        let people: Vec<Who> = self
            .members
            .iter()
            .filter(|(_, a)| **a)
            .map(|(w, _)| *w)
            .collect();
        let mut residual: BTreeMap<(Who, Who), u128> = BTreeMap::new();
        for &u in &people {
            for &v in &people {
                if u != v {
                    residual.insert((u, v), self.capacity(u, v).max(0) as u128);
                }
            }
        }
        let mut total = 0u128;
        loop {
            // Breadth-first search for an augmenting path (Edmonds–Karp).
            let mut parent: BTreeMap<Who, Who> = BTreeMap::new();
            let mut queue = VecDeque::from([from]);
            while let Some(u) = queue.pop_front() {
                for &v in &people {
                    if v != from
                        && !parent.contains_key(&v)
                        && residual.get(&(u, v)).copied().unwrap_or(0) > 0
                    {
                        parent.insert(v, u);
                        queue.push_back(v);
                    }
                }
            }
            if !parent.contains_key(&to) {
                return total;
            }
            let mut width = u128::MAX;
            let mut v = to;
            while v != from {
                let u = parent[&v];
                width = width.min(residual[&(u, v)]);
                v = u;
            }
            let mut v = to;
            while v != from {
                let u = parent[&v];
                *residual.get_mut(&(u, v)).unwrap() -= width;
                *residual.get_mut(&(v, u)).unwrap() += width;
                v = u;
            }
            total += width;
        }
    }

    /// Why a set-off may not be applied now, in the engine's documented precedence: each debt named
    /// once with a positive amount (else `E_VALIDATION`), within what is owed and not reserved back
    /// by a held payment, backed by a live line, consenting in advance with `require_auto` (else `E_CONFLICT`), and nobody's net
    /// position moved (else `E_VALIDATION`). `None` when it may.
    pub fn set_off_refusal(
        &self,
        set_offs: &[(Who, Who, u64)],
        require_auto: bool,
    ) -> Option<ErrorCode> {
        let mut seen = BTreeSet::new();
        let mut net: BTreeMap<Who, i128> = BTreeMap::new();
        for &(d, c, a) in set_offs {
            if a == 0 || d == c || !seen.insert((d, c)) {
                return Some(ErrorCode::Validation);
            }
            // Setting off d's debt to c takes as much capacity from the arc c→d: never below what
            // held payments reserved on it.
            if a > self.debt(d, c) || i128::from(a) > self.capacity(c, d) {
                return Some(ErrorCode::Conflict);
            }
            match self.lines.get(&(c, d)) {
                Some(line) if line.auto_clearing || !require_auto => {}
                _ => return Some(ErrorCode::Conflict),
            }
            *net.entry(d).or_default() += i128::from(a);
            *net.entry(c).or_default() -= i128::from(a);
        }
        if net.values().any(|v| *v != 0) {
            return Some(ErrorCode::Validation);
        }
        None
    }

    /// A simple cycle of debts (debtor → creditor → …) through `start`, if any, with only debts
    /// whose creditor consents in advance when `auto_only`.
    pub fn debt_cycle(&self, start: Who, auto_only: bool) -> Option<Vec<Who>> {
        fn walk(m: &Model, path: &mut Vec<Who>, start: Who, auto_only: bool) -> bool {
            let at = *path.last().unwrap();
            for (&(d, c), _) in m.debts.range((at, 0)..(at + 1, 0)) {
                debug_assert_eq!(d, at);
                if auto_only && !m.lines.get(&(c, d)).is_some_and(|l| l.auto_clearing) {
                    continue;
                }
                if c == start && path.len() >= 2 {
                    return true;
                }
                if path.contains(&c) {
                    continue;
                }
                path.push(c);
                if walk(m, path, start, auto_only) {
                    return true;
                }
                path.pop();
            }
            false
        }
        let mut path = vec![start];
        walk(self, &mut path, start, auto_only).then_some(path)
    }

    /// Forgives the debts of a (valid) set-off.
    pub fn clear(&mut self, set_offs: &[(Who, Who, u64)]) {
        for &(d, c, a) in set_offs {
            let left = self.debt(d, c) - a;
            set(&mut self.debts, (d, c), left);
        }
    }

    /// The model's own invariants (a model bug must not pass for an engine bug).
    pub fn invariants(&self) -> Result<(), String> {
        for (&(d, c), &owed) in &self.debts {
            if owed == 0 || self.debt(c, d) > 0 {
                return Err(format!(
                    "model: debt {d}->{c} stored as {owed} or both ways"
                ));
            }
            if owed > self.limit(c, d) {
                return Err(format!("model: debt {d}->{c} {owed} over limit"));
            }
        }
        for &(u, v) in self.reserved.keys() {
            if self.capacity(u, v) < 0 {
                return Err(format!("model: reservations over capacity on {u}->{v}"));
            }
        }
        // Positions from the debts alone must equal those from payment endpoints, and sum to zero.
        let mut net: BTreeMap<Who, i128> = BTreeMap::new();
        for (&(d, c), &owed) in &self.debts {
            *net.entry(d).or_default() -= i128::from(owed);
            *net.entry(c).or_default() += i128::from(owed);
        }
        for who in net.keys().chain(self.positions.keys()) {
            let a = net.get(who).copied().unwrap_or(0);
            let b = self.positions.get(who).copied().unwrap_or(0);
            if a != b {
                return Err(format!(
                    "model: {who} nets {a} by debts but {b} by payments"
                ));
            }
        }
        if self.positions.values().sum::<i128>() != 0 {
            return Err("model: positions do not sum to zero".into());
        }
        Ok(())
    }
}

fn set(map: &mut BTreeMap<(Who, Who), u64>, key: (Who, Who), value: u64) {
    if value == 0 {
        map.remove(&key);
    } else {
        map.insert(key, value);
    }
}
