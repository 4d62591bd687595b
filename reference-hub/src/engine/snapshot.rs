//! A ledger snapshot: the ledger's source state at one journal position in a compact, canonical
//! binary form, so a hub can start from a checkpoint instead of replaying the whole journal.
//!
//! Only what the journal's events set is stored (participants, lines, balances, reservations,
//! holds, proposals, counters, and the clearing graph's adjacency in its order), all bounded by the
//! live state, not by history: old payments are found in the `payments` table (`payments.rs`);
//! the routing graphs are rebuilt from it, by the same code that keeps them current (routes depend
//! only on node ids and capacities, not on the order arcs were created). The encoding is canonical
//! (maps in key order), so two equal ledgers give the same bytes: `geo-hub check` compares a
//! checkpoint with the full replay by its hash.
//!
//! A checkpoint's hash chains the snapshot to the journal: `sha256("geo-checkpoint/1" ‖ seq (8 bytes,
//! big-endian) ‖ hash of the journal entry at seq ‖ sha256(snapshot))`. A checkpoint that does not
//! match the journal it sits beside, or its own bytes, is ignored.

use std::collections::{BTreeMap, BTreeSet};

use geo_protocol::{Digest, EquivalentCode, ErrorCode, Pid, Precision, PublicKey, Timestamp, TxId};

use super::ledger::{
    Book, Hold, Idx, Ledger, Participant, ParticipantStatus, Proposal, RefusedFulfilment, TrustLine,
};
use super::stats::{Counters, EquivalentCounters};

/// Leading bytes of every snapshot.
const MAGIC: &[u8; 12] = b"geo-ledger\0\0";

/// This build's snapshot format; a snapshot of another format is not read (the hub replays instead).
/// Format 2 no longer holds the payment index (it grew with history; see `payments.rs`); format 3
/// adds the refused fulfilments (`spec/federation.md` §7); format 4 those this hub refused.
pub const FORMAT: u32 = 4;

/// Why bytes are not a snapshot this build can load.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    /// Not a ledger snapshot, or of another format.
    #[error("not a ledger snapshot of format {FORMAT}")]
    Format,
    /// The bytes end early, go on after the end, or hold a value that cannot be.
    #[error("malformed ledger snapshot: {0}")]
    Malformed(&'static str),
}

/// The hash binding a snapshot to the journal entry `seq` whose hash is `journal_hash`.
pub fn checkpoint_hash(seq: u64, journal_hash: &Digest, snapshot: &[u8]) -> Digest {
    let mut bytes = Vec::with_capacity(16 + 8 + 64);
    bytes.extend_from_slice(b"geo-checkpoint/1");
    bytes.extend_from_slice(&seq.to_be_bytes());
    bytes.extend_from_slice(&journal_hash.to_bytes());
    bytes.extend_from_slice(&Digest::of(snapshot).to_bytes());
    Digest::of(&bytes)
}

impl Ledger {
    /// The ledger's snapshot (canonical: equal ledgers give equal bytes).
    pub fn snapshot(&self) -> Vec<u8> {
        let mut o = Out(Vec::with_capacity(4096));
        o.0.extend_from_slice(MAGIC);
        o.u32(FORMAT);
        o.u64(self.last_seq);
        o.option(self.last_hash.as_ref(), |o, h| o.digest(h));
        o.len(self.participants.len());
        for p in &self.participants {
            o.str(p.pid.as_str());
            o.0.extend_from_slice(&p.public_key.to_bytes());
            o.str(&p.display_name);
            o.str(&serde_json::to_string(&p.kind).expect("kinds serialise"));
            o.str(&serde_json::to_string(&p.profile).expect("profiles serialise"));
            o.u8(participant_status_tag(p.status));
            o.time(p.created_at);
            o.time(p.updated_at);
        }
        o.len(self.books.len());
        for book in self.books.values() {
            book_out(&mut o, book);
        }
        let holds: BTreeMap<&TxId, &Hold> = self.holds.iter().collect();
        o.len(holds.len());
        for h in holds.values() {
            hold_out(&mut o, h);
        }
        let c = &self.counters;
        o.u64(c.payments_committed);
        o.u64(c.payments_aborted);
        o.len(c.by_equivalent.len());
        for (code, e) in &c.by_equivalent {
            o.str(code.as_str());
            o.u64(e.payments_committed);
            o.u128(e.cleared);
        }
        o.len(self.refused_fulfilments.len());
        for (tx_id, r) in &self.refused_fulfilments {
            o.tx(tx_id);
            o.str(r.peer.as_str());
            o.str(r.code.as_str());
            o.u64(r.seq);
            o.time(r.at);
            o.u8(r.by_this_hub as u8);
        }
        o.0
    }

