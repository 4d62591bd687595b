//! The payee's hub's part of a payment between hubs (`spec/federation.md` §6, downstream): a linked
//! hub's `hub_prepare`, already verified and checked against the expiry rule and the condition by
//! the caller, is routed from the signer's account to the payee and committed in one step, or
//! refused with a stored outcome when no route carries it. And the payer's hub's part (§6,
//! upstream): a member's payment to another hub's member is held from the payer to that hub's
//! peer account until the peer hub's fulfil commits it or its refusal (or silence) aborts it.

use geo_protocol::{
    ErrorCode, HubPrepare, HubReject, ParticipantKind, PaymentRequest, Pid, SignedMessage,
    Timestamp, TxId,
};
use geo_routing::Constraints;

use super::ledger::{Idx, PaymentState};
use super::{receipt, Effects, Engine, EngineError, EngineResult, Moment, PaymentOrder, Reply};

/// The longest hold of a cross-hub payment: the payee's hub refuses a `hold_until` further ahead
/// (`spec/federation.md` §5).
pub const MAX_CROSS_HUB_HOLD_SECONDS: u32 = geo_protocol::federation::MAX_HOLD_AHEAD_SECONDS as u32;

impl Engine {
    /// §6 downstream steps 1–3. Idempotent by `tx_id` like a payment request: the same signer and
    /// payload get the stored outcome; anything else under that id is `E_TX_ID_CONFLICT`. Nothing
    /// commits after `deadline` (the commit deadline of §5).
    pub(super) fn pay_from_hub(
        &mut self,
        msg: SignedMessage<HubPrepare>,
        deadline: Timestamp,
        at: Moment,
        fx: &mut Effects,
    ) -> EngineResult<Reply> {
        let now = at.timestamp();
        let p = msg.payload().clone();
        let payload_digest = msg.payload_digest();
        if let Some(reply) = self.existing_payment(&p.tx_id, msg.signer(), &payload_digest)? {
            return Ok(reply);
        }
        if now > deadline {
            return Err(EngineError::CommitDeadlinePassed(deadline));
        }
        let (payer, payee, precision, amount) =
            self.payment_parties(msg.signer(), &p.payee, &p.equivalent, &p.amount)?;
        let constraints = Constraints::default()
            .with_max_hops(self.limits.max_hops)
            .with_max_paths(self.limits.max_paths);
        let mut record = self.decide_payment(
            PaymentOrder {
                tx_id: p.tx_id,
                payer,
                payee,
                payer_pid: msg.signer().clone(),
                payee_pid: p.payee.clone(),
                equivalent: p.equivalent.clone(),
                amount,
                precision,
                description: p.description.clone(),
                invoice_id: None,
                hold_seconds: None,
                request: msg.to_json(),
                request_digest: msg.digest(),
                payload_digest,
            },
            &constraints,
            at,
            fx,
        )?;
        let (signature, text) = receipt::sign_payment_receipt_text(&self.hub, &record).unzip();
        record.receipt_signature = signature;
        fx.payments.push(record.clone());
        Ok(Reply::Payment(Box::new(record), text))
    }
}

impl Engine {
    /// True for a linked hub's peer account: a participant of kind `hub` other than this hub.
    pub(super) fn is_peer_hub(&self, idx: Idx) -> bool {
        let p = &self.ledger.participants[idx as usize];
        p.kind == ParticipantKind::Hub && p.pid != self.hub.pid()
    }

    /// The code an expired hold ends with: a cross-hub hold whose peer never fulfilled it is
    /// `E_PEER_HUB_UNAVAILABLE` (§6 upstream step 5), any other `E_RESERVATION_EXPIRED`.
    pub(super) fn expiry_code(&self, tx_id: &TxId) -> ErrorCode {
        match self.ledger.holds.get(tx_id) {
            Some(h) if self.is_peer_hub(h.payee) => ErrorCode::PeerHubUnavailable,
            _ => ErrorCode::ReservationExpired,
        }
    }

