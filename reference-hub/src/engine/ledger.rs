//! The in-memory ledger: participants, equivalents, trust lines, debts, reservations and the routing
//! graph of each equivalent. It changes only through [`Ledger::evolve`], so replaying the journal
//! rebuilds it exactly.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use geo_api::{EventKind, PaymentEvent};
use geo_protocol::{
    Digest, EquivalentCode, ErrorCode, ParticipantKind, Pid, Precision, Profile, PublicKey,
    Timestamp, TxId,
};
use geo_routing::{Graph, NodeId};

use super::event_body as body;
use super::journal::{JournalEntry, JournalEvent, JournalPath, JournalSetOff};

/// A participant's index in the ledger (and node id in every routing graph).
pub type Idx = u32;

pub use geo_api::ParticipantStatus;

/// A trust line's policy as stored (all defaults applied); the same on the wire.
pub use geo_api::LinePolicy;

/// A registered participant.
#[derive(Debug, Clone)]
pub struct Participant {
    /// Ledger index.
    pub idx: Idx,
    /// PID.
    pub pid: Pid,
    /// Public key.
    pub public_key: PublicKey,
    /// Display name.
    pub display_name: String,
    /// Person, business or hub.
    pub kind: ParticipantKind,
    /// Public profile.
    pub profile: Profile,
    /// Active, suspended or left.
    pub status: ParticipantStatus,
    /// When registered.
    pub created_at: Timestamp,
    /// Last change.
    pub updated_at: Timestamp,
}

/// A live trust line `creditor → debtor`.
#[derive(Debug, Clone)]
pub struct TrustLine {
    /// Its id.
    pub id: TxId,
    /// Owner (extends credit).
    pub creditor: Idx,
    /// May owe up to `limit`.
    pub debtor: Idx,
    /// Minor units.
    pub limit: u64,
    /// Policy.
    pub policy: LinePolicy,
    /// When created.
    pub created_at: Timestamp,
    /// Last change.
    pub updated_at: Timestamp,
}

/// Everything about one equivalent.
#[derive(Debug)]
pub struct Book {
    /// Code.
    pub code: EquivalentCode,
    /// Decimal places.
    pub precision: Precision,
    /// Description.
    pub description: String,
    /// Usable for new lines and payments.
    pub active: bool,
    /// Live lines by (creditor, debtor).
    pub lines: HashMap<(Idx, Idx), TrustLine>,
    /// Net balance per unordered pair (lo, hi): positive means lo owes hi.
    pub balances: HashMap<(Idx, Idx), i128>,
    /// Reserved minor units per payment arc (payer side, payee side).
    pub reserved: HashMap<(Idx, Idx), u64>,
    /// Each participant's net position computed only from payment endpoints (payer −, payee +),
    /// independently of the hop-by-hop balances: the two must always agree.
    pub expected_net: HashMap<Idx, i128>,
    /// Counterparties (by line or debt) of each participant.
    pub neighbours: HashMap<Idx, BTreeSet<Idx>>,
    /// Payment capacities and policies, kept in step with the above.
    pub graph: Graph,
    /// Debts whose creditor consents to clearing in advance (`auto_clearing`), for the clearing passes.
    pub clearable: geo_clearing::DebtGraph,
    /// The open clearing proposal, if any (one at a time per equivalent).
    pub proposal: Option<Proposal>,
    /// Debts a creditor refused to clear, with the amount they had then; excluded while it is unchanged.
    pub declined: HashMap<(Idx, Idx), u64>,
}

/// A clearing waiting for consent.
#[derive(Debug, Clone)]
pub struct Proposal {
    /// Its id (the clearing's id if it commits).
    pub id: TxId,
    /// `(debtor, creditor, minor units)`.
    pub set_offs: Vec<(Idx, Idx, u64)>,
    /// Creditors who must accept.
    pub required: BTreeSet<Idx>,
    /// Those who did.
    pub accepted: BTreeSet<Idx>,
    /// When it was made.
    pub created_at: Timestamp,
    /// When it lapses.
    pub expires_at: Timestamp,
}

fn pair(a: Idx, b: Idx) -> (Idx, Idx) {
    if a < b {
        (a, b)
    } else {
        (b, a)
    }
}

