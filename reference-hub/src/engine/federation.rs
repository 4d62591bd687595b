//! The payee's hub's part of a payment between hubs (`spec/federation.md` §6, downstream): a linked
//! hub's `hub_prepare`, already verified and checked against the expiry rule and the condition by
//! the caller, is routed from the signer's account to the payee and committed in one step, or
//! refused with a stored outcome when no route carries it.

use geo_protocol::{ErrorCode, HubPrepare, SignedMessage, Timestamp};
use geo_routing::{Constraints, NodeId, RoutingError};

use super::journal::{JournalEvent, JournalPath};
use super::records::{PaymentRecord, PaymentState};
use super::{
    receipt, Effects, Engine, EngineError, EngineResult, Moment, ParticipantStatus, Reply,
};

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
        if let Some(existing) = self.payment_index(&p.tx_id)? {
            let same_payer = self.ledger.by_pid.get(msg.signer()) == Some(&existing.payer);
            if same_payer && existing.payload_digest == payload_digest {
                return Ok(Reply::PaymentExisting(p.tx_id));
            }
            return Err(EngineError::TxIdConflict(p.tx_id));
        }
        if now > deadline {
            return Err(EngineError::CommitDeadlinePassed(deadline));
        }
        let payer = self.active_signer(msg.signer())?;
        let payee = self.known(&p.payee)?;
        if self.ledger.participants[payee as usize].status != ParticipantStatus::Active {
            return Err(EngineError::PayeeInactive(p.payee.clone()));
        }
        let book = self.book(&p.equivalent)?;
        let precision = book.precision;
        let amount = p
            .amount
            .to_amount(precision)
            .map_err(|e| EngineError::InvalidAmount(e.to_string()))?
            .minor();
        let constraints = Constraints::default()
            .with_max_hops(self.limits.max_hops)
            .with_max_paths(self.limits.max_paths);
        let request_digest = msg.digest();
        let book = self.ledger.books.get(&p.equivalent).expect("checked above");
        let routed = self.router.route(
            &book.graph,
            NodeId(payer),
            NodeId(payee),
            amount,
            &constraints,
        );
        let mut record = PaymentRecord {
            tx_id: p.tx_id,
            payer: msg.signer().clone(),
            payee: p.payee.clone(),
            equivalent: p.equivalent.clone(),
            amount,
            precision: precision.places(),
            status: PaymentState::Aborted,
            error_code: None,
            routes: Vec::new(),
            request_digest,
            payload_digest,
            description: p.description.clone(),
            invoice_id: None,
            created_at: now,
            decided_at: Some(now),
            hold_expires_at: None,
            journal_seq: 0,
            max_routable: None,
            receipt_signature: None,
        };
        match routed {
            Ok(route) => {
                let paths: Vec<JournalPath> = route
                    .paths
                    .iter()
                    .map(|path| JournalPath {
                        path: path
                            .nodes
                            .iter()
                            .map(|n| self.ledger.pid(n.0).clone())
                            .collect(),
                        amount: path.amount,
                    })
                    .collect();
                self.check_paths(&p.equivalent, &paths, payer, payee, amount)?;
                record.routes = paths.clone();
                record.status = PaymentState::Committed;
                record.journal_seq = self.emit(
                    fx,
                    now,
                    JournalEvent::PaymentCommitted {
                        tx_id: p.tx_id,
                        payer: record.payer.clone(),
                        payee: record.payee.clone(),
                        equivalent: p.equivalent.clone(),
                        amount,
                        paths,
                        payload_digest,
                        request: Some(msg.to_json()),
                        request_digest,
                        description: p.description.clone(),
                        invoice_id: None,
                    },
                );
                self.verify_pairs(&p.equivalent, &record.routes)?;
                let touched = self.touched_pairs(&record.routes);
                self.local_clearing(&p.equivalent, &touched, now, fx);
            }
            Err(RoutingError::InsufficientCapacity { found, .. }) => {
                record.error_code = Some(ErrorCode::InsufficientCapacity);
                record.journal_seq = self.emit(
                    fx,
                    now,
                    JournalEvent::PaymentAborted {
                        tx_id: p.tx_id,
                        payer: record.payer.clone(),
                        payee: record.payee.clone(),
                        equivalent: p.equivalent.clone(),
                        amount,
                        error_code: ErrorCode::InsufficientCapacity,
                        payload_digest,
                        request: Some(msg.to_json()),
                        request_digest,
                        description: p.description.clone(),
                    },
                );
                record.max_routable = Some(found);
            }
            Err(other) => return Err(EngineError::internal(format!("routing failed: {other}"))),
        }
        record.receipt_signature = receipt::sign_payment_receipt(&self.hub, &record);
        fx.payments.push(record.clone());
        Ok(Reply::Payment(Box::new(record)))
    }
}

#[cfg(test)]
mod tests {
    use geo_protocol::*;

    use super::super::ledger::Ledger;
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

    #[test]
    fn a_prepare_commits_once_and_never_after_its_deadline() {
        let now = at("2026-11-24T10:00:00Z");
        let (b, a, bob) = (
            Identity::from_seed(&[1; 32]),
            Identity::from_seed(&[2; 32]),
            Identity::from_seed(&[3; 32]),
        );
        let mut e = Engine::new(Ledger::new(), EngineLimits::default(), b.clone());
        let uah: EquivalentCode = "UAH".parse().unwrap();
        let set = Command::SetEquivalent {
            code: uah.clone(),
            precision: Precision::new(2).unwrap(),
            description: "hryvnia".into(),
            active: true,
        };
        run(&mut e, set, now).unwrap();
        for (n, (id, kind)) in [
            (&b, ParticipantKind::Hub),
            (&a, ParticipantKind::Hub),
            (&bob, ParticipantKind::Person),
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
            run(
                &mut e,
                Command::Register(signed(id, &b, n as u32, reg)),
                now,
            )
            .unwrap();
        }
        for (n, (creditor, debtor)) in [(&b, &a), (&bob, &b)].into_iter().enumerate() {
            let line = TrustLineSet {
                debtor: debtor.pid(),
                equivalent: uah.clone(),
                limit: "100.00".parse().unwrap(),
                policy: None,
            };
            let msg = signed(creditor, &b, 10 + n as u32, line);
            run(&mut e, Command::SetTrustLine(msg), now).unwrap();
        }
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
            Reply::Payment(r) => assert_eq!(r.status, super::PaymentState::Committed),
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
}
