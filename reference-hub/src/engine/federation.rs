//! The payee's hub's part of a payment between hubs (`spec/federation.md` §6, downstream): a linked
//! hub's `hub_prepare`, already verified and checked against the expiry rule and the condition by
//! the caller, is routed from the signer's account to the payee and committed in one step, or
//! refused with a stored outcome when no route carries it.

use geo_protocol::{HubPrepare, SignedMessage, Timestamp};
use geo_routing::Constraints;

use super::{receipt, Effects, Engine, EngineError, EngineResult, Moment, PaymentOrder, Reply};

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
            Reply::Payment(r) => {
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
}
