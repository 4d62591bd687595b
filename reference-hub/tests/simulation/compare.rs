//! Two comparisons after steps: the engine's ledger against the model (person by person, pair by
//! pair, including the routing graph's capacities), and a ledger replayed from the journal against
//! the live one (every field the engine keeps).

use std::collections::BTreeMap;

use geo_routing::NodeId;
use reference_hub::engine::ledger::{Book, Ledger, ParticipantStatus};
use reference_hub::engine::Engine;

use crate::model::{Model, Who};
use crate::sent::{tx_id, People};

fn book(ledger: &Ledger) -> &Book {
    &ledger.books[&crate::equivalent()]
}

/// The engine's state equals the model's.
pub fn engine_matches_model(engine: &Engine, m: &Model, people: &People) -> Result<(), String> {
    let ledger = engine.ledger();
    ledger.check_invariants()?;
    m.invariants()?;
    let idx = |w: Who| ledger.by_pid.get(&people.pids[w]).copied();
    for w in 0..people.pids.len() {
        let engine = ledger
            .participant(&people.pids[w])
            .map(|p| p.status == ParticipantStatus::Active);
        if engine != m.members.get(&w).copied() {
            return Err(format!(
                "person {w}: engine says active={engine:?}, model {:?}",
                m.members.get(&w)
            ));
        }
    }
    let b = book(ledger);
    let members: Vec<Who> = m.members.keys().copied().collect();
    for &u in &members {
        let iu = idx(u).unwrap();
        let position = b.expected_net.get(&iu).copied().unwrap_or(0);
        if position != m.positions.get(&u).copied().unwrap_or(0) {
            return Err(format!(
                "person {u}: engine position {position}, model {:?}",
                m.positions.get(&u)
            ));
        }
        for &v in &members {
            if u == v {
                continue;
            }
            let iv = idx(v).unwrap();
            let pair = format!("pair {u}->{v}");
            if b.debt(iu, iv) != m.debt(u, v) {
                return Err(format!(
                    "{pair}: engine debt {}, model {}",
                    b.debt(iu, iv),
                    m.debt(u, v)
                ));
            }
            if b.reserved(iu, iv) != m.reserved(u, v) {
                return Err(format!(
                    "{pair}: engine reserved {}, model {}",
                    b.reserved(iu, iv),
                    m.reserved(u, v)
                ));
            }
            let line = b
                .lines
                .get(&(iu, iv))
                .map(|l| (l.limit, l.policy.auto_clearing));
            let want = m.lines.get(&(u, v)).map(|l| (l.limit, l.auto_clearing));
            if line != want {
                return Err(format!("{pair}: engine line {line:?}, model {want:?}"));
            }
            let want = m.capacity(u, v).max(0) as u64;
            let graph = b
                .graph
                .arc(NodeId(iu), NodeId(iv))
                .map_or(0, |a| b.graph.capacity(a));
            if graph != want {
                return Err(format!(
                    "{pair}: routing graph capacity {graph}, model {want}"
                ));
            }
            let clearable = b.clearable.debt(iu, iv);
            let auto = m.lines.get(&(v, u)).is_some_and(|l| l.auto_clearing);
            let want = if auto {
                m.debt(u, v).min(m.capacity(v, u).max(0) as u64)
            } else {
                0
            };
            if clearable != want {
                return Err(format!("{pair}: clearable debt {clearable}, model {want}"));
            }
        }
    }
    let holds: BTreeMap<_, _> = ledger
        .holds
        .iter()
        .map(|(id, h)| (*id, (h.amount, h.expires_at.unix())))
        .collect();
    let want: BTreeMap<_, _> = m
        .holds
        .iter()
        .map(|(tx, h)| (tx_id(*tx), (h.amount, h.expires_at)))
        .collect();
    if holds != want {
        return Err(format!("holds: engine {holds:?}, model {want:?}"));
    }
    for (tx, p) in &m.payments {
        match engine.payment_index(&tx_id(*tx)) {
            Ok(Some(e)) if e.state == p.state && e.payload_digest == p.payload_digest => {}
            other => return Err(format!("payment {tx}: engine {other:?}, model {p:?}")),
        }
    }
    if engine.remembered_payments().count() != m.payments.len() {
        return Err("the engine knows payments the model does not".into());
    }
    let proposal = b.proposal.as_ref().map(|p| {
        let mut offs: Vec<_> = p
            .set_offs
            .iter()
            .map(|(d, c, a)| (people.who(ledger.pid(*d)), people.who(ledger.pid(*c)), *a))
            .collect();
        offs.sort();
        let who = |s: &std::collections::BTreeSet<u32>| -> Vec<Who> {
            let mut who: Vec<Who> = s.iter().map(|i| people.who(ledger.pid(*i))).collect();
            who.sort();
            who
        };
        (
            p.id,
            offs,
            who(&p.required),
            who(&p.accepted),
            p.expires_at.unix(),
        )
    });
    let want = m.proposal.as_ref().map(|p| {
        let mut offs = p.set_offs.clone();
        offs.sort();
        (
            p.id,
            offs,
            p.required.iter().copied().collect::<Vec<_>>(),
            p.accepted.iter().copied().collect::<Vec<_>>(),
            p.expires_at,
        )
    });
    if proposal != want {
        return Err(format!("proposal: engine {proposal:?}, model {want:?}"));
    }
    Ok(())
}