    /// §6 upstream steps 1–2: idempotent by `tx_id` like any payment request; the route runs from
    /// the payer to the peer account (`peer`) and is held for `hold_seconds`.
    pub(super) fn pay_to_hub(
        &mut self,
        msg: SignedMessage<PaymentRequest>,
        peer: &Pid,
        hold_seconds: u32,
        at: Moment,
        fx: &mut Effects,
    ) -> EngineResult<Reply> {
        let p = msg.payload().clone();
        let payload_digest = msg.payload_digest();
        if let Some(reply) = self.existing_payment(&p.tx_id, msg.signer(), &payload_digest)? {
            return Ok(reply);
        }
        let (payer, peer_idx, precision, amount) =
            self.payment_parties(msg.signer(), peer, &p.equivalent, &p.amount)?;
        if !self.is_peer_hub(peer_idx) {
            return Err(EngineError::HubNotLinked(peer.to_string()));
        }
        if hold_seconds == 0 || hold_seconds > MAX_CROSS_HUB_HOLD_SECONDS {
            return Err(EngineError::HoldTooLong {
                max: MAX_CROSS_HUB_HOLD_SECONDS,
            });
        }
        let constraints = self.bounded_constraints(&p.constraints.clone().unwrap_or_default());
        let record = self.decide_payment(
            PaymentOrder {
                tx_id: p.tx_id,
                payer,
                payee: peer_idx,
                payer_pid: msg.signer().clone(),
                payee_pid: peer.clone(),
                equivalent: p.equivalent.clone(),
                amount,
                precision,
                description: p.description.clone(),
                invoice_id: p.invoice_id.clone(),
                hold_seconds: Some(hold_seconds),
                request: msg.to_json(),
                request_digest: msg.digest(),
                payload_digest,
            },
            &constraints,
            at,
            fx,
        )?;
        fx.payments.push(record.clone());
        Ok(Reply::Payment(Box::new(record), None))
    }

    /// §7 downstream: records a linked hub's refusal of the fulfilment of a payment this hub
    /// committed for it (the payment must be that hub's and committed, else `E_NOT_FOUND`), once per
    /// `tx_id`: a refusal already recorded answers as first recorded, and journals nothing.
    pub(super) fn record_refused_fulfilment(
        &mut self,
        msg: SignedMessage<HubReject>,
        now: Timestamp,
        fx: &mut Effects,
    ) -> EngineResult<Reply> {
        let r = msg.payload();
        let peer = self.known(msg.signer())?;
        match self.payment_index(&r.tx_id)? {
            Some(p) if p.payer == peer && p.state == PaymentState::Committed => {}
            _ => return Err(EngineError::PaymentNotFound(r.tx_id)),
        }
        let refusal = super::journal::JournalEvent::FulfilmentRefused {
            tx_id: r.tx_id,
            peer: msg.signer().clone(),
            code: r.code,
            message: msg.to_json(),
            by_this_hub: false,
        };
        Ok(self.journal_refusal_once(r.tx_id, refusal, now, fx))
    }

    /// §7 upstream: records this hub's refusal of a linked hub's fulfilment of a payment this hub
    /// held for it (`E_NOT_FOUND` for a payment it does not know), once per `tx_id`.
    pub(super) fn refuse_fulfilment(
        &mut self,
        msg: SignedMessage<HubReject>,
        now: Timestamp,
        fx: &mut Effects,
    ) -> EngineResult<Reply> {
        let r = msg.payload();
        let peer = msg
            .envelope()
            .audience
            .clone()
            .ok_or(EngineError::PaymentNotFound(r.tx_id))?;
        if self.payment_index(&r.tx_id)?.is_none() {
            return Err(EngineError::PaymentNotFound(r.tx_id));
        }
        let refusal = super::journal::JournalEvent::FulfilmentRefused {
            tx_id: r.tx_id,
            peer,
            code: r.code,
            message: msg.to_json(),
            by_this_hub: true,
        };
        Ok(self.journal_refusal_once(r.tx_id, refusal, now, fx))
    }

    /// Journals `refusal` (a `FulfilmentRefused` of `tx_id`) unless a refusal of `tx_id` is already
    /// recorded, either way answering the refusal as first recorded.
    fn journal_refusal_once(
        &mut self,
        tx_id: TxId,
        refusal: super::journal::JournalEvent,
        now: Timestamp,
        fx: &mut Effects,
    ) -> Reply {
        if !self.ledger.refused_fulfilments.contains_key(&tx_id) {
            self.emit(fx, now, refusal);
        }
        Reply::FulfilmentRefused(tx_id, self.ledger.refused_fulfilments[&tx_id].clone())
    }