impl Book {
    pub(super) fn new(
        code: EquivalentCode,
        precision: Precision,
        description: String,
        active: bool,
    ) -> Self {
        Book {
            code,
            precision,
            description,
            active,
            lines: HashMap::new(),
            balances: HashMap::new(),
            reserved: HashMap::new(),
            expected_net: HashMap::new(),
            neighbours: HashMap::new(),
            graph: Graph::new(),
            clearable: geo_clearing::DebtGraph::new(),
            proposal: None,
            declined: HashMap::new(),
        }
    }

    /// What `x` owes `y`.
    pub fn debt(&self, x: Idx, y: Idx) -> u64 {
        let b = self.balances.get(&pair(x, y)).copied().unwrap_or(0);
        let owed = if x < y { b } else { -b };
        owed.max(0) as u64
    }

    /// Limit of the live line `creditor → debtor` (0 when none).
    pub fn limit(&self, creditor: Idx, debtor: Idx) -> u64 {
        self.lines.get(&(creditor, debtor)).map_or(0, |l| l.limit)
    }

    /// Minor units reserved on the payment arc `u → v`.
    pub fn reserved(&self, u: Idx, v: Idx) -> u64 {
        self.reserved.get(&(u, v)).copied().unwrap_or(0)
    }

    /// How much more `u` can pay `v` directly: limit(v→u) − debt(u→v) + debt(v→u) − reserved(u→v).
    pub fn capacity(&self, u: Idx, v: Idx) -> i128 {
        self.limit(v, u) as i128 - self.debt(u, v) as i128 + self.debt(v, u) as i128
            - self.reserved(u, v) as i128
    }

    /// Applies a payment hop: `u` owes `v` `amount` more, netted against what `v` owes `u`.
    fn apply_hop(&mut self, u: Idx, v: Idx, amount: u64) {
        let key = pair(u, v);
        let delta = if u < v {
            amount as i128
        } else {
            -(amount as i128)
        };
        let b = self.balances.entry(key).or_insert(0);
        *b += delta;
        if *b == 0 {
            self.balances.remove(&key);
        }
        self.link(u, v);
    }

    fn link(&mut self, u: Idx, v: Idx) {
        self.neighbours.entry(u).or_default().insert(v);
        self.neighbours.entry(v).or_default().insert(u);
    }

    fn reserve(&mut self, u: Idx, v: Idx, amount: u64) {
        *self.reserved.entry((u, v)).or_insert(0) += amount;
    }

    fn release(&mut self, u: Idx, v: Idx, amount: u64) {
        let r = self.reserved.entry((u, v)).or_insert(0);
        *r = r
            .checked_sub(amount)
            .expect("released more than was reserved");
        if *r == 0 {
            self.reserved.remove(&(u, v));
        }
    }

    /// True when the creditor's line to the debtor consents to clearing in advance.
    pub fn auto_clearing(&self, debtor: Idx, creditor: Idx) -> bool {
        self.lines
            .get(&(creditor, debtor))
            .is_some_and(|l| l.policy.auto_clearing)
    }

    /// Recomputes both payment arcs between `a` and `b` in the routing graph, and the clearable debts.
    pub(crate) fn refresh_pair(
        &mut self,
        a: Idx,
        b: Idx,
        by_pid: &HashMap<Pid, Idx>,
        node_count: usize,
    ) {
        for (d, c) in [(a, b), (b, a)] {
            // Only what can be set off without taking back capacity a held payment reserved on the
            // arc c→d (setting off d's debt to c lowers that arc's capacity by as much).
            let debt = if self.auto_clearing(d, c) {
                self.debt(d, c)
                    .min(self.capacity(c, d).clamp(0, u64::MAX as i128) as u64)
            } else {
                0
            };
            if debt > 0 || self.clearable.debt(d, c) > 0 {
                self.clearable
                    .set_debt(d, c, debt)
                    .expect("distinct participants");
            }
        }
        self.graph
            .ensure_nodes(node_count)
            .expect("participant count fits the graph");
        for (u, v) in [(a, b), (b, a)] {
            let cap = self.capacity(u, v);
            debug_assert!(cap >= 0, "negative capacity {u}->{v}: {cap}");
            let cap = cap.clamp(0, u64::MAX as i128) as u64;
            let exists = self.graph.arc(NodeId(u), NodeId(v));
            if cap == 0 && exists.is_none() {
                continue;
            }
            let arc = self
                .graph
                .set_capacity(NodeId(u), NodeId(v), cap)
                .expect("nodes exist");
            // The arc u→v is backed by the creditor v's line to u.
            let (can_be_intermediate, blocked) = match self.lines.get(&(v, u)) {
                Some(line) => (
                    line.policy.can_be_intermediate,
                    line.policy
                        .blocked_participants
                        .iter()
                        .filter_map(|p| by_pid.get(p))
                        .map(|i| NodeId(*i))
                        .collect(),
                ),
                None => (true, Vec::new()),
            };
            self.graph
                .set_can_be_intermediate(arc, can_be_intermediate)
                .expect("arc exists");
            self.graph
                .set_blocked_participants(arc, blocked)
                .expect("arc exists");
        }
    }

