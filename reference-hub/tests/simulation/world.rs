//! One simulated hub's life: clients and an operator send seeded random commands in batches, the
//! single writer applies each batch and makes it durable (or crashes first), and every step is
//! audited against the model.
//!
//! What "acknowledged" means at engine level: the writer answers a batch only after its journal
//! entries and nonces are durable (`writer.rs`). A batch applied in memory but not yet durable (the
//! writer pipelines up to two) is lost whole by a crash, and nobody in it was answered; the
//! restarted hub is the fold of the durable journal plus the durable nonces, and its clients send
//! what was not answered again, byte for byte.

use std::collections::BTreeMap;

use geo_protocol::{
    ClearingConsent, ClearingDecision, Digest, Envelope, Identity, Message, Nonce, ParticipantKind,
    ParticipantRegister, PaymentAbort, PaymentCommit, PaymentRequest, Pid, Timestamp,
    TrustLineClose, TrustLinePolicy, TrustLineSet,
};
use reference_hub::engine::journal::{genesis_hash, JournalEntry, JournalEvent};
use reference_hub::engine::ledger::{Ledger, PaymentState};
use reference_hub::engine::EngineResult;
use reference_hub::engine::{Command, Effects, Engine, EngineLimits, Moment};

use crate::audit::{audit, Ctx};
use crate::compare::{engine_matches_model, replay_equals_live};
use crate::model::{Model, Who};
use crate::rng::Rng;
use crate::sent::{tx_id, People, Sent};

/// 2026-11-24T10:00:00Z, where every history starts.
const START_MS: i64 = 1_795_514_400_000;
/// How long a signed message stays valid (resends happen only within it, as the API enforces).
const TTL: i64 = 900;

/// Counts over one history, for the report.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    /// Commands audited.
    pub commands: u64,
    /// Journal entries made durable.
    pub entries: u64,
    /// Crashes (un-persisted batches lost).
    pub crashes: u64,
    /// Clean restarts.
    pub restarts: u64,
    /// Commands sent again with the same bytes.
    pub resends: u64,
    /// Payments committed.
    pub committed: u64,
    /// Clearings journaled.
    pub clearings: u64,
    /// Holds that lapsed.
    pub expired: u64,
}

struct Batch {
    fx: Effects,
    answered: Vec<(Sent, EngineResult<bool>)>,
}

/// A hub, its durable journal, its clients and the model.
pub struct World {
    rng: Rng,
    people: People,
    limits: EngineLimits,
    engine: Engine,
    model: Model,
    /// The model at the last durable point (what a crash returns to).
    durable_model: Model,
    durable: Vec<JournalEntry>,
    durable_nonces: Vec<(Pid, Nonce, Timestamp)>,
    pending: Vec<Batch>,
    now_ms: i64,
    next_nonce: u64,
    next_tx: u32,
    /// Signed commands sent so far, with whether their answer arrived.
    sent: Vec<(Sent, bool)>,
    /// Acknowledged payment outcomes: a restart must keep each (or a later state of a hold).
    acked: BTreeMap<u32, PaymentState>,
    /// Counts.
    pub tally: Tally,
}

// The fault-injection build has one more field, which the update fills.
#[allow(clippy::needless_update)]
fn limits(rng: &mut Rng) -> EngineLimits {
    EngineLimits {
        max_hops: 6,
        max_paths: 16,
        max_hold_seconds: 60,
        local_cycle_len: if rng.chance(75) { 6 } else { 0 },
        ..EngineLimits::default()
    }
}

/// The simulated hub's key: the same across restarts, as a real hub's `hub.key`.
fn hub_identity() -> Identity {
    Identity::from_seed(&[0x48; 32])
}

fn text(minor: u64) -> String {
    format!("{}.{:02}", minor / 100, minor % 100)
}