    /// Loads a snapshot and rebuilds the routing graphs from it.
    pub fn from_snapshot(bytes: &[u8]) -> Result<Ledger, SnapshotError> {
        let mut i = In {
            rest: bytes,
            participants: 0,
        };
        if i.take(MAGIC.len())? != MAGIC || i.u32()? != FORMAT {
            return Err(SnapshotError::Format);
        }
        let mut ledger = Ledger {
            last_seq: i.u64()?,
            last_hash: i.option(|i| i.digest())?,
            ..Ledger::default()
        };
        let n = i.len()?;
        for idx in 0..n {
            let pid = Pid::parse(&i.str()?).map_err(|_| bad("participant id"))?;
            let key: [u8; 32] = i.take(32)?.try_into().expect("32 bytes");
            let public_key = PublicKey::from_bytes(&key).map_err(|_| bad("public key"))?;
            let display_name = i.str()?;
            let kind = serde_json::from_str(&i.str()?).map_err(|_| bad("participant kind"))?;
            let profile = serde_json::from_str(&i.str()?).map_err(|_| bad("profile"))?;
            let status = participant_status(i.u8()?)?;
            let (created_at, updated_at) = (i.time()?, i.time()?);
            if ledger.by_pid.insert(pid.clone(), idx as Idx).is_some() {
                return Err(bad("participant registered twice"));
            }
            ledger.participants.push(Participant {
                idx: idx as Idx,
                pid,
                public_key,
                display_name,
                kind,
                profile,
                status,
                created_at,
                updated_at,
            });
        }
        i.participants = n;
        for _ in 0..i.len()? {
            let book = book_in(&mut i)?;
            if ledger.books.insert(book.code.clone(), book).is_some() {
                return Err(bad("equivalent twice"));
            }
        }
        for _ in 0..i.len()? {
            let hold = hold_in(&mut i)?;
            if !ledger.books.contains_key(&hold.equivalent) {
                return Err(bad("hold of an unknown equivalent"));
            }
            ledger.holds.insert(hold.tx_id, hold);
        }
        ledger.counters = Counters {
            payments_committed: i.u64()?,
            payments_aborted: i.u64()?,
            by_equivalent: {
                let mut m = BTreeMap::new();
                for _ in 0..i.len()? {
                    let code = i.code()?;
                    let e = EquivalentCounters {
                        payments_committed: i.u64()?,
                        cleared: i.u128()?,
                    };
                    m.insert(code, e);
                }
                m
            },
        };
        for _ in 0..i.len()? {
            let tx_id = i.tx()?;
            let refused = RefusedFulfilment {
                peer: Pid::parse(&i.str()?).map_err(|_| bad("refusing hub"))?,
                code: ErrorCode::parse(&i.str()?).ok_or_else(|| bad("refusal code"))?,
                seq: i.u64()?,
                at: i.time()?,
                by_this_hub: i.bool()?,
            };
            if ledger.refused_fulfilments.insert(tx_id, refused).is_some() {
                return Err(bad("refused fulfilment twice"));
            }
        }
        if !i.rest.is_empty() {
            return Err(bad("bytes after the end"));
        }
        ledger.rebuild_graphs();
        Ok(ledger)
    }
}

fn book_out(o: &mut Out, b: &Book) {
    o.str(b.code.as_str());
    o.u8(b.precision.places());
    o.str(&b.description);
    o.u8(b.active as u8);
    let lines: BTreeMap<_, _> = b.lines.iter().collect();
    o.len(lines.len());
    for l in lines.values() {
        o.u32(l.creditor);
        o.u32(l.debtor);
        o.tx(&l.id);
        o.u64(l.limit);
        o.str(&serde_json::to_string(&l.policy).expect("policies serialise"));
        o.time(l.created_at);
        o.time(l.updated_at);
    }
    let balances: BTreeMap<_, _> = b.balances.iter().collect();
    o.len(balances.len());
    for (&(lo, hi), &v) in balances {
        o.u32(lo);
        o.u32(hi);
        o.i128(v);
    }
    let reserved: BTreeMap<_, _> = b.reserved.iter().collect();
    o.len(reserved.len());
    for (&(u, v), &amount) in reserved {
        o.u32(u);
        o.u32(v);
        o.u64(amount);
    }
    let net: BTreeMap<_, _> = b.expected_net.iter().collect();
    o.len(net.len());
    for (&idx, &v) in net {
        o.u32(idx);
        o.i128(v);
    }
    let neighbours: BTreeMap<_, _> = b.neighbours.iter().collect();
    o.len(neighbours.len());
    for (&idx, set) in neighbours {
        o.u32(idx);
        o.idx_set(set);
    }
    o.option(b.proposal.as_ref(), |o, p| {
        o.tx(&p.id);
        o.len(p.set_offs.len());
        for &(d, c, amount) in &p.set_offs {
            o.u32(d);
            o.u32(c);
            o.u64(amount);
        }
        o.idx_set(&p.required);
        o.idx_set(&p.accepted);
        o.time(p.created_at);
        o.time(p.expires_at);
    });
    let declined: BTreeMap<_, _> = b.declined.iter().collect();
    o.len(declined.len());
    for (&(d, c), &amount) in declined {
        o.u32(d);
        o.u32(c);
        o.u64(amount);
    }
    let n = b.clearable.participant_count();
    o.len(n);
    for u in 0..n as u32 {
        o.links(b.clearable.creditors_of(u));
    }
    for u in 0..n as u32 {
        o.links(b.clearable.debtors_of(u));
    }
}