    /// Checks limit and one-direction invariants for the pair (a, b).
    pub fn check_pair(&self, a: Idx, b: Idx) -> Result<(), String> {
        for (debtor, creditor) in [(a, b), (b, a)] {
            let debt = self.debt(debtor, creditor);
            let limit = self.limit(creditor, debtor);
            if debt > limit {
                return Err(format!(
                    "debt {debtor}->{creditor} {debt} exceeds limit {limit}"
                ));
            }
            if self.capacity(debtor, creditor) < 0 {
                return Err(format!(
                    "reservations exceed capacity on {debtor}->{creditor}"
                ));
            }
        }
        Ok(())
    }
}

/// A payment holding reservations until its payer commits or aborts it, or it expires.
#[derive(Debug, Clone)]
pub struct Hold {
    /// The payment.
    pub tx_id: TxId,
    /// Payer.
    pub payer: Idx,
    /// Payee.
    pub payee: Idx,
    /// Unit of account.
    pub equivalent: EquivalentCode,
    /// Minor units.
    pub amount: u64,
    /// Reserved paths (participant indices, minor units).
    pub paths: Vec<(Vec<Idx>, u64)>,
    /// When it lapses.
    pub expires_at: Timestamp,
    /// Digest of the signed request payload.
    pub payload_digest: Digest,
    /// Digest of the signed request message.
    pub request_digest: Digest,
    /// When it was prepared.
    pub created_at: Timestamp,
    /// The payer's note, kept for the payment's record when the hold ends.
    pub description: Option<String>,
}

/// What applying a journal event changed that storage keeps a projection row of, and whom it tells
/// what (the `events` rows).
#[derive(Debug, Clone, PartialEq)]
pub enum Touched {
    /// A participant registered (its key is new).
    Registered(Idx),
    /// A participant's name, profile or status changed.
    Participant(Idx),
    /// The live line `(creditor, debtor)` of an equivalent was set.
    Line(EquivalentCode, Idx, Idx),
    /// The line with this id, `(creditor, debtor)`, was closed.
    LineClosed(EquivalentCode, TxId, Idx, Idx),
    /// The debt between two participants may have changed.
    Debt(EquivalentCode, Idx, Idx),
    /// A participant is told this (its event's body, made once here).
    Told(Pid, EventKind),
    /// A clearing committed: the writer's signing stage signs its `clearing_receipt`
    /// (`receipt::clearing_receipt`) and puts it into the bodies of its `clearing_committed` events
    /// before they are stored (noted with the bodies).
    ClearingCommitted {
        /// Its id.
        clearing_id: TxId,
        /// Unit of account.
        equivalent: EquivalentCode,
        /// What was set off.
        set_offs: Vec<JournalSetOff>,
        /// The equivalent's precision.
        precision: Precision,
        /// The journal entry's time.
        at: Timestamp,
    },
}

/// Where [`Ledger::evolve`] notes what it touched, with the entry's journal position.
struct Noted<'a> {
    seq: u64,
    touched: &'a mut Vec<(u64, Touched)>,
    /// The entry's time as event bodies show it, when bodies are wanted (not in a replay).
    at: Option<String>,
}

impl Noted<'_> {
    fn push(&mut self, t: Touched) {
        self.touched.push((self.seq, t));
    }

    /// Tells `pid` this event (noted only when bodies are wanted).
    fn tell(&mut self, pid: &Pid, event: EventKind) {
        self.touched
            .push((self.seq, Touched::Told(pid.clone(), event)));
    }
}

/// A payment's state (the same on the wire).
pub use geo_api::PaymentState;

pub use super::payments::PaymentIndex;