impl World {
    /// A fresh hub with 3 to 6 future members and one equivalent.
    pub fn new(seed: u64) -> Result<Self, String> {
        let mut rng = Rng::new(seed);
        let people = People::new(rng.range(3, 6) as usize);
        let limits = limits(&mut rng);
        let mut w = World {
            engine: Engine::new(Ledger::new(), limits.clone(), hub_identity()),
            rng,
            people,
            limits,
            model: Model::new(),
            durable_model: Model::new(),
            durable: Vec::new(),
            durable_nonces: Vec::new(),
            pending: Vec::new(),
            now_ms: START_MS,
            next_nonce: 0,
            next_tx: 0,
            sent: Vec::new(),
            acked: BTreeMap::new(),
            tally: Tally::default(),
        };
        let mut fx = Effects::default();
        w.engine
            .execute(
                Command::SetEquivalent {
                    code: crate::equivalent(),
                    precision: geo_protocol::Precision::new(2).unwrap(),
                    description: "simulated".into(),
                    active: true,
                },
                Moment::from_unix_millis(START_MS),
                &mut fx,
            )
            .map_err(|e| e.to_string())?;
        w.pending.push(Batch {
            fx,
            answered: Vec::new(),
        });
        w.persist();
        Ok(w)
    }

    /// Runs `batches` steps of the history, then a last restart; the first failure, described.
    pub fn run(&mut self, batches: usize) -> Result<(), String> {
        for step in 0..batches {
            self.now_ms += self.rng.range(0, 2500) as i64;
            if self.rng.chance(3) {
                // A pause long enough for holds and proposals to lapse.
                self.now_ms += self.rng.range(5_000, 20_000) as i64;
            }
            let roll = self.rng.below(100);
            let result = match roll {
                0..=3 => self.crash(),
                4..=5 => self.restart(),
                _ => self.batch(),
            };
            result.map_err(|e| format!("step {step}: {e}"))?;
            if self.pending.is_empty() && step % 25 == 0 {
                let replayed = self.replay()?;
                replay_equals_live(&self.engine, &replayed)
                    .map_err(|e| format!("step {step}: {e}"))?;
            }
        }
        self.restart().map_err(|e| format!("final restart: {e}"))
    }

    /// One batch of the writer: expiry when due, then one to four commands, audited one by one.
    fn batch(&mut self) -> Result<(), String> {
        let mut fx = Effects::default();
        let mut answered = Vec::new();
        let t = self.now_ms.div_euclid(1000);
        let mut todo = Vec::new();
        if self
            .engine
            .next_hold_expiry()
            .is_some_and(|at| at.unix() <= t)
        {
            todo.push((Sent::ExpireHolds, t * 1000));
        }
        for _ in 0..self.rng.range(1, 4) {
            self.now_ms += self.rng.range(0, 400) as i64;
            let sent = self.next_command();
            todo.push((sent, self.now_ms));
        }
        for (sent, at_ms) in todo {
            let before = fx.entries.len();
            let command = sent.command(&self.people, self.engine.ledger());
            let reply = self
                .engine
                .execute(command, Moment::from_unix_millis(at_ms), &mut fx);
            let described = format!("{sent:?} at {at_ms} ms");
            let ctx = Ctx {
                people: &self.people,
                max_hops: usize::from(self.limits.max_hops),
                max_hold: self.limits.max_hold_seconds,
            };
            audit(
                &mut self.model,
                &ctx,
                &sent,
                at_ms,
                (&reply, &fx.entries[before..]),
            )
            .and_then(|()| engine_matches_model(&self.engine, &self.model, &self.people))
            .map_err(|e| format!("{e}\n    after {described}"))?;
            self.tally.commands += 1;
            for e in &fx.entries[before..] {
                match &e.event {
                    JournalEvent::PaymentCommitted { .. } => self.tally.committed += 1,
                    JournalEvent::ClearingCommitted { .. } => self.tally.clearings += 1,
                    JournalEvent::PaymentAborted {
                        error_code: geo_protocol::ErrorCode::ReservationExpired,
                        ..
                    } => self.tally.expired += 1,
                    _ => {}
                }
            }
            let outcome = reply.map(|r| matches!(r, reference_hub::engine::Reply::Done));
            answered.push((sent, outcome));
        }
        self.pending.push(Batch { fx, answered });
        // Group commit: usually the batch is made durable at once; sometimes the writer has
        // applied it while the previous one is still being persisted (never more than two).
        if self.pending.len() >= 2 || self.rng.chance(80) {
            self.persist();
        }
        Ok(())
    }