fn book_in(i: &mut In) -> Result<Book, SnapshotError> {
    let code = i.code()?;
    let precision = Precision::new(i.u8()?).map_err(|_| bad("precision"))?;
    let description = i.str()?;
    let active = i.bool()?;
    let mut b = Book::new(code, precision, description, active);
    for _ in 0..i.len()? {
        let (creditor, debtor) = (i.idx()?, i.idx()?);
        let line = TrustLine {
            id: i.tx()?,
            creditor,
            debtor,
            limit: i.u64()?,
            policy: serde_json::from_str(&i.str()?).map_err(|_| bad("line policy"))?,
            created_at: i.time()?,
            updated_at: i.time()?,
        };
        b.lines.insert((creditor, debtor), line);
    }
    for _ in 0..i.len()? {
        let key = (i.idx()?, i.idx()?);
        b.balances.insert(key, i.i128()?);
    }
    for _ in 0..i.len()? {
        let key = (i.idx()?, i.idx()?);
        b.reserved.insert(key, i.u64()?);
    }
    for _ in 0..i.len()? {
        let idx = i.idx()?;
        b.expected_net.insert(idx, i.i128()?);
    }
    for _ in 0..i.len()? {
        let idx = i.idx()?;
        b.neighbours.insert(idx, i.idx_set()?);
    }
    b.proposal = i.option(|i| {
        let id = i.tx()?;
        let mut set_offs = Vec::new();
        for _ in 0..i.len()? {
            set_offs.push((i.idx()?, i.idx()?, i.u64()?));
        }
        Ok(Proposal {
            id,
            set_offs,
            required: i.idx_set()?,
            accepted: i.idx_set()?,
            created_at: i.time()?,
            expires_at: i.time()?,
        })
    })?;
    for _ in 0..i.len()? {
        let key = (i.idx()?, i.idx()?);
        b.declined.insert(key, i.u64()?);
    }
    let n = i.len()?;
    let mut owes = Vec::with_capacity(n);
    for _ in 0..n {
        owes.push(i.links()?);
    }
    let mut owed = Vec::with_capacity(n);
    for _ in 0..n {
        owed.push(i.links()?);
    }
    b.clearable = geo_clearing::DebtGraph::from_adjacency(owes, owed)
        .ok_or(bad("clearing graph adjacency"))?;
    Ok(b)
}

fn hold_out(o: &mut Out, h: &Hold) {
    o.tx(&h.tx_id);
    o.u32(h.payer);
    o.u32(h.payee);
    o.str(h.equivalent.as_str());
    o.u64(h.amount);
    o.len(h.paths.len());
    for (path, amount) in &h.paths {
        o.len(path.len());
        for &idx in path {
            o.u32(idx);
        }
        o.u64(*amount);
    }
    o.time(h.expires_at);
    o.digest(&h.payload_digest);
    o.digest(&h.request_digest);
    o.time(h.created_at);
    o.option(h.description.as_ref(), |o, d| o.str(d));
}

fn hold_in(i: &mut In) -> Result<Hold, SnapshotError> {
    let (tx_id, payer, payee) = (i.tx()?, i.idx()?, i.idx()?);
    let equivalent = i.code()?;
    let amount = i.u64()?;
    let mut paths = Vec::new();
    for _ in 0..i.len()? {
        let mut path = Vec::new();
        for _ in 0..i.len()? {
            path.push(i.idx()?);
        }
        paths.push((path, i.u64()?));
    }
    Ok(Hold {
        tx_id,
        payer,
        payee,
        equivalent,
        amount,
        paths,
        expires_at: i.time()?,
        payload_digest: i.digest()?,
        request_digest: i.digest()?,
        created_at: i.time()?,
        description: i.option(|i| i.str())?,
    })
}

fn participant_status_tag(s: ParticipantStatus) -> u8 {
    match s {
        ParticipantStatus::Active => 0,
        ParticipantStatus::Suspended => 1,
        ParticipantStatus::Left => 2,
    }
}

fn participant_status(tag: u8) -> Result<ParticipantStatus, SnapshotError> {
    match tag {
        0 => Ok(ParticipantStatus::Active),
        1 => Ok(ParticipantStatus::Suspended),
        2 => Ok(ParticipantStatus::Left),
        _ => Err(bad("participant status")),
    }
}