/// A linked hub's refusal of this hub's fulfilment (`spec/federation.md` §7), as journaled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedFulfilment {
    /// The hub that refused (the payment's payer here).
    pub peer: Pid,
    /// Why: `E_FULFILMENT_LATE` or `E_CONDITION_MISMATCH`.
    pub code: ErrorCode,
    /// The journal position of the refusal.
    pub seq: u64,
    /// When it was journaled.
    pub at: Timestamp,
    /// True when this hub refused the peer's fulfilment (§7 upstream), false when the peer
    /// refused this hub's.
    pub by_this_hub: bool,
}

/// The whole in-memory state.
#[derive(Debug, Default)]
pub struct Ledger {
    /// Participants by index.
    pub participants: Vec<Participant>,
    /// Index by PID.
    pub by_pid: HashMap<Pid, Idx>,
    /// One book per equivalent.
    pub books: BTreeMap<EquivalentCode, Book>,
    /// Prepared payments waiting for their payer.
    pub holds: HashMap<TxId, Hold>,
    /// The last applied journal position.
    pub last_seq: u64,
    /// The hash of the last applied entry.
    pub last_hash: Option<Digest>,
    /// Monotonic totals for operators (`stats.rs`).
    pub counters: super::stats::Counters,
    /// The cross-hub payments whose fulfilment a linked hub refused, or this hub refused
    /// (`spec/federation.md` §7), each as first journaled: a refusal again is answered from here
    /// and journaled once.
    pub refused_fulfilments: BTreeMap<TxId, RefusedFulfilment>,
    /// Lines (equivalent, creditor, debtor) that block a PID nobody has registered yet: their
    /// routing arcs are refreshed when it registers. Derived from the lines (rebuilt on load).
    pub(super) blocked_before_registered: HashMap<Pid, Vec<(EquivalentCode, Idx, Idx)>>,
}

impl Ledger {
    /// An empty ledger.
    pub fn new() -> Self {
        Self::default()
    }

    /// A participant by PID.
    pub fn participant(&self, pid: &Pid) -> Option<&Participant> {
        self.by_pid
            .get(pid)
            .map(|i| &self.participants[*i as usize])
    }

    /// The PID of an index.
    pub fn pid(&self, idx: Idx) -> &Pid {
        &self.participants[idx as usize].pid
    }

    /// Applies one journal entry. Panics on an entry out of order: the journal is the source of truth.
    pub fn apply(&mut self, entry: &JournalEntry) {
        self.apply_entry(entry, &mut Vec::new(), false);
    }

    /// [`Ledger::apply`], adding to `touched` what storage must project from the entry: its rows,
    /// and the events it tells participants, with their bodies.
    pub fn apply_noting(&mut self, entry: &JournalEntry, touched: &mut Vec<(u64, Touched)>) {
        self.apply_entry(entry, touched, true);
    }

    fn apply_entry(&mut self, entry: &JournalEntry, touched: &mut Vec<(u64, Touched)>, tell: bool) {
        assert_eq!(
            entry.seq,
            self.last_seq + 1,
            "journal entries are applied in order"
        );
        self.evolve(
            &entry.event,
            entry.at,
            &mut Noted {
                seq: entry.seq,
                touched,
                at: tell.then(|| entry.at.to_string()),
            },
        );
        self.last_seq = entry.seq;
        self.last_hash = Some(entry.hash);
    }

    fn idx(&self, pid: &Pid) -> Idx {
        *self
            .by_pid
            .get(pid)
            .unwrap_or_else(|| panic!("journal names unknown participant {pid}"))
    }

    fn path_indices(&self, paths: &[JournalPath]) -> Vec<(Vec<Idx>, u64)> {
        paths
            .iter()
            .map(|p| (p.path.iter().map(|pid| self.idx(pid)).collect(), p.amount))
            .collect()
    }

    pub(crate) fn refresh(&mut self, code: &EquivalentCode, pairs: &[(Idx, Idx)]) {
        let n = self.participants.len();
        let book = self
            .books
            .get_mut(code)
            .expect("journal names a known equivalent");
        for &(a, b) in pairs {
            book.refresh_pair(a, b, &self.by_pid, n);
        }
    }