    /// Makes every pending batch durable and delivers its answers.
    fn persist(&mut self) {
        for batch in std::mem::take(&mut self.pending) {
            self.tally.entries += batch.fx.entries.len() as u64;
            self.durable.extend(batch.fx.entries);
            self.durable_nonces.extend(batch.fx.nonces);
            for (sent, _) in batch.answered {
                if sent.signed() {
                    self.sent.push((sent.clone(), true));
                }
            }
        }
        for (tx, p) in &self.model.payments {
            self.acked.insert(*tx, p.state);
        }
        self.durable_model = self.model.clone();
    }

    /// The process dies: batches not yet durable are lost, unanswered; the hub comes back from the
    /// journal and its clients will send those commands again.
    fn crash(&mut self) -> Result<(), String> {
        self.tally.crashes += 1;
        for batch in std::mem::take(&mut self.pending) {
            for (sent, _) in batch.answered {
                if sent.signed() {
                    self.sent.push((sent, false));
                }
            }
        }
        self.model = self.durable_model.clone();
        self.engine = self.replay()?;
        engine_matches_model(&self.engine, &self.model, &self.people)
            .map_err(|e| format!("after a crash: {e}"))?;
        // Nothing acknowledged is lost: every answered payment is still there, as answered or later.
        for (tx, state) in &self.acked {
            let now = self
                .engine
                .payment_index(&tx_id(*tx))
                .map_err(|e| e.to_string())?
                .map(|p| p.state);
            let kept = match (state, now) {
                (_, None) => false,
                (PaymentState::Prepared, Some(_)) => true,
                (a, Some(b)) => *a == b,
            };
            if !kept {
                return Err(format!(
                    "acknowledged payment {tx} ({state:?}) is {now:?} after a crash"
                ));
            }
        }
        Ok(())
    }

    /// A clean stop and start: everything durable; the replayed ledger must equal the live one.
    fn restart(&mut self) -> Result<(), String> {
        self.tally.restarts += 1;
        self.persist();
        let replayed = self.replay()?;
        replay_equals_live(&self.engine, &replayed)?;
        self.engine = replayed;
        engine_matches_model(&self.engine, &self.model, &self.people)
            .map_err(|e| format!("after a restart: {e}"))
    }

    /// What a starting hub builds: the durable journal decoded from its stored text, its hash chain
    /// checked, folded into a ledger; then the unexpired nonces.
    fn replay(&self) -> Result<Engine, String> {
        let mut ledger = Ledger::new();
        let mut prev = genesis_hash();
        let mut replayed = Vec::with_capacity(self.durable.len());
        for e in &self.durable {
            let event: JournalEvent = serde_json::from_str(e.body())
                .map_err(|err| format!("entry {} does not decode: {err}", e.seq))?;
            if event != e.event {
                return Err(format!("entry {} decodes to another event", e.seq));
            }
            let entry = JournalEntry::seal(e.seq, e.at, event, prev);
            if entry.hash != e.hash {
                return Err(format!("entry {} breaks the hash chain", e.seq));
            }
            prev = entry.hash;
            ledger.apply(&entry);
            replayed.push(entry);
        }
        ledger.check_invariants()?;
        let mut engine = Engine::new(ledger, self.limits.clone(), hub_identity());
        // Every entry from the first: the engine knows every payment, as the model does.
        for entry in &replayed {
            engine.note_replayed(entry);
        }
        let now = Timestamp::from_unix(self.now_ms.div_euclid(1000)).unwrap();
        for (pid, nonce, exp) in &self.durable_nonces {
            if *exp >= now {
                engine.remember_nonce(pid.clone(), nonce.clone(), *exp);
            }
        }
        Ok(engine)
    }