    /// §6 upstream steps 4–5: the peer's verified fulfil commits the hold (`Ok`, with the fulfil's
    /// text, journaled with the commit); its refusal or silence aborts it (`Err(code)`). A hold past
    /// its deadline aborts with `E_PEER_HUB_UNAVAILABLE` whatever arrives. Idempotent: a payment
    /// that already ended this way answers its outcome again.
    pub(super) fn end_hub_hold(
        &mut self,
        tx_id: TxId,
        peer: &Pid,
        outcome: Result<String, ErrorCode>,
        now: Timestamp,
        fx: &mut Effects,
    ) -> EngineResult<Reply> {
        let Some(index) = self.payment_index(&tx_id)? else {
            return Err(EngineError::PaymentNotFound(tx_id));
        };
        match (index.state, &outcome) {
            (PaymentState::Committed, Ok(_)) | (PaymentState::Aborted, Err(_)) => {
                return Ok(Reply::PaymentExisting(tx_id))
            }
            (PaymentState::Committed, Err(_)) => return Err(EngineError::AlreadyCommitted(tx_id)),
            (PaymentState::Aborted, Ok(_)) => return Err(EngineError::AlreadyAborted(tx_id)),
            (PaymentState::Prepared, _) => {}
        }
        let hold = self.ledger.holds[&tx_id].clone();
        if self.ledger.pid(hold.payee) != peer {
            return Err(EngineError::PaymentNotFound(tx_id));
        }
        let record = match outcome {
            _ if hold.expires_at <= now => {
                self.abort_hold(tx_id, ErrorCode::PeerHubUnavailable, now, fx)
            }
            Ok(fulfil) => self.commit_held(&hold, Some(fulfil), now, fx)?,
            Err(code) => self.abort_hold(tx_id, code, now, fx),
        };
        Ok(Reply::Payment(Box::new(record), None))
    }
}

#[cfg(test)]
mod tests {
    use geo_protocol::*;

    use super::super::journal::JournalEntry;
    use super::super::ledger::{Ledger, PaymentState};
    use super::super::{Command, Effects, Engine, EngineLimits, EngineResult, Reply};

    fn at(text: &str) -> Timestamp {
        Timestamp::parse(text).unwrap()
    }

    fn run(engine: &mut Engine, cmd: Command, now: Timestamp) -> EngineResult<Reply> {
        let mut fx = Effects::default();
        let r = engine.execute(cmd, now, &mut fx);
        engine.ledger.check_invariants().unwrap();
        r
    }

    fn signed<P: Message>(by: &Identity, to: &Identity, n: u32, payload: P) -> SignedMessage<P> {
        let nonce = Nonce::parse(&format!("fed-test-nonce-{n:08}")).unwrap();
        Envelope::new(
            by.pid(),
            Some(to.pid()),
            nonce,
            at("2026-11-24T10:00:00Z"),
            300,
            payload,
        )
        .sign(by)
        .unwrap()
    }

    /// The engine of hub `hub` at `now`: UAH (2 decimals); `hub`, the linked hub `peer` and the
    /// person `member` registered, in that order; a 1000.00 line from each creditor to its debtor
    /// in `lines`. Also the journal it wrote.
    fn hub_with(
        hub: &Identity,
        peer: &Identity,
        member: &Identity,
        lines: [(&Identity, &Identity); 2],
        now: Timestamp,
    ) -> (Engine, EquivalentCode, Vec<JournalEntry>) {
        let mut e = Engine::new(Ledger::new(), EngineLimits::default(), hub.clone());
        let mut journal = Vec::new();
        let mut run = |e: &mut Engine, cmd: Command, now: Timestamp| {
            let mut fx = Effects::default();
            let r = e.execute(cmd, now, &mut fx);
            journal.extend(fx.entries);
            r
        };
        let uah: EquivalentCode = "UAH".parse().unwrap();
        let set = Command::SetEquivalent {
            code: uah.clone(),
            precision: Precision::new(2).unwrap(),
            description: "hryvnia".into(),
            active: true,
        };
        run(&mut e, set, now).unwrap();
        for (n, (id, kind)) in [
            (hub, ParticipantKind::Hub),
            (peer, ParticipantKind::Hub),
            (member, ParticipantKind::Person),
        ]
        .into_iter()
        .enumerate()
        {
            let reg = ParticipantRegister {
                public_key: id.public_key(),
                display_name: format!("P{n}"),
                kind,
                profile: None,
            };
            let msg = signed(id, hub, n as u32, reg);
            run(&mut e, Command::Register(msg), now).unwrap();
        }
        for (n, (creditor, debtor)) in lines.into_iter().enumerate() {
            let line = TrustLineSet {
                debtor: debtor.pid(),
                equivalent: uah.clone(),
                limit: "1000.00".parse().unwrap(),
                policy: None,
            };
            let msg = signed(creditor, hub, 10 + n as u32, line);
            run(&mut e, Command::SetTrustLine(msg), now).unwrap();
        }
        (e, uah, journal)
    }