    /// Rebuilds every routing graph (and the clearable debts' amounts) from the ledger's lines,
    /// debts and reservations, as a loaded snapshot needs; the clearing graph's order is kept.
    pub(super) fn rebuild_graphs(&mut self) {
        let n = self.participants.len();
        for book in self.books.values_mut() {
            let clearable = std::mem::take(&mut book.clearable);
            book.graph = Graph::new();
            book.graph.ensure_nodes(n).expect("fits");
            for p in &self.participants {
                book.graph
                    .set_routable(NodeId(p.idx), p.status == ParticipantStatus::Active)
                    .expect("node");
            }
            let pairs: BTreeSet<(Idx, Idx)> = book
                .lines
                .keys()
                .chain(book.balances.keys())
                .chain(book.reserved.keys())
                .map(|&(a, b)| pair(a, b))
                .collect();
            for (a, b) in pairs {
                book.refresh_pair(a, b, &self.by_pid, n);
            }
            book.clearable = clearable;
            for (&(c, d), line) in &book.lines {
                for blocked in &line.policy.blocked_participants {
                    if !self.by_pid.contains_key(blocked) {
                        self.blocked_before_registered
                            .entry(blocked.clone())
                            .or_default()
                            .push((book.code.clone(), c, d));
                    }
                }
            }
        }
    }