    fn sign<P: Message>(&mut self, who: Who, payload: P) -> (u64, geo_protocol::SignedMessage<P>) {
        self.next_nonce += 1;
        let nonce = Nonce::parse(&format!("sim-nonce-{:012}", self.next_nonce)).unwrap();
        let id: &Identity = &self.people.ids[who];
        let created = Timestamp::from_unix(self.now_ms.div_euclid(1000)).unwrap();
        let msg = Envelope::new(id.pid(), None, nonce, created, TTL, payload)
            .sign(id)
            .expect("simulated messages are valid");
        (self.next_nonce, msg)
    }

    fn anyone(&mut self) -> Who {
        self.rng.below(self.people.pids.len() as u64) as Who
    }

    /// Mostly a member, now and then anyone (an unregistered sender must be refused).
    fn someone(&mut self) -> Who {
        let members: Vec<Who> = self.model.members.keys().copied().collect();
        if members.is_empty() || self.rng.chance(4) {
            self.anyone()
        } else {
            *self.rng.pick(&members)
        }
    }

    fn other_than(&mut self, who: Who) -> Who {
        loop {
            let other = self.someone();
            if other != who {
                return other;
            }
        }
    }

    /// The next command a client or the operator sends, drawn from the model's state.
    fn next_command(&mut self) -> Sent {
        if self.model.members.len() < 2 || self.rng.chance(4) {
            let who = if self.rng.chance(85) {
                (0..self.people.pids.len())
                    .find(|w| !self.model.members.contains_key(w))
                    .unwrap_or(0)
            } else {
                self.anyone()
            };
            return self.register(who);
        }
        let now_s = self.now_ms.div_euclid(1000);
        let roll = self.rng.below(100);
        match roll {
            0..=27 => self.set_line(),
            28..=31 => self.close_line(),
            32..=61 => self.pay(),
            62..=70 => self.end_hold(),
            71..=77 => {
                // Send again, byte for byte, something sent before (preferably unanswered).
                let candidates: Vec<usize> = self
                    .sent
                    .iter()
                    .enumerate()
                    .filter(|(_, (s, _))| expires_after(s, now_s + 5))
                    .map(|(i, _)| i)
                    .collect();
                let unanswered: Vec<usize> = candidates
                    .iter()
                    .copied()
                    .filter(|i| !self.sent[*i].1)
                    .collect();
                let pool = if !unanswered.is_empty() && self.rng.chance(70) {
                    unanswered
                } else {
                    candidates
                };
                if pool.is_empty() {
                    return self.pay();
                }
                self.tally.resends += 1;
                let i = *self.rng.pick(&pool);
                self.sent[i].0.clone()
            }
            78..=82 => self.clearing(),
            83..=87 => self.propose(),
            88..=97 => self.consent(),
            _ => {
                let who = self.someone();
                let active = self.rng.chance(60);
                Sent::SetStatus { who, active }
            }
        }
    }

    fn register(&mut self, who: Who) -> Sent {
        let payload = ParticipantRegister {
            public_key: self.people.ids[who].public_key(),
            display_name: format!("Person {who}"),
            kind: ParticipantKind::Person,
            profile: None,
        };
        let (nonce, msg) = self.sign(who, payload);
        Sent::Register { who, nonce, msg }
    }