    #[test]
    fn a_prepare_commits_once_and_never_after_its_deadline() {
        let now = at("2026-11-24T10:00:00Z");
        let (b, a, bob) = (
            Identity::from_seed(&[1; 32]),
            Identity::from_seed(&[2; 32]),
            Identity::from_seed(&[3; 32]),
        );
        let (mut e, uah, _) = hub_with(&b, &a, &bob, [(&b, &a), (&bob, &b)], now);
        let prepare = |amount: &str| HubPrepare {
            tx_id: TxId::parse("00000000-0000-4000-8000-000000000042").unwrap(),
            payer: Identity::from_seed(&[9; 32]).pid(),
            payee: bob.pid(),
            equivalent: uah.clone(),
            amount: amount.parse().unwrap(),
            condition: Digest::of(b"a condition"),
            hold_until: at("2026-11-24T10:00:30Z"),
            request_digest: Digest::of(b"a request"),
            description: None,
        };
        let debt = |e: &Engine, x: &Identity, y: &Identity| {
            let (i, j) = (e.ledger.by_pid[&x.pid()], e.ledger.by_pid[&y.pid()]);
            e.ledger.books[&uah].debt(i, j)
        };
        let msg = signed(&a, &b, 20, prepare("10.00"));
        let late = Command::PayFromHub {
            prepare: msg.clone(),
            deadline: at("2026-11-24T09:59:59Z"),
        };
        let err = run(&mut e, late, now).unwrap_err();
        assert_eq!(err.code(), ErrorCode::ReservationExpired);
        assert_eq!(debt(&e, &a, &b), 0, "nothing applied after the deadline");
        assert_eq!(e.payment_index(&msg.payload().tx_id).unwrap(), None);

        let deadline = at("2026-11-24T10:00:20Z");
        let cmd = |m: &SignedMessage<HubPrepare>| Command::PayFromHub {
            prepare: m.clone(),
            deadline,
        };
        match run(&mut e, cmd(&msg), now).unwrap() {
            Reply::Payment(r, _) => {
                assert_eq!(r.status, crate::engine::records::PaymentState::Committed)
            }
            other => panic!("{other:?}"),
        }
        assert_eq!((debt(&e, &a, &b), debt(&e, &b, &bob)), (1000, 1000));
        // Again, or re-signed: the stored outcome; another payload under the id: a conflict.
        let resigned = signed(&a, &b, 21, prepare("10.00"));
        for m in [&msg, &resigned] {
            assert!(matches!(
                run(&mut e, cmd(m), now),
                Ok(Reply::PaymentExisting(_))
            ));
        }
        let other = signed(&a, &b, 22, prepare("11.00"));
        let err = run(&mut e, cmd(&other), now).unwrap_err();
        assert_eq!(err.code(), ErrorCode::TxIdConflict);
        assert_eq!(
            (debt(&e, &a, &b), debt(&e, &b, &bob)),
            (1000, 1000),
            "paid once"
        );
    }