/// A ledger rebuilt from the journal holds exactly what the live one does.
pub fn replay_equals_live(live_engine: &Engine, replayed_engine: &Engine) -> Result<(), String> {
    let (live, replayed) = (live_engine.ledger(), replayed_engine.ledger());
    let differ = |what: &str| Err(format!("replayed ledger differs from the live one: {what}"));
    if live.last_seq != replayed.last_seq || live.last_hash != replayed.last_hash {
        return differ("journal head");
    }
    if live.counters != replayed.counters {
        return differ("counters");
    }
    let people = |l: &Ledger| -> Vec<_> {
        l.participants
            .iter()
            .map(|p| {
                (
                    p.pid.clone(),
                    p.status.as_str(),
                    p.display_name.clone(),
                    p.idx,
                )
            })
            .collect()
    };
    if people(live) != people(replayed) || live.by_pid != replayed.by_pid {
        return differ("participants");
    }
    let payments = |e: &Engine| -> BTreeMap<_, _> {
        e.remembered_payments()
            .map(|(k, p)| (*k, (p.payer, p.payload_digest, p.state)))
            .collect()
    };
    if payments(live_engine) != payments(replayed_engine) {
        return differ("payments");
    }
    let holds = |l: &Ledger| -> BTreeMap<_, _> {
        l.holds
            .iter()
            .map(|(k, h)| {
                (
                    *k,
                    (
                        h.payer,
                        h.payee,
                        h.amount,
                        h.paths.clone(),
                        h.expires_at,
                        h.payload_digest,
                        h.request_digest,
                        h.created_at,
                        h.description.clone(),
                    ),
                )
            })
            .collect()
    };
    if holds(live) != holds(replayed) {
        return differ("holds");
    }
    if live.books.keys().ne(replayed.books.keys()) {
        return differ("equivalents");
    }
    let n = live.participants.len() as u32;
    for (code, a) in &live.books {
        let b = &replayed.books[code];
        let lines = |x: &Book| -> BTreeMap<_, _> {
            x.lines
                .iter()
                .map(|(k, l)| {
                    (
                        *k,
                        (l.id, l.limit, l.policy.clone(), l.created_at, l.updated_at),
                    )
                })
                .collect()
        };
        let proposal = |x: &Book| {
            x.proposal.as_ref().map(|p| {
                (
                    p.id,
                    p.set_offs.clone(),
                    p.required.clone(),
                    p.accepted.clone(),
                    p.created_at,
                    p.expires_at,
                )
            })
        };
        let mut debts_a = a.clearable.debts();
        let mut debts_b = b.clearable.debts();
        debts_a.sort_by_key(|d| (d.debtor, d.creditor));
        debts_b.sort_by_key(|d| (d.debtor, d.creditor));
        let checks = [
            (
                "precision and state",
                a.precision == b.precision && a.active == b.active,
            ),
            ("lines", lines(a) == lines(b)),
            ("balances", a.balances == b.balances),
            ("reservations", a.reserved == b.reserved),
            ("positions", a.expected_net == b.expected_net),
            ("neighbours", a.neighbours == b.neighbours),
            ("proposal", proposal(a) == proposal(b)),
            ("declined debts", a.declined == b.declined),
            ("clearable debts", debts_a == debts_b),
        ];
        for (what, same) in checks {
            if !same {
                return differ(&format!("{code}: {what}"));
            }
        }
        for u in 0..n {
            if a.graph.is_routable(NodeId(u)) != b.graph.is_routable(NodeId(u)) {
                return differ(&format!("{code}: routable {u}"));
            }
            for v in 0..n {
                let cap = |x: &Book| {
                    x.graph
                        .arc(NodeId(u), NodeId(v))
                        .map_or(0, |arc| x.graph.capacity(arc))
                };
                if cap(a) != cap(b) {
                    return differ(&format!(
                        "{code}: graph capacity {u}->{v}: live {} replayed {}",
                        cap(a),
                        cap(b)
                    ));
                }
            }
        }
    }
    Ok(())
}