    fn set_line(&mut self) -> Sent {
        let creditor = self.someone();
        let debtor = self.other_than(creditor);
        let owed = self.model.debt(debtor, creditor);
        let limit = match self.rng.below(10) {
            0 => owed,
            1 => owed.saturating_sub(self.rng.range(1, 50)),
            2 => 0,
            _ => self.rng.range(0, 5000),
        };
        let too_precise = self.rng.chance(3);
        let unknown_equivalent = self.rng.chance(3);
        let auto_clearing = self.rng.chance(70);
        let payload = TrustLineSet {
            debtor: self.people.pids[debtor].clone(),
            equivalent: if unknown_equivalent {
                "XTS".parse().unwrap()
            } else {
                crate::equivalent()
            },
            limit: if too_precise {
                format!("{}5", text(limit)).parse().unwrap()
            } else {
                text(limit).parse().unwrap()
            },
            policy: Some(TrustLinePolicy {
                auto_clearing,
                ..TrustLinePolicy::default()
            }),
        };
        let (nonce, msg) = self.sign(creditor, payload);
        Sent::SetLine {
            creditor,
            debtor,
            limit: (!too_precise).then_some(limit),
            auto_clearing,
            unknown_equivalent,
            nonce,
            msg,
        }
    }

    fn close_line(&mut self) -> Sent {
        let lines: Vec<(Who, Who)> = self.model.lines.keys().copied().collect();
        let (creditor, debtor) = if !lines.is_empty() && self.rng.chance(85) {
            *self.rng.pick(&lines)
        } else {
            let c = self.someone();
            (c, self.other_than(c))
        };
        let payload = TrustLineClose {
            debtor: self.people.pids[debtor].clone(),
            equivalent: crate::equivalent(),
        };
        let (nonce, msg) = self.sign(creditor, payload);
        Sent::CloseLine {
            creditor,
            debtor,
            nonce,
            msg,
        }
    }

    fn pay(&mut self) -> Sent {
        let payer = self.someone();
        let payee = self.other_than(payer);
        let widest = self.model.widest_path(payer, payee, 6);
        let mut amount = match self.rng.below(10) {
            0..=3 if widest > 0 => self.rng.range(1, widest.min(100_000)),
            4 => (self.model.max_flow(payer, payee) as u64).clamp(1, 100_000),
            5 => widest.clamp(1, 100_000),
            _ => self.rng.range(1, 3000),
        };
        let tx = if self.next_tx > 0 && self.rng.chance(3) {
            // Reuse an id for another request: a conflict, never a second payment.
            amount += 1;
            self.rng.below(u64::from(self.next_tx)) as u32
        } else {
            self.next_tx += 1;
            self.next_tx
        };
        let hold = match self.rng.below(100) {
            0..=1 => Some(self.limits.max_hold_seconds + 1),
            2..=36 => Some(self.rng.range(1, 10) as u32),
            _ => None,
        };
        let too_precise = self.rng.chance(2);
        let payload = PaymentRequest {
            tx_id: tx_id(tx),
            payee: self.people.pids[payee].clone(),
            payee_hub: None,
            equivalent: crate::equivalent(),
            amount: if too_precise {
                format!("{}1", text(amount)).parse().unwrap()
            } else {
                text(amount).parse().unwrap()
            },
            description: None,
            constraints: None,
            hold_seconds: hold,
            invoice_id: None,
        };
        let (_, msg) = self.sign(payer, payload);
        Sent::Pay {
            payer,
            payee,
            tx,
            amount: (!too_precise).then_some(amount),
            hold,
            msg,
        }
    }

    fn end_hold(&mut self) -> Sent {
        let holds: Vec<(u32, Who)> = self
            .model
            .holds
            .iter()
            .map(|(t, h)| (*t, h.payer))
            .collect();
        let (tx, mut payer) = if !holds.is_empty() && self.rng.chance(80) {
            *self.rng.pick(&holds)
        } else if let Some((t, p)) = self.model.payments.iter().next_back() {
            (*t, p.payer)
        } else {
            (1, self.someone())
        };
        if self.rng.chance(5) {
            payer = self.someone();
        }
        if self.rng.chance(65) {
            let (nonce, msg) = self.sign(payer, PaymentCommit { tx_id: tx_id(tx) });
            Sent::Commit {
                payer,
                tx,
                nonce,
                msg,
            }
        } else {
            let payload = PaymentAbort {
                tx_id: tx_id(tx),
                reason: "changed my mind".into(),
            };
            let (nonce, msg) = self.sign(payer, payload);
            Sent::Abort {
                payer,
                tx,
                nonce,
                msg,
            }
        }
    }