    #[test]
    fn a_cross_hub_hold_ends_only_by_its_hub_and_expires_as_peer_unavailable() {
        let now = at("2026-11-24T10:00:00Z");
        let (a, b, alice) = (
            Identity::from_seed(&[1; 32]),
            Identity::from_seed(&[2; 32]),
            Identity::from_seed(&[3; 32]),
        );
        let (mut e, uah, _) = hub_with(&a, &b, &alice, [(&a, &alice), (&b, &a)], now);
        let request = |n: u32, tx: &str| {
            let p = PaymentRequest {
                tx_id: TxId::parse(tx).unwrap(),
                payee: Identity::from_seed(&[9; 32]).pid(),
                payee_hub: Some("http://127.0.0.1:9".parse().unwrap()),
                equivalent: uah.clone(),
                amount: "10.00".parse().unwrap(),
                description: None,
                constraints: None,
                hold_seconds: None,
                invoice_id: None,
            };
            signed(&alice, &a, n, p)
        };
        let hold = |m: SignedMessage<PaymentRequest>| Command::PayToHub {
            request: m,
            peer: b.pid(),
            hold_seconds: 30,
        };
        let debt = |e: &Engine, x: &Identity, y: &Identity| {
            let (i, j) = (e.ledger.by_pid[&x.pid()], e.ledger.by_pid[&y.pid()]);
            e.ledger.books[&uah].debt(i, j)
        };
        let state = |r: EngineResult<Reply>| match r.unwrap() {
            Reply::Payment(r, _) => (r.status, r.error_code),
            other => panic!("{other:?}"),
        };
        use crate::engine::records::PaymentState as S;

        // A payment request naming another hub is never paid in this ledger alone.
        let err = run(&mut e, Command::Pay(request(20, TX1)), now).unwrap_err();
        assert_eq!(err.code(), ErrorCode::HubNotLinked);
        // Held to the peer account; the payer may neither commit nor abort it.
        assert_eq!(
            state(run(&mut e, hold(request(21, TX1)), now)),
            (S::Prepared, None)
        );
        let commit = signed(
            &alice,
            &a,
            22,
            PaymentCommit {
                tx_id: TxId::parse(TX1).unwrap(),
            },
        );
        let err = run(&mut e, Command::CommitHold(commit), now).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Forbidden);
        assert_eq!(debt(&e, &alice, &a), 0);
        // Nobody fulfils: at its deadline it ends as the peer's silence, with nothing applied.
        run(&mut e, Command::ExpireHolds, at("2026-11-24T10:00:31Z")).unwrap();
        let end = |tx: &str, outcome: Result<&str, ErrorCode>| match outcome {
            Ok(f) => Command::CommitForHub {
                tx_id: TxId::parse(tx).unwrap(),
                peer: b.pid(),
                fulfil: f.into(),
            },
            Err(code) => Command::AbortForHub {
                tx_id: TxId::parse(tx).unwrap(),
                peer: b.pid(),
                code,
            },
        };
        let late = run(&mut e, end(TX1, Ok("{}")), at("2026-11-24T10:00:32Z")).unwrap_err();
        assert_eq!(
            late.code(),
            ErrorCode::Conflict,
            "a fulfil after the hold ended"
        );
        assert_eq!((debt(&e, &alice, &a), debt(&e, &a, &b)), (0, 0));
        let expired = e.payments.get(&TxId::parse(TX1).unwrap()).unwrap();
        assert_eq!(expired.state, PaymentState::Aborted);