fn bad(what: &'static str) -> SnapshotError {
    SnapshotError::Malformed(what)
}

/// Big-endian fixed-width writer.
struct Out(Vec<u8>);

impl Out {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    fn u128(&mut self, v: u128) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    fn i128(&mut self, v: i128) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }
    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    fn time(&mut self, t: Timestamp) {
        self.0.extend_from_slice(&t.unix().to_be_bytes());
    }
    fn digest(&mut self, d: &Digest) {
        self.0.extend_from_slice(&d.to_bytes());
    }
    fn tx(&mut self, t: &TxId) {
        self.0.extend_from_slice(t.as_uuid().as_bytes());
    }
    fn idx_set(&mut self, set: &BTreeSet<Idx>) {
        self.len(set.len());
        for &idx in set {
            self.u32(idx);
        }
    }
    fn links(&mut self, links: impl Iterator<Item = (u32, u64)>) {
        let links: Vec<_> = links.collect();
        self.len(links.len());
        for (peer, amount) in links {
            self.u32(peer);
            self.u64(amount);
        }
    }
    fn option<T>(&mut self, v: Option<T>, some: impl FnOnce(&mut Self, T)) {
        match v {
            None => self.u8(0),
            Some(v) => {
                self.u8(1);
                some(self, v);
            }
        }
    }
}

/// Reader over a snapshot; `participants` bounds every participant index once they are read.
struct In<'a> {
    rest: &'a [u8],
    participants: usize,
}

impl<'a> In<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], SnapshotError> {
        if self.rest.len() < n {
            return Err(bad("ends early"));
        }
        let (head, rest) = self.rest.split_at(n);
        self.rest = rest;
        Ok(head)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], SnapshotError> {
        Ok(self.take(N)?.try_into().expect("N bytes"))
    }
    fn u8(&mut self) -> Result<u8, SnapshotError> {
        Ok(self.take(1)?[0])
    }
    fn bool(&mut self) -> Result<bool, SnapshotError> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(bad("boolean")),
        }
    }
    fn u32(&mut self) -> Result<u32, SnapshotError> {
        Ok(u32::from_be_bytes(self.array()?))
    }
    fn u64(&mut self) -> Result<u64, SnapshotError> {
        Ok(u64::from_be_bytes(self.array()?))
    }
    fn u128(&mut self) -> Result<u128, SnapshotError> {
        Ok(u128::from_be_bytes(self.array()?))
    }
    fn i128(&mut self) -> Result<i128, SnapshotError> {
        Ok(i128::from_be_bytes(self.array()?))
    }
    /// A count, which can never exceed the bytes left (every item takes at least one byte).
    fn len(&mut self) -> Result<usize, SnapshotError> {
        let n = self.u64()?;
        if n > self.rest.len() as u64 {
            return Err(bad("count beyond the end"));
        }
        Ok(n as usize)
    }
    fn str(&mut self) -> Result<String, SnapshotError> {
        let n = self.len()?;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| bad("text"))
    }
    fn code(&mut self) -> Result<EquivalentCode, SnapshotError> {
        EquivalentCode::parse(&self.str()?).map_err(|_| bad("equivalent code"))
    }
    fn time(&mut self) -> Result<Timestamp, SnapshotError> {
        Timestamp::from_unix(i64::from_be_bytes(self.array()?)).map_err(|_| bad("time"))
    }
    fn digest(&mut self) -> Result<Digest, SnapshotError> {
        Ok(Digest::from_bytes(self.array()?))
    }
    fn tx(&mut self) -> Result<TxId, SnapshotError> {
        TxId::from_uuid(uuid::Uuid::from_bytes(self.array()?)).map_err(|_| bad("transaction id"))
    }
    fn idx(&mut self) -> Result<Idx, SnapshotError> {
        let idx = self.u32()?;
        if idx as usize >= self.participants {
            return Err(bad("participant index"));
        }
        Ok(idx)
    }
    fn idx_set(&mut self) -> Result<BTreeSet<Idx>, SnapshotError> {
        let mut set = BTreeSet::new();
        for _ in 0..self.len()? {
            set.insert(self.idx()?);
        }
        Ok(set)
    }
    fn links(&mut self) -> Result<Vec<(u32, u64)>, SnapshotError> {
        let mut links = Vec::new();
        for _ in 0..self.len()? {
            links.push((self.idx()?, self.u64()?));
        }
        Ok(links)
    }
    fn option<T>(
        &mut self,
        some: impl FnOnce(&mut Self) -> Result<T, SnapshotError>,
    ) -> Result<Option<T>, SnapshotError> {
        match self.u8()? {
            0 => Ok(None),
            1 => some(self).map(Some),
            _ => Err(bad("option tag")),
        }
    }
}