    /// A set-off from the clearing schedule: the optimum over the engine's clearable debts, or a
    /// cycle of the model's, sometimes spoiled to check it is refused whole.
    fn clearing(&mut self) -> Sent {
        let mut set_offs: Vec<(Who, Who, u64)> = if self.rng.chance(50) {
            let debts = self.engine.clearable_debts(&crate::equivalent());
            match geo_clearing::optimal_clearing(&debts) {
                Ok(c) => debts
                    .iter()
                    .zip(&c.set_off)
                    .filter(|(_, s)| **s > 0)
                    .map(|(d, s)| {
                        let who = |i: u32| self.people.who(self.engine.ledger().pid(i));
                        (who(d.debtor), who(d.creditor), *s)
                    })
                    .collect(),
                Err(_) => Vec::new(),
            }
        } else {
            self.cycle_set_off(true)
        };
        if !set_offs.is_empty() && self.rng.chance(25) {
            let i = self.rng.below(set_offs.len() as u64) as usize;
            match self.rng.below(3) {
                0 => set_offs[i].2 += 1,
                1 => set_offs[i].2 -= 1,
                _ => set_offs.push(set_offs[i]),
            }
        }
        Sent::ApplyClearing { set_offs }
    }

    fn cycle_set_off(&mut self, auto_only: bool) -> Vec<(Who, Who, u64)> {
        let start = self.someone();
        let Some(cycle) = self.model.debt_cycle(start, auto_only) else {
            return Vec::new();
        };
        let hops: Vec<(Who, Who)> = (0..cycle.len())
            .map(|i| (cycle[i], cycle[(i + 1) % cycle.len()]))
            .collect();
        let least = hops
            .iter()
            .map(|(d, c)| self.model.debt(*d, *c))
            .min()
            .unwrap();
        let amount = self.rng.range(1, least);
        hops.into_iter().map(|(d, c)| (d, c, amount)).collect()
    }

    fn propose(&mut self) -> Sent {
        let set_offs = self.cycle_set_off(false);
        let ttl = self.rng.range(1, 15) as i64;
        Sent::Propose { set_offs, ttl }
    }

    fn consent(&mut self) -> Sent {
        let (id, required): (_, Vec<Who>) = match &self.model.proposal {
            Some(p) => (p.id, p.required.iter().copied().collect()),
            None => (tx_id(999_999), Vec::new()),
        };
        let who = if !required.is_empty() && self.rng.chance(85) {
            *self.rng.pick(&required)
        } else {
            self.someone()
        };
        let id = if self.rng.chance(5) {
            tx_id(999_998)
        } else {
            id
        };
        let accept = self.rng.chance(75);
        let payload = ClearingConsent {
            clearing_id: id,
            // As a client does: the digest of the proposal the hub signed (a made-up one if none).
            proposal_digest: self
                .engine
                .proposal_digest(id)
                .unwrap_or_else(|| Digest::of(b"no such proposal")),
            decision: if accept {
                ClearingDecision::Accept
            } else {
                ClearingDecision::Reject
            },
        };
        let (nonce, msg) = self.sign(who, payload);
        Sent::Consent {
            who,
            id,
            accept,
            nonce,
            msg,
        }
    }
}

/// True when a signed command's envelope is still valid at `at` (the API refuses it after).
fn expires_after(sent: &Sent, at: i64) -> bool {
    let exp = match sent {
        Sent::Register { msg, .. } => msg.envelope().expires_at,
        Sent::SetLine { msg, .. } => msg.envelope().expires_at,
        Sent::CloseLine { msg, .. } => msg.envelope().expires_at,
        Sent::Pay { msg, .. } => msg.envelope().expires_at,
        Sent::Commit { msg, .. } => msg.envelope().expires_at,
        Sent::Abort { msg, .. } => msg.envelope().expires_at,
        Sent::Consent { msg, .. } => msg.envelope().expires_at,
        _ => return false,
    };
    exp.unix() > at
}