        // Another one, fulfilled in time: committed once, journaled with the fulfil.
        assert_eq!(
            state(run(&mut e, hold(request(23, TX2)), now)),
            (S::Prepared, None)
        );
        let mut fx = Effects::default();
        let r = e.execute(end(TX2, Ok("{\"fulfil\":1}")), now, &mut fx);
        assert_eq!(state(r), (S::Committed, None));
        assert!(fx.entries.iter().any(|en| matches!(
            &en.event,
            super::super::journal::JournalEvent::PaymentCommitted { fulfil: Some(f), .. } if f == "{\"fulfil\":1}"
        )));
        assert_eq!((debt(&e, &alice, &a), debt(&e, &a, &b)), (1000, 1000));
        assert!(matches!(
            run(&mut e, end(TX2, Ok("{}")), now),
            Ok(Reply::PaymentExisting(_))
        ));
        let err = run(&mut e, end(TX2, Err(ErrorCode::Internal)), now).unwrap_err();
        assert_eq!(err.code(), ErrorCode::Conflict);
        // A hold ended by the peer's refusal takes its code.
        assert_eq!(
            state(run(&mut e, hold(request(24, TX3)), now)),
            (S::Prepared, None)
        );
        let r = run(&mut e, end(TX3, Err(ErrorCode::UnknownParticipant)), now);
        assert_eq!(state(r), (S::Aborted, Some(ErrorCode::UnknownParticipant)));
        assert_eq!((debt(&e, &alice, &a), debt(&e, &a, &b)), (1000, 1000));
    }

    /// More refusals than the listing once searched (10,000), then the first again: journaled once,
    /// answered as first recorded; and the same after a restart from a snapshot, whose refusals
    /// are those of a full replay.
    #[test]
    fn a_refused_fulfilment_is_journaled_once_per_tx_id_across_restarts() {
        let now = at("2026-11-24T10:00:00Z");
        let (b, a, bob) = (
            Identity::from_seed(&[1; 32]),
            Identity::from_seed(&[2; 32]),
            Identity::from_seed(&[3; 32]),
        );
        let (mut e, uah, mut journal) = hub_with(&b, &a, &bob, [(&b, &a), (&bob, &b)], now);
        let exec = |e: &mut Engine, cmd: Command, journal: &mut Vec<_>| {
            let mut fx = Effects::default();
            let r = e.execute(cmd, now, &mut fx);
            let n = fx.entries.len();
            journal.extend(fx.entries);
            (r, n)
        };
        let refusal = |n: u32, tx_id: TxId, code: ErrorCode| {
            let reject = HubReject {
                tx_id,
                stage: HubRejectStage::Fulfil,
                code,
                reason: None,
            };
            Command::RecordRefusedFulfilment(signed(&a, &b, n, reject))
        };
        const N: u32 = 10_001;
        let tx = |n: u32| TxId::parse(&format!("00000000-0000-4000-8000-{n:012}")).unwrap();
        for n in 0..N {
            let prepare = HubPrepare {
                tx_id: tx(n),
                payer: Identity::from_seed(&[9; 32]).pid(),
                payee: bob.pid(),
                equivalent: uah.clone(),
                amount: "0.01".parse().unwrap(),
                condition: Digest::of(b"a condition"),
                hold_until: at("2026-11-24T10:00:30Z"),
                request_digest: Digest::of(b"a request"),
                description: None,
            };
            let pay = Command::PayFromHub {
                prepare: signed(&a, &b, 100 + 2 * n, prepare),
                deadline: at("2026-11-24T10:00:20Z"),
            };
            let (r, _) = exec(&mut e, pay, &mut journal);
            assert!(matches!(r, Ok(Reply::Payment(..))), "{r:?}");
            let (r, journaled) = exec(
                &mut e,
                refusal(101 + 2 * n, tx(n), ErrorCode::FulfilmentLate),
                &mut journal,
            );
            assert!(matches!(r, Ok(Reply::FulfilmentRefused(..))), "{r:?}");
            assert_eq!(journaled, 1);
        }
        let first = |r: EngineResult<Reply>| match r {
            Ok(Reply::FulfilmentRefused(tx_id, refused)) => (tx_id, refused),
            other => panic!("{other:?}"),
        };
        let recorded = e.refused_fulfilments(false);
        assert_eq!(recorded.len(), N as usize);
        assert_eq!(recorded[0].0, tx(0));
        assert_eq!(recorded[0].1.code, ErrorCode::FulfilmentLate);
        // The first again, re-signed and with the other code: as first recorded, nothing journaled.
        let again = || refusal(3 * N, tx(0), ErrorCode::ConditionMismatch);
        let (r, journaled) = exec(&mut e, again(), &mut journal);
        assert_eq!(journaled, 0, "a refusal sent again is journaled once");
        assert_eq!(first(r), recorded[0]);

        // Restarted from a snapshot (its payments known as storage would answer them).
        let bytes = e.ledger.snapshot();
        let restored = Ledger::from_snapshot(&bytes).unwrap();
        assert_eq!(restored.snapshot(), bytes);
        let mut twin = Engine::new(restored, EngineLimits::default(), b.clone());
        assert_eq!(twin.refused_fulfilments(false), recorded);
        let mut full = Ledger::new();
        for entry in &journal {
            full.apply(entry);
            twin.note_replayed(entry);
        }
        assert_eq!(
            full.snapshot(),
            bytes,
            "a full replay rebuilds the same refusals"
        );
        let (r, journaled) = exec(&mut twin, again(), &mut Vec::new());
        assert_eq!(journaled, 0, "and after a restart");
        assert_eq!(first(r), recorded[0]);
    }

    const TX1: &str = "00000000-0000-4000-8000-000000000101";
    const TX2: &str = "00000000-0000-4000-8000-000000000102";
    const TX3: &str = "00000000-0000-4000-8000-000000000103";
}
