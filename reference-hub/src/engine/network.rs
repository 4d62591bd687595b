//! The trust network around one participant in one equivalent: a breadth-first walk over live trust
//! lines (either direction), nearest members first, bounded in hops and in members. Pure: it reads
//! a [`Book`] and returns ledger indices; what each member may see of it is the API's business.

use std::collections::{BTreeSet, HashMap, VecDeque};

use geo_protocol::{EquivalentCode, Pid, Precision};

use super::error::{EngineError, EngineResult};
use super::ledger::{Book, Idx};
use super::Engine;

/// A member of the network around a participant, as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkMember {
    /// The member.
    pub pid: Pid,
    /// Their display name.
    pub display_name: String,
    /// Trust lines between them and the centre.
    pub hops: u8,
}

/// A live line of the network around a participant; amounts only on the centre's own lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkLine {
    /// Who gave the credit.
    pub creditor: Pid,
    /// Who may owe.
    pub debtor: Pid,
    /// Whether the debtor owes anything on it.
    pub in_debt: bool,
    /// `(limit, used)` in minor units, on the centre's own lines only.
    pub amounts: Option<(u64, u64)>,
}

/// What a participant may see of the trust network around them (spec §8.7).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkView {
    /// The equivalent's decimal places.
    pub precision: Precision,
    /// Members, nearest first, then by PID.
    pub members: Vec<NetworkMember>,
    /// Lines between members, by creditor then debtor.
    pub lines: Vec<NetworkLine>,
    /// More members lay within reach than the bound allowed.
    pub truncated: bool,
}

impl Engine {
    /// The trust network around `centre` in `code`, at most `depth` lines out and `max_members`
    /// members: who is linked to whom and which way, amounts on `centre`'s own lines only.
    pub fn network(
        &self,
        centre: &Pid,
        code: &EquivalentCode,
        depth: u8,
        max_members: usize,
    ) -> EngineResult<NetworkView> {
        let l = &self.ledger;
        let book = l
            .books
            .get(code)
            .ok_or_else(|| EngineError::UnknownEquivalent(code.clone()))?;
        let me = *l
            .by_pid
            .get(centre)
            .ok_or_else(|| EngineError::ParticipantNotFound(centre.clone()))?;
        let n = book.neighbourhood(me, depth, max_members);
        let mut members: Vec<NetworkMember> = n
            .members
            .iter()
            .map(|&(x, hops)| NetworkMember {
                pid: l.pid(x).clone(),
                display_name: l.participants[x as usize].display_name.clone(),
                hops,
            })
            .collect();
        members.sort_by(|a, b| (a.hops, &a.pid).cmp(&(b.hops, &b.pid)));
        let mut lines: Vec<NetworkLine> = n
            .lines
            .iter()
            .map(|&(creditor, debtor)| {
                let used = book.debt(debtor, creditor);
                let mine = creditor == me || debtor == me;
                NetworkLine {
                    creditor: l.pid(creditor).clone(),
                    debtor: l.pid(debtor).clone(),
                    in_debt: used > 0,
                    amounts: mine.then(|| (book.limit(creditor, debtor), used)),
                }
            })
            .collect();
        lines.sort_by(|a, b| (&a.creditor, &a.debtor).cmp(&(&b.creditor, &b.debtor)));
        Ok(NetworkView {
            precision: book.precision,
            members,
            lines,
            truncated: n.truncated,
        })
    }
}

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
