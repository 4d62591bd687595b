//! The trust network around one participant in one equivalent: a breadth-first walk over live trust
//! lines (either direction), nearest members first, bounded in hops and in members. Pure: it reads
//! a [`Book`] and returns ledger indices; what each member may see of it is the API's business.

use std::collections::{BTreeSet, HashMap, VecDeque};

use super::state::{Book, Idx};

/// Members within reach and the lines between them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbourhood {
    /// `(member, hops)`, the centre first with 0, in the order they were reached.
    pub members: Vec<(Idx, u8)>,
    /// `(creditor, debtor)` of every live line between two members, ascending.
    pub lines: Vec<(Idx, Idx)>,
    /// More members lay within reach than the bound allowed.
    pub truncated: bool,
}

impl Book {
    /// Whether `a` and `b` share a live trust line in this equivalent, either way.
    fn linked(&self, a: Idx, b: Idx) -> bool {
        self.lines.contains_key(&(a, b)) || self.lines.contains_key(&(b, a))
    }

    /// The members at most `depth` trust lines from `centre` (at most `max_members`, the centre
    /// included; ties broken by ledger index, so the answer is the same on every replay).
    pub fn neighbourhood(&self, centre: Idx, depth: u8, max_members: usize) -> Neighbourhood {
        let mut hops: HashMap<Idx, u8> = HashMap::from([(centre, 0)]);
        let mut members = vec![(centre, 0)];
        let mut queue = VecDeque::from([centre]);
        let mut truncated = false;
        'walk: while let Some(u) = queue.pop_front() {
            let h = hops[&u];
            if h >= depth {
                continue;
            }
            let Some(next) = self.neighbours.get(&u) else {
                continue;
            };
            for &v in next {
                if hops.contains_key(&v) || !self.linked(u, v) {
                    continue;
                }
                if members.len() >= max_members {
                    truncated = true;
                    break 'walk;
                }
                hops.insert(v, h + 1);
                members.push((v, h + 1));
                queue.push_back(v);
            }
        }
        let mut lines = BTreeSet::new();
        for &(u, _) in &members {
            for &v in self.neighbours.get(&u).into_iter().flatten() {
                if hops.contains_key(&v) && self.lines.contains_key(&(u, v)) {
                    lines.insert((u, v));
                }
            }
        }
        Neighbourhood {
            members,
            lines: lines.into_iter().collect(),
            truncated,
        }
    }
}