    /// The state transition for one event at time `at`: the one place that says what each kind of
    /// event changes and whom it tells what (storage's projections and the participants' events
    /// follow from what it notes in `noted`).
    fn evolve(&mut self, event: &JournalEvent, at: Timestamp, noted: &mut Noted) {
        self.count(event);
        match event {
            JournalEvent::EquivalentSet {
                code,
                precision,
                description,
                active,
            } => {
                let precision = Precision::new(*precision).expect("journal precision is valid");
                match self.books.get_mut(code) {
                    Some(book) => {
                        book.precision = precision;
                        book.description = description.clone();
                        book.active = *active;
                    }
                    None => {
                        let mut book =
                            Book::new(code.clone(), precision, description.clone(), *active);
                        book.graph
                            .ensure_nodes(self.participants.len())
                            .expect("fits");
                        for p in &self.participants {
                            book.graph
                                .set_routable(NodeId(p.idx), p.status == ParticipantStatus::Active)
                                .expect("node");
                        }
                        self.books.insert(code.clone(), book);
                    }
                }
            }
            JournalEvent::ParticipantRegistered {
                pid,
                public_key,
                display_name,
                participant_kind,
                profile,
                ..
            } => {
                let idx = self.participants.len() as Idx;
                self.participants.push(Participant {
                    idx,
                    pid: pid.clone(),
                    public_key: *public_key,
                    display_name: display_name.clone(),
                    kind: *participant_kind,
                    profile: profile.clone(),
                    status: ParticipantStatus::Active,
                    created_at: at,
                    updated_at: at,
                });
                self.by_pid.insert(pid.clone(), idx);
                noted.push(Touched::Registered(idx));
                for book in self.books.values_mut() {
                    book.graph.ensure_nodes(idx as usize + 1).expect("fits");
                }
                // A line may block a participant before it registers: the block holds from now on
                // (as in a ledger loaded from a snapshot, whose graphs are built after everyone).
                for (code, c, d) in self
                    .blocked_before_registered
                    .remove(pid)
                    .unwrap_or_default()
                {
                    self.refresh(&code, &[(c, d)]);
                }
            }
            JournalEvent::ParticipantUpdated {
                pid,
                display_name,
                profile,
                ..
            } => {
                let idx = self.idx(pid) as usize;
                noted.push(Touched::Participant(idx as Idx));
                let p = &mut self.participants[idx];
                if let Some(name) = display_name {
                    p.display_name = name.clone();
                }
                if let Some(profile) = profile {
                    p.profile = profile.clone();
                }
                p.updated_at = at;
            }
            JournalEvent::ParticipantStatusSet { pid, status, .. } => {
                let idx = self.idx(pid);
                noted.push(Touched::Participant(idx));
                if let Some(at) = noted.at.clone() {
                    let status = *status;
                    noted.tell(pid, EventKind::ParticipantStatusChanged { status, at });
                }
                let p = &mut self.participants[idx as usize];
                p.status = *status;
                p.updated_at = at;
                for book in self.books.values_mut() {
                    book.graph
                        .ensure_nodes(self.participants.len())
                        .expect("fits");
                    book.graph
                        .set_routable(NodeId(idx), *status == ParticipantStatus::Active)
                        .expect("node");
                }
            }
            JournalEvent::TrustLineSet {
                line_id,
                creditor,
                debtor,
                equivalent,
                limit,
                policy,
                ..
            } => {
                let (c, d) = (self.idx(creditor), self.idx(debtor));
                let book = self.books.get_mut(equivalent).expect("known equivalent");
                let line = book.lines.entry((c, d)).or_insert_with(|| TrustLine {
                    id: *line_id,
                    creditor: c,
                    debtor: d,
                    limit: 0,
                    policy: policy.clone(),
                    created_at: at,
                    updated_at: at,
                });
                line.limit = *limit;
                line.policy = policy.clone();
                line.updated_at = at;
                for blocked in &policy.blocked_participants {
                    if !self.by_pid.contains_key(blocked) {
                        self.blocked_before_registered
                            .entry(blocked.clone())
                            .or_default()
                            .push((equivalent.clone(), c, d));
                    }
                }
                book.link(c, d);
                noted.push(Touched::Line(equivalent.clone(), c, d));
                if let Some(at) = noted.at.clone() {
                    let e = EventKind::TrustLineChanged {
                        line_id: line_id.to_string(),
                        creditor: creditor.clone(),
                        debtor: debtor.clone(),
                        equivalent: equivalent.clone(),
                        limit: Some(body::text(*limit, book.precision)),
                        status: "active".into(),
                        at,
                    };
                    noted.tell(creditor, e.clone());
                    noted.tell(debtor, e);
                }
                self.refresh(equivalent, &[(c, d)]);
            }
            JournalEvent::TrustLineClosed {
                line_id,
                creditor,
                debtor,
                equivalent,
                ..
            } => {
                let (c, d) = (self.idx(creditor), self.idx(debtor));
                let book = self.books.get_mut(equivalent).expect("known equivalent");
                book.lines.remove(&(c, d));
                noted.push(Touched::LineClosed(equivalent.clone(), *line_id, c, d));
                if let Some(at) = noted.at.clone() {
                    let e = EventKind::TrustLineChanged {
                        line_id: line_id.to_string(),
                        creditor: creditor.clone(),
                        debtor: debtor.clone(),
                        equivalent: equivalent.clone(),
                        limit: None,
                        status: "closed".into(),
                        at,
                    };
                    noted.tell(creditor, e.clone());
                    noted.tell(debtor, e);
                }
                self.refresh(equivalent, &[(c, d)]);
            }
            JournalEvent::PaymentPrepared {
                tx_id,
                payer: payer_pid,
                payee: payee_pid,
                equivalent,
                amount,
                paths,
                expires_at,
                payload_digest,
                request_digest,
                description,
                ..
            } => {
                let paths = self.path_indices(paths);
                let (payer, payee) = (self.idx(payer_pid), self.idx(payee_pid));
                let book = self.books.get_mut(equivalent).expect("known equivalent");
                let mut touched = Vec::new();
                for (path, amt) in &paths {
                    for hop in path.windows(2) {
                        book.reserve(hop[0], hop[1], *amt);
                        touched.push((hop[0], hop[1]));
                    }
                }
                if let Some(at) = noted.at.clone() {
                    let e = EventKind::PaymentPrepared {
                        payment: body::payment(
                            tx_id,
                            payer_pid,
                            payee_pid,
                            equivalent,
                            *amount,
                            book.precision,
                            description,
                            &at,
                        ),
                        expires_at: expires_at.to_string(),
                    };
                    noted.tell(payer_pid, e.clone());
                    noted.tell(payee_pid, e);
                }
                self.refresh(equivalent, &touched);
                self.holds.insert(
                    *tx_id,
                    Hold {
                        tx_id: *tx_id,
                        payer,
                        payee,
                        equivalent: equivalent.clone(),
                        amount: *amount,
                        paths,
                        expires_at: *expires_at,
                        payload_digest: *payload_digest,
                        request_digest: *request_digest,
                        created_at: at,
                        description: description.clone(),
                    },
                );
            }
            JournalEvent::PaymentCommitted {
                tx_id,
                payer: payer_pid,
                payee: payee_pid,
                equivalent,
                amount,
                paths: journal_paths,
                description,
                invoice_id,
                ..
            } => {
                let mut touched = self.release_hold(tx_id);
                let paths = self.path_indices(journal_paths);
                let payer = self.idx(payer_pid);
                let payee = self.idx(payee_pid);
                let book = self.books.get_mut(equivalent).expect("known equivalent");
                *book.expected_net.entry(payer).or_default() -= *amount as i128;
                *book.expected_net.entry(payee).or_default() += *amount as i128;
                for (path, amt) in &paths {
                    for hop in path.windows(2) {
                        book.apply_hop(hop[0], hop[1], *amt);
                        touched.push((hop[0], hop[1]));
                        noted.push(Touched::Debt(equivalent.clone(), hop[0], hop[1]));
                    }
                }
                if let Some(at) = noted.at.clone() {
                    let sent = PaymentEvent {
                        journal_seq: Some(noted.seq),
                        invoice_id: invoice_id.as_ref().map(|n| n.as_str().to_owned()),
                        ..body::payment(
                            tx_id,
                            payer_pid,
                            payee_pid,
                            equivalent,
                            *amount,
                            book.precision,
                            description,
                            &at,
                        )
                    };
                    noted.tell(payer_pid, EventKind::PaymentSent(sent.clone()));
                    noted.tell(payee_pid, EventKind::PaymentReceived(sent.clone()));
                    for pid in body::relays(journal_paths, payer_pid, payee_pid) {
                        noted.tell(pid, EventKind::PaymentRelayed(sent.clone()));
                    }
                }
                self.refresh(equivalent, &touched);
            }
            JournalEvent::PaymentAborted {
                tx_id,
                payer,
                payee,
                equivalent,
                amount,
                error_code,
                description,
                ..
            } => {
                // The journal names only registered payers.
                self.idx(payer);
                if let Some(at) = noted.at.clone() {
                    // An abort may name an equivalent the hub does not know: its amount is then in
                    // minor units.
                    let precision = self
                        .books
                        .get(equivalent)
                        .map_or(Precision::new(0).expect("0 is valid"), |b| b.precision);
                    let payment = body::payment(
                        tx_id,
                        payer,
                        payee,
                        equivalent,
                        *amount,
                        precision,
                        description,
                        &at,
                    );
                    let error_code = Some(*error_code);
                    noted.tell(
                        payer,
                        EventKind::PaymentAborted {
                            payment,
                            error_code,
                        },
                    );
                }
                let touched = self.release_hold(tx_id);
                if !touched.is_empty() {
                    self.refresh(equivalent, &touched);
                }
            }
            JournalEvent::ClearingProposed {
                clearing_id,
                equivalent,
                set_offs,
                consent_required_from,
                expires_at,
            } => {
                let offs = set_offs
                    .iter()
                    .map(|s| (self.idx(&s.debtor), self.idx(&s.creditor), s.amount))
                    .collect();
                let required = consent_required_from.iter().map(|p| self.idx(p)).collect();
                let book = self.books.get_mut(equivalent).expect("known equivalent");
                book.proposal = Some(Proposal {
                    id: *clearing_id,
                    set_offs: offs,
                    required,
                    accepted: BTreeSet::new(),
                    created_at: at,
                    expires_at: *expires_at,
                });
                if let Some(at) = noted.at.clone() {
                    let e = EventKind::ClearingProposed {
                        clearing_id: clearing_id.to_string(),
                        equivalent: equivalent.clone(),
                        edges: body::edges(set_offs, book.precision),
                        consent_required_from: consent_required_from.clone(),
                        expires_at: expires_at.to_string(),
                        at,
                    };
                    for pid in body::involved(set_offs) {
                        noted.tell(&pid, e.clone());
                    }
                }
            }
            JournalEvent::ClearingConsented {
                equivalent,
                pid,
                accepted,
                ..
            } => {
                let who = self.idx(pid);
                let book = self.books.get_mut(equivalent).expect("known equivalent");
                let offs: Vec<(Idx, Idx, u64)> = book
                    .proposal
                    .as_ref()
                    .map(|p| p.set_offs.clone())
                    .unwrap_or_default();
                if *accepted {
                    if let Some(p) = book.proposal.as_mut() {
                        p.accepted.insert(who);
                    }
                } else {
                    // The rejecting creditor's debts stay out of proposals while their amount is unchanged.
                    for (d, c, _) in offs.into_iter().filter(|(_, c, _)| *c == who) {
                        let debt = book.debt(d, c);
                        book.declined.insert((d, c), debt);
                    }
                }
            }
            // A record for the operators (federation.md §7): the balances stay as committed. A
            // journal written before refusals were idempotent here may hold one twice: the first counts.
            JournalEvent::FulfilmentRefused {
                tx_id,
                peer,
                code,
                by_this_hub,
                ..
            } => {
                self.refused_fulfilments
                    .entry(*tx_id)
                    .or_insert_with(|| RefusedFulfilment {
                        peer: peer.clone(),
                        code: *code,
                        seq: noted.seq,
                        at,
                        by_this_hub: *by_this_hub,
                    });
            }
            JournalEvent::ClearingProposalClosed { equivalent, .. } => {
                self.books
                    .get_mut(equivalent)
                    .expect("known equivalent")
                    .proposal = None;
            }
            JournalEvent::ClearingCommitted {
                clearing_id,
                equivalent,
                set_offs,
            } => {
                let mut touched = Vec::new();
                let offs: Vec<(Idx, Idx, u64)> = set_offs
                    .iter()
                    .map(|s| (self.idx(&s.debtor), self.idx(&s.creditor), s.amount))
                    .collect();
                let book = self.books.get_mut(equivalent).expect("known equivalent");
                if book.proposal.as_ref().is_some_and(|p| p.id == *clearing_id) {
                    book.proposal = None;
                }
                for (d, c, amt) in offs {
                    // Setting off debt d→c is a hop c→d of the same amount (it can never overshoot: decide checked).
                    book.apply_hop(c, d, amt);
                    touched.push((d, c));
                    noted.push(Touched::Debt(equivalent.clone(), d, c));
                }
                if let Some(text_at) = noted.at.clone() {
                    let e = EventKind::ClearingCommitted {
                        clearing_id: clearing_id.to_string(),
                        equivalent: equivalent.clone(),
                        edges: body::edges(set_offs, book.precision),
                        at: text_at,
                        receipt: None,
                    };
                    for pid in body::involved(set_offs) {
                        noted.tell(&pid, e.clone());
                    }
                    noted.push(Touched::ClearingCommitted {
                        clearing_id: *clearing_id,
                        equivalent: equivalent.clone(),
                        set_offs: set_offs.clone(),
                        precision: book.precision,
                        at,
                    });
                }
                self.refresh(equivalent, &touched);
            }
        }
    }

    /// Releases a hold's reservations (if any) and returns the pairs it touched.
    fn release_hold(&mut self, tx_id: &TxId) -> Vec<(Idx, Idx)> {
        let Some(hold) = self.holds.remove(tx_id) else {
            return Vec::new();
        };
        let book = self
            .books
            .get_mut(&hold.equivalent)
            .expect("known equivalent");
        let mut touched = Vec::new();
        for (path, amt) in &hold.paths {
            for hop in path.windows(2) {
                book.release(hop[0], hop[1], *amt);
                touched.push((hop[0], hop[1]));
            }
        }
        touched
    }

    /// Checks every invariant of every book (limits, reservations within capacity, zero sum).
    pub fn check_invariants(&self) -> Result<(), String> {
        for book in self.books.values() {
            let mut net: HashMap<Idx, i128> = HashMap::new();
            for (&(lo, hi), &b) in &book.balances {
                if b == 0 {
                    return Err(format!(
                        "{}: zero balance stored for ({lo},{hi})",
                        book.code
                    ));
                }
                book.check_pair(lo, hi)
                    .map_err(|e| format!("{}: {e}", book.code))?;
                *net.entry(lo).or_default() -= b;
                *net.entry(hi).or_default() += b;
            }
            for &(u, v) in book.reserved.keys() {
                book.check_pair(u, v)
                    .map_err(|e| format!("{}: {e}", book.code))?;
            }
            // Net positions from the balances must equal those from payment endpoints alone.
            for idx in net.keys().chain(book.expected_net.keys()) {
                let (have, want) = (
                    net.get(idx).copied().unwrap_or(0),
                    book.expected_net.get(idx).copied().unwrap_or(0),
                );
                if have != want {
                    return Err(format!(
                        "{}: participant {idx} nets {have} but its payments net {want}",
                        book.code
                    ));
                }
            }
            let sum: i128 = book.expected_net.values().sum();
            if sum != 0 {
                return Err(format!("{}: net positions sum to {sum}", book.code));
            }
            for (&(c, d), line) in &book.lines {
                if (line.creditor, line.debtor) != (c, d) || c == d {
                    return Err(format!("{}: malformed line key", book.code));
                }
            }
        }
        Ok(())
    }
}
